"""Participant profiles (map) and their aggregation per segment (reduce).

    run = extract_profiles(store, participants, chunks, llm)            # synth.profiles.extract: one per person
    agg = aggregate_segment(segment, run.profiles, TextVectors(embed))  # synth.profiles.aggregate: counted claims
    names = persona_names(segments, aggregates, run.profiles, themes)   # synth.profiles.naming

Submodules are imported where used: the extract step goes through the LLM layer, whose offline
backend (synth.extractive) builds on the records and aggregation here.
"""

from synth.profiles.records import WHO, AggregateClaim, ParticipantProfile, SegmentAggregate, Statement

__all__ = ["WHO", "AggregateClaim", "ParticipantProfile", "SegmentAggregate", "Statement"]
