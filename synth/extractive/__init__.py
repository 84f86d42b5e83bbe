"""The offline backend's rules: what a sentence says about its speaker, clean third-person wording, a
participant's profile from their own sentences, and a persona from its segment's counted statements.

Deterministic, no model, no network, and no word list tied to any domain: the cues are how people
talk about themselves; polarity and substance come from synth.polarity and synth.substance.
"""
