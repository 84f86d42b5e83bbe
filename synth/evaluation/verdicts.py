"""A persona's result in plain words: passes or fails, and why, for the report's reader."""

from __future__ import annotations

from synth.evaluation.gates import GateFailure
from synth.evaluation.report import PersonaEval

_KIND_WORDS = {"interview": "interviewees", "review": "reviewers", "social": "social-media posters",
               "document": "document authors", "ticket": "support customers", "survey": "survey respondents"}


def _plural(n: float, one: str, many: str) -> str:
    return f"{n:g} {one if n == 1 else many}"


def failure_phrase(p: PersonaEval, f: GateFailure) -> str:
    """One failed gate, said as a researcher would say it."""
    if f.bound == "max":
        return f"{f.value:g} {f.noun}" + (f" (at most {f.threshold:g} allowed)" if f.threshold else "")
    if f.metric == "verified_display_fidelity":
        return f"{_plural(len(p.tampered), 'quote', 'quotes')} shown as verified do not re-verify against the sources"
    if f.metric == "support":
        return f"only {f.value:.0%} of its claims are backed by their quotes (at least {f.threshold:.0%} needed)"
    if f.metric == "segment_coverage":
        return (f"it speaks for {p.participants_cited} of its {p.segment_participants} participants "
                f"({f.value:.0%}; at least {f.threshold:.0%} needed)")
    if f.metric == "kind_coverage":
        missing = [_KIND_WORDS.get(k, k) for k in p.kinds_present if k not in p.kinds_cited]
        return f"it never quotes the segment's {' or '.join(missing) or 'sources of every kind'}"
    return f"{f.label} is {f.value:.2f} (at least {f.threshold:g} needed)"


def persona_verdict(p: PersonaEval, failures: list[GateFailure], *, gated: bool = True) -> str:
    """'Passes: ...' or 'Fails: ...; ...', in words; gated=False: no gate applied, only what was found."""
    if not gated:
        return (f"Not gated (report only): {_plural(len(p.findings), 'finding', 'findings')} to read."
                if p.findings else "Not gated (report only): nothing found.")
    if failures:
        return "Fails: " + "; ".join(failure_phrase(p, f) for f in failures) + "."
    told = [f"{p.claims} claims, every quote a participant's own words from this segment"]
    if p.segment_coverage is not None:
        told.append(f"speaks for {p.participants_cited} of its {p.segment_participants} participants")
    if p.findings:
        told.append(f"{_plural(len(p.findings), 'finding', 'findings')} to read (none fails a gate)")
    return "Passes: " + ", ".join(told) + "."
