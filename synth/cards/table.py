"""One CSV row per claim: what it says, whom it speaks for, its citations and its review state."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from synth.cards.template import PersonaTemplate
from synth.records import Persona, Verdict
from synth.store import Store

COLUMNS = ("persona_id", "persona", "section", "template_section", "claim_id", "claim", "prevalence_count",
           "prevalence_of", "prevalence_base", "prevalence_share", "verdict", "score", "citations",
           "citations_verified", "cited_participants", "citation_chunks", "quotes", "review_state", "flags")


def _review_states(store: Store, persona: Persona) -> dict[str, str]:
    review = persona.provenance.get("review")
    if isinstance(review, dict):  # a persona with review decisions applied (synth.review.decisions.approved_view)
        return {cid: str(entry.get("status", "pending")) for cid, entry in review.items()}
    from synth.review.decisions import decisions_for

    return {cid: d.status.value for cid, d in decisions_for(store, persona.id).items()}


def claims_csv(personas: Sequence[Persona], store: Store, template: PersonaTemplate) -> str:
    """The claims of `personas` as CSV text, with a header row (see COLUMNS)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for persona in personas:
        states = _review_states(store, persona)
        for claim in persona.claims:
            p = claim.prevalence
            count = claim.support_count if p and p.of else ""
            verified = [c for c in claim.citations if c.verdict == Verdict.verified]
            writer.writerow([
                persona.id, persona.name, claim.section, template.home(claim.section) or "", claim.id, claim.text,
                count, p.of if p and p.of else "", p.base if p and p.of else "",
                f"{claim.support_count / p.of:.3f}" if p and p.of else "", claim.verdict.value,
                "" if claim.score is None else f"{claim.score:.3f}", len(claim.citations), len(verified),
                len({c.participant_id for c in verified if c.participant_id}),
                " ".join(c.chunk_id for c in claim.citations), " | ".join(c.quote for c in claim.citations),
                states.get(claim.id, "pending"), " | ".join(f for f in claim.flags if not f.startswith("review: ")),
            ])
    return buffer.getvalue()
