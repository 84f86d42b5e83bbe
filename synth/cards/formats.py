"""The card-based export formats: the full persona page (html), the one-page card (card) and the PDF."""

from __future__ import annotations

from pathlib import Path

from synth.cards import StudyView, study_cards
from synth.cards.template import PersonaTemplate, load_template
from synth.records import Persona, Segment
from synth.store import Store


def file_stem(number: int, name: str) -> str:
    from synth.export import slug

    return f"{number:02d}-{slug(name)}"


def persona_html(persona: Persona, store: Store, fmt: str, segment: Segment | None,
                 template: PersonaTemplate | None = None, study: StudyView | None = None) -> str:
    """The full page (fmt "html") or the one-page card (fmt "card"), linking to each other as exported."""
    from synth.cards.html import render_card
    from synth.cards.page import persona_page
    from synth.personas.sources import SourceList

    template = template or load_template()
    card = study_cards(store, [persona], template, study)[0]
    stem = file_stem(card.number, persona.name)
    if fmt == "card":
        from synth.cards.pdf import page_count

        html = render_card(card, f"{stem}.html", template.empty)
        # Printed, a card is one page: two items a section when the full card would spill onto a second.
        return html if page_count(html) <= 1 else render_card(card, f"{stem}.html", template.empty, compact=True)
    sources = SourceList(persona, store, context=True)
    return persona_page(persona, sources, segment, card, template.empty, card_href=f"{stem}.card.html")


def persona_pdf(persona: Persona, store: Store, segment: Segment | None, template: PersonaTemplate | None = None,
                study: StudyView | None = None, base: Path | None = None) -> bytes:
    """The card on page one, then the full page with every claim and source."""
    from synth.cards.html import render_card
    from synth.cards.page import persona_page
    from synth.cards.pdf import html_to_pdf
    from synth.personas.sources import SourceList

    from synth.cards.pdf import page_count

    template = template or load_template()
    card = study_cards(store, [persona], template, study)[0]
    sources = SourceList(persona, store, context=True)
    front = render_card(card, "", template.empty)
    if page_count(front) > 1:  # a card is one page: two items a section, smaller charts
        front = render_card(card, "", template.empty, compact=True)
    return html_to_pdf([front, persona_page(persona, sources, segment, card, template.empty)], base)
