"""Score leads, customers and tickets against a workspace's personas (`synth match`)."""

from synth.match.model import Calibration, SegmentModel, build_model, person_vectors
from synth.match.score import NO_FIT, MatchError, Matcher, MatchInput, MatchResult, read_inputs, write_csv

__all__ = ["NO_FIT", "Calibration", "MatchError", "MatchInput", "MatchResult", "Matcher", "SegmentModel",
           "build_model", "person_vectors", "read_inputs", "write_csv"]
