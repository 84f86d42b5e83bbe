"""Personas people share: a template of sections, an avatar, charts, a one-page card, a gallery, PDF and CSV.

    from synth.cards import load_template, study_cards
    cards = study_cards(store, personas, load_template())   # PersonaCard records, in persona order

`synth.cards.html` renders cards and the gallery, `synth.cards.page` the full persona page,
`synth.cards.pdf` prints HTML to PDF, `synth.cards.table` writes one CSV row per claim.
"""

from __future__ import annotations

from collections.abc import Sequence

from synth.cards.data import PersonaCard, StudyView, persona_card
from synth.cards.template import PersonaTemplate, TemplateError, load_template, write_default
from synth.records import Persona
from synth.store import Store

__all__ = ["PersonaCard", "PersonaTemplate", "StudyView", "TemplateError", "load_template", "persona_card",
           "study_cards", "write_default"]


def study_cards(store: Store, personas: Sequence[Persona], template: PersonaTemplate,
                study: StudyView | None = None) -> list[PersonaCard]:
    """One card per persona, numbered by its position among the workspace's personas."""
    from synth.personas.store import load_personas, load_segments

    study = study or StudyView.load(store)
    segments = {s.id: s for s in load_segments(store)}
    positions = {p.id: i for i, p in enumerate(load_personas(store), 1)}
    return [persona_card(p, positions.get(p.id, i), segments.get(p.segment_id), template, study)
            for i, p in enumerate(personas, 1)]
