"""Customer attributes: closed survey answers and CRM / analytics columns joined to participants, profiled per segment."""

from synth.attributes.join import AttributeJoinError, JoinReport, join_attributes
from synth.attributes.profile import AttributeProfile, profile_segments, value_shares
from synth.attributes.store import load_attributes

__all__ = ["AttributeJoinError", "AttributeProfile", "JoinReport", "join_attributes", "load_attributes",
           "profile_segments", "value_shares"]
