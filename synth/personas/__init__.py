"""Personas: segments of participants, each drafted into a persona whose every claim cites verified evidence.

    segments = segment_participants(settings)                 # who belongs together
    run = build_personas(settings, llm, progress=bars)        # segment, profile, aggregate, draft, verify, save
    run.personas, run.skipped, run.notes                      # and what a researcher should know
    persona = verify_persona(persona, segment, store, llm)    # re-check one persona
"""

from synth.personas.build import (
    PersonaProgress, PersonaRun, PersonasError, SkippedSegment, build_personas, chunk_vectors, draft_personas,
    load_evidence, segment_participants,
)
from synth.personas.figures import persona_figures
from synth.personas.store import (
    PersonaNotFound, find_persona, load_personas, load_segments, save_personas, update_persona,
)
from synth.personas.verify import is_flagged, verify_persona

__all__ = [
    "PersonaNotFound", "PersonaProgress", "PersonaRun", "PersonasError", "SkippedSegment", "build_personas",
    "chunk_vectors", "draft_personas", "find_persona", "is_flagged", "load_evidence", "load_personas",
    "load_segments", "persona_figures", "save_personas", "segment_participants",
    "update_persona", "verify_persona",
]
