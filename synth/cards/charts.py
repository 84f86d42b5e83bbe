"""Charts for cards, persona pages and the report: Vega-Lite specs (altair) rendered to static SVG
(vl-convert), so a page shows them with no script and no network.

Each function returns an SVG string, or "" when there is nothing to draw (no ratings in the study, ...).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from synth.cards.data import PersonaCard

SEGMENT = "#4C6FD1"
STUDY = "#C9CED8"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # measured by vl-convert and drawn by the browser alike


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _render(chart) -> str:
    import vl_convert as vlc

    spec = chart.configure(font=FONT, background="white", padding=6).configure_view(stroke=None).to_dict()
    return vlc.vegalite_to_svg(spec, allowed_base_urls=[])  # inline data only: never a network fetch


def size_attributes(svg: str) -> str:
    """' width="W" height="H"' from the SVG's own size: a picture keeps it when printed from a 2x PNG."""
    m = re.search(r'<svg[^>]*?\swidth="([\d.]+)(?:px)?"[^>]*?\sheight="([\d.]+)(?:px)?"', svg)
    return f' width="{round(float(m.group(1)))}" height="{round(float(m.group(2)))}"' if m else ""


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def theme_profile(card: PersonaCard, width: int = 260, limit: int = 8) -> str:
    """The segment's share of participants per theme beside the whole study's (its `limit` largest themes)."""
    import altair as alt

    if not card.themes:
        return ""
    rows = []
    for t in card.themes[:limit]:
        label = _clip(t.label, 34)
        rows += [{"theme": label, "who": "this segment", "share": t.segment},
                 {"theme": label, "who": "whole study", "share": t.study}]
    order = [_clip(t.label, 34) for t in card.themes[:limit]]
    chart = alt.Chart(alt.Data(values=rows), width=width, height=alt.Step(10),
                      title="Themes: this segment vs the whole study").mark_bar(height=7).encode(
        y=alt.Y("theme:N", sort=order, title=None, axis=alt.Axis(labelLimit=190)),
        yOffset=alt.YOffset("who:N", sort=["this segment", "whole study"]),
        x=alt.X("share:Q", title="share of participants", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("who:N", scale=alt.Scale(domain=["this segment", "whole study"], range=[SEGMENT, STUDY]),
                        legend=alt.Legend(orient="bottom", title=None)),
    )
    return _render(chart)


def claim_prevalence(card: PersonaCard, width: int = 220) -> str:
    """How many of the segment each of its most shared claims speaks for."""
    import altair as alt

    if not card.top_claims:
        return ""
    rows = [{"claim": _clip(text, 46), "share": count / of, "label": f"{count} of {of}"}
            for text, count, of in card.top_claims]
    order = [r["claim"] for r in rows]
    base = alt.Chart(alt.Data(values=rows), width=width, title="How many say it").encode(
        y=alt.Y("claim:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("share:Q", title="share of the segment", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    bars = base.mark_bar(color=SEGMENT, height=12)
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(text="label:N")
    return _render(bars + text)


def kind_mix(card: PersonaCard, width: int = 200) -> str:
    """Participants of the segment per source kind (interviews, reviews, posts)."""
    import altair as alt

    if not card.kinds:
        return ""
    rows = [{"kind": k, "participants": n} for k, n in card.kinds.items()]
    chart = alt.Chart(alt.Data(values=rows), width=width, title="Where their words come from").mark_bar(
        color=SEGMENT, height=12).encode(
        y=alt.Y("kind:N", title=None, sort="-x"), x=alt.X("participants:Q", title="participants"))
    return _render(chart)


def ratings(card: PersonaCard, width: int = 200) -> str:
    """Participants per star rating, where the study has ratings."""
    import altair as alt

    if not card.ratings:
        return ""
    top = max(5, *(int(k) for k in card.ratings))
    rows = [{"stars": f"{k}★", "participants": card.ratings.get(str(k), 0)} for k in range(1, top + 1)]
    chart = alt.Chart(alt.Data(values=rows), width=width, height=110, title="Ratings they gave").mark_bar(
        color=SEGMENT).encode(x=alt.X("stars:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
                              y=alt.Y("participants:Q", title="participants"))
    return _render(chart)


def heatmap(cards: Sequence[PersonaCard], width_per_persona: int = 90) -> str:
    """Theme x persona: the share of each persona's segment whose words fall in each theme."""
    import altair as alt

    labels: dict[str, str] = {}
    for card in cards:
        for t in card.themes:
            labels.setdefault(t.theme_id, _clip(t.label, 40))
    if not labels or not cards:
        return ""
    rows = []
    for card in cards:
        shares = {t.theme_id: t.segment for t in card.themes}
        for tid, label in labels.items():
            if tid in shares:
                rows.append({"persona": f"{card.number}. {card.first_name}", "theme": label, "share": shares[tid],
                             "text": f"{shares[tid]:.0%}"})
    order = [f"{c.number}. {c.first_name}" for c in cards]
    base = alt.Chart(alt.Data(values=rows), width=width_per_persona * len(cards),
                     title="Themes by persona: share of each segment").encode(
        x=alt.X("persona:N", sort=order, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("theme:N", sort=list(labels.values()), title=None, axis=alt.Axis(labelLimit=260, labelFontSize=12)))
    cells = base.mark_rect().encode(color=alt.Color("share:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                                                    legend=alt.Legend(format="%", title="share")))
    text = base.mark_text(fontSize=10).encode(
        text="text:N", color=alt.condition(alt.datum.share > 0.55, alt.value("white"), alt.value("#1d1d1f")))
    return _render(cells + text)
