"""What a persona card shows, read from the workspace: the study's facts and figures per segment.

`StudyView.load(store)` reads once what every card of a run needs (who mentions which theme, source
kinds, platforms, ratings, profile stances); `persona_card` lays one persona out in the template.
Everything here is counted from stored records; nothing is guessed or worded per domain.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from pydantic import BaseModel, Field

from synth.cards.template import FilledSection, PersonaTemplate, fill
from synth.personas.verify import LOCATED
from synth.records import Persona, Segment, Theme, Verdict
from synth.store import Store

KIND_WORDS = {"interview": ("interviewee", "interviewees"), "review": ("review author", "review authors"),
              "social": ("social poster", "social posters"), "document": ("document author", "document authors"),
              "ticket": ("support customer", "support customers"), "survey": ("survey respondent", "survey respondents")}


# Recorded attributes the card shows as facts of their own ("ratings", "sources"), or that say nothing about a person.
SHOWN_ELSEWHERE = frozenset({"rating", "platform", "date", "id", "url", "title", "row", "format"})


class ThemeShare(BaseModel):
    theme_id: str
    label: str
    segment: float  # share of the segment's participants whose words fall in the theme
    study: float  # the same share over every participant of the study


class PersonaCard(BaseModel):
    """One persona laid out for a card, a full page and a gallery."""

    persona_id: str
    number: int
    name: str
    first_name: str
    descriptor: str
    summary: str
    review: str = ""  # the review line: "Draft, not yet reviewed." or what a reviewed export holds
    narrative: list[str] = Field(default_factory=list)
    segment_size: int = 0
    sections: list[FilledSection]
    themes: list[ThemeShare] = Field(default_factory=list)
    kinds: dict[str, int] = Field(default_factory=dict)  # participants per source kind
    ratings: dict[str, int] = Field(default_factory=dict)  # participants per rounded star rating
    top_claims: list[tuple[str, int, int]] = Field(default_factory=list)  # text, count, of
    claims_total: int = 0
    claims_supported: int = 0
    citations_total: int = 0
    citations_verbatim: int = 0


class StudyView:
    """Per-participant facts of the whole study, read once for all cards of a run."""

    def __init__(self, themes: list[Theme], mentions: dict[str, set[str]], kinds: dict[str, str],
                 platforms: dict[str, Counter], ratings: dict[str, float], stances: dict[str, Counter],
                 attributes: dict[str, dict[str, str]], customer: dict[str, dict] | None = None):
        self.themes = [t for t in themes if t.substantive]
        self.mentions = mentions  # participant id -> theme ids their words fall in
        self.kinds = kinds
        self.platforms = platforms
        self.ratings = ratings
        self.stances = stances  # participant id -> Counter of statement stances
        self.attributes = attributes  # participant id -> recorded attributes (plan, role, ...)
        self.customer = customer or {}  # participant id -> survey answers and joined CRM columns (synth.attributes)

    @classmethod
    def load(cls, store: Store) -> "StudyView":
        from synth.personas.store import participant_ratings
        from synth.profiles.records import WHO
        from synth.profiles.store import load_profiles
        from synth.themes.store import ThemeStore

        themes = ThemeStore(store.db).themes()
        mentions: dict[str, set[str]] = defaultdict(set)
        for theme_id, pid in store.db.execute(
                "SELECT tc.theme_id, c.participant_id FROM theme_chunks tc JOIN chunks c ON c.id = tc.chunk_id "
                "WHERE c.participant_id IS NOT NULL"):
            mentions[pid].add(theme_id)
        kinds = {p.id: p.kind.value for p in store.participants()}
        platforms: dict[str, Counter] = defaultdict(Counter)
        for pid, meta in store.db.execute(
                "SELECT DISTINCT c.participant_id, d.metadata FROM chunks c JOIN documents d ON d.id = c.document_id "
                "WHERE c.participant_id IS NOT NULL AND d.metadata LIKE '%\"platform\"%'"):
            value = json.loads(meta).get("platform")
            if isinstance(value, str) and value.strip():
                platforms[pid][value.strip()] += 1
        stances: dict[str, Counter] = {}
        attributes: dict[str, dict[str, str]] = {}
        for pid, profile in load_profiles(store).items():
            stances[pid] = Counter(s.stance for s in profile.statements if s.section != WHO)
            attributes[pid] = {k: v for k, v in profile.attributes.items() if k not in SHOWN_ELSEWHERE and v}
        from synth.attributes.store import load_attributes

        return cls(themes, dict(mentions), kinds, dict(platforms), participant_ratings(store), stances, attributes,
                   load_attributes(store))

    # figures per segment ------------------------------------------------------------------------
    def theme_shares(self, segment: Segment, limit: int = 8) -> list[ThemeShare]:
        """The segment's theme profile against the whole study, the themes that matter most to either first."""
        members = segment.participant_ids
        everyone = list(self.kinds) or members
        rows = []
        for t in self.themes:
            seg = sum(1 for p in members if t.id in self.mentions.get(p, ())) / max(len(members), 1)
            study = sum(1 for p in everyone if t.id in self.mentions.get(p, ())) / max(len(everyone), 1)
            rows.append(ThemeShare(theme_id=t.id, label=t.label, segment=round(seg, 3), study=round(study, 3)))
        rows.sort(key=lambda r: (-r.segment, -r.study, r.label))
        return rows[:limit]

    def facts(self, segment: Segment) -> dict[str, list[str]]:
        """Lines for the template's facts (synth.cards.template.FACTS), only where the study records them."""
        members = segment.participant_ids
        out: dict[str, list[str]] = {}
        kinds = Counter(self.kinds[p] for p in members if p in self.kinds)
        if kinds:
            out["kinds"] = ["Heard from " + ", ".join(
                f"{n} {KIND_WORDS.get(k, (k, k))[n != 1]}" for k, n in kinds.most_common())]
        platforms = Counter(name for p in members for name in self.platforms.get(p, ()))
        if platforms:
            shown = ", ".join(f"{name} ({n})" for name, n in platforms.most_common(5))
            out["sources"] = [f"Wrote on {shown} (participants per platform)"]
        rated = [self.ratings[p] for p in members if p in self.ratings]
        if rated:
            low = sum(1 for r in rated if r <= 2)
            high = sum(1 for r in rated if r >= 4)
            out["ratings"] = [f"Mean rating {sum(rated) / len(rated):.1f} from {len(rated)} rated participant(s): "
                              f"{high} gave 4 or more, {low} gave 2 or less"]
        spoke = [self.stances[p] for p in members if p in self.stances and sum(self.stances[p].values())]
        if spoke:
            neg = sum(1 for s in spoke if s["negative"])
            pos = sum(1 for s in spoke if s["positive"])
            out["tone"] = [f"{neg} of {len(spoke)} complained about something, {pos} of {len(spoke)} praised something"]
        recorded: dict[str, Counter] = defaultdict(Counter)
        for p in members:
            for key, value in self.attributes.get(p, {}).items():
                recorded[key][str(value)] += 1
        # One line per recorded attribute, the most widely recorded first, its three commonest values.
        ranked = sorted(recorded.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        roles = [f"{key}: " + ", ".join(f"{v} ({n})" for v, n in values.most_common(3))
                 + (f", {len(values) - 3} other value(s)" if len(values) > 3 else "")
                 for key, values in ranked if sum(values.values()) >= 2]
        if roles:
            out["roles"] = roles
        if self.customer:
            from synth.attributes.profile import profile_segments

            lines = [a.line() for a in profile_segments(self.customer, {"s": members})["s"] if a.segment_n >= 2]
            if lines:
                out["attributes"] = lines
        return out

    def rating_counts(self, segment: Segment) -> dict[str, int]:
        counts = Counter(str(round(self.ratings[p])) for p in segment.participant_ids if p in self.ratings)
        return dict(sorted(counts.items()))

    def kind_counts(self, segment: Segment) -> dict[str, int]:
        return dict(Counter(self.kinds[p] for p in segment.participant_ids if p in self.kinds).most_common())


def split_name(name: str) -> tuple[str, str]:
    """"Maya, the SQL-first analyst" -> ("Maya", "the SQL-first analyst")."""
    first, _, rest = name.partition(",")
    return first.strip(), rest.strip()


def persona_card(persona: Persona, number: int, segment: Segment | None, template: PersonaTemplate,
                 study: StudyView | None) -> PersonaCard:
    """The persona laid out in the template, with the figures its charts draw."""
    seg = segment or Segment(id=persona.segment_id, participant_ids=[])
    facts = study.facts(seg) if study and segment else {}
    first, descriptor = split_name(persona.name)
    from synth.export import review_line  # synth.export imports synth.cards lazily

    counted = [c for c in persona.claims if c.prevalence and c.prevalence.of and c.support_count
               and c.section not in ("narrative", "quotes")]
    counted.sort(key=lambda c: (-c.support_count / c.prevalence.of, c.text))
    citations = [x for c in persona.claims for x in c.citations]
    return PersonaCard(
        persona_id=persona.id, number=number, name=persona.name, first_name=first, descriptor=descriptor,
        summary=persona.summary, review=review_line(persona),
        narrative=[c.text for c in persona.claims if c.section == "narrative"],
        segment_size=len(seg.participant_ids), sections=fill(persona, template, facts),
        themes=study.theme_shares(seg) if study and segment else [],
        kinds=study.kind_counts(seg) if study and segment else {},
        ratings=study.rating_counts(seg) if study and segment else {},
        top_claims=[(c.text, c.support_count, c.prevalence.of) for c in counted[:6]],
        claims_total=len(persona.claims),
        claims_supported=sum(1 for c in persona.claims if c.verdict == Verdict.supported),
        citations_total=len(citations),
        citations_verbatim=sum(1 for x in citations if x.verdict in LOCATED),
    )
