"""Personas: segments of participants, each drafted into a persona whose every claim cites verified evidence.

    segments = segment_participants(settings)                 # who belongs together
    run = build_personas(settings, llm, progress=bars)        # segment, profile, aggregate, draft, verify, save
    run.personas, run.skipped, run.notes                      # and what a researcher should know
    persona = verify_persona(persona, segment, store, llm)    # re-check one persona
"""

from synth.lazy import lazy_names

_WHERE = {  # name -> the submodule that defines it, imported on first use (PEP 562): importing one
    # light submodule (a CLI option's help, a record) no longer pays for the whole package
    "PersonaNotFound": "synth.personas.store",
    "PersonaProgress": "synth.personas.build",
    "PersonaRun": "synth.personas.build",
    "PersonasError": "synth.personas.build",
    "SkippedSegment": "synth.personas.build",
    "build_personas": "synth.personas.build",
    "chunk_vectors": "synth.personas.build",
    "draft_personas": "synth.personas.build",
    "find_persona": "synth.personas.store",
    "is_flagged": "synth.personas.verify",
    "load_evidence": "synth.personas.build",
    "load_personas": "synth.personas.store",
    "load_segments": "synth.personas.store",
    "persona_figures": "synth.personas.figures",
    "save_personas": "synth.personas.store",
    "segment_participants": "synth.personas.build",
    "update_persona": "synth.personas.store",
    "verify_persona": "synth.personas.verify",
}

__all__ = [
    "PersonaNotFound", "PersonaProgress", "PersonaRun", "PersonasError", "SkippedSegment", "build_personas",
    "chunk_vectors", "draft_personas", "find_persona", "is_flagged", "load_evidence", "load_personas",
    "load_segments", "persona_figures", "save_personas", "segment_participants",
    "update_persona", "verify_persona",
]


__getattr__, __dir__ = lazy_names(globals(), _WHERE, __all__)
