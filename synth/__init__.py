"""synth: evidence-backed customer personas from qualitative research."""

__version__ = "0.1.0"
