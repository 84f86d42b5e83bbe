"""synth.evaluation: metric math on hand-made personas, tampering caught, gates, JSON and HTML."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.evaluation import EvalError, Judge, Thresholds, alce_scores, contradicts, evaluate, render_html, report_dict
from synth.evaluation import evaluator as evaluate_module
from synth.evaluation import metrics
from synth.llm import LLM, SupportVerdict
from synth.records import Chunk, Citation, Claim, Kind, Role, Theme, Verdict
from tests.eval_fixtures import make_workspace, tamper
from tests.llm_fakes import ScriptedModel


@pytest.fixture
def workspace(fake_settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SYNTH_LLM", raising=False)
    info = make_workspace(fake_settings, tmp_path)
    return fake_settings, info


def _persona(report, pid):
    return next(p for p in report.personas if p.persona_id == pid)


# metric math ------------------------------------------------------------------------------------
def test_metrics_on_hand_made_personas(workspace):
    settings, _ = workspace
    report = evaluate(settings, thresholds=Thresholds.off(min_fidelity=1.0))
    assert report.judge == "offline"
    a, b = _persona(report, "per_a"), _persona(report, "per_b")
    # 5 citations, one fabricated quote: fidelity 4/5; nothing shown as verified is false.
    assert (a.citations, a.quote_fidelity, a.verified_display_fidelity) == (5, 0.8, 1.0)
    assert a.verdicts == {"verified": 4, "fabricated": 1}
    # 3 of 5 claims are backed (the drone claim cites unrelated words, the fabricated one nothing).
    assert (a.support, a.citation_recall, a.citation_precision) == (0.6, 0.6, 0.6)
    # Dana, Sam and Lee cited; Kim is in the segment but not cited.
    assert (a.segment_coverage, a.participants_cited, a.segment_participants) == (0.75, 3, 4)
    # Out-of-segment words are verbatim (fidelity 1) but not verified, and irrelevant to the claim.
    assert (b.quote_fidelity, b.verified_rate, b.verdicts) == (1.0, 0.6667, {"verified": 2, "out_of_segment": 1})
    assert (b.citation_recall, b.citation_precision, b.segment_coverage) == (1.0, 0.6667, 1.0)
    # Both personas cite Dana's Sunday chunk: chunk Jaccard 1/6, no shared claim words.
    assert (a.chunk_overlap, a.claim_overlap, a.distinctiveness) == (0.1667, 0.0, 0.9167)
    assert report.overlap["per_a"]["per_b"] == report.overlap["per_b"]["per_a"] == 0.0833
    assert report.passed and report.exit_code == 0
    assert any("theme coverage skipped" in n for n in report.notes)


def test_counter_evidence_found_in_the_segment(workspace):
    settings, info = workspace
    report = evaluate(settings, ["The Sunday Planner"])
    assert [p.persona_id for p in report.personas] == ["per_a"]
    claim = next(c for c in report.personas[0].claim_evals if c.text.startswith("Plans five dinners"))
    assert [x.chunk_id for x in claim.counter_evidence] == [info["ids"]["kim"]]
    assert "negation" in claim.counter_evidence[0].reason
    assert report.personas[0].counter_evidence == 1
    off = evaluate(settings, ["per_a"], find_counter_evidence=False)
    assert off.personas[0].counter_evidence == 0


def test_tampered_persona_is_caught(workspace):
    settings, info = workspace
    tamper(settings)
    report = evaluate(settings, thresholds=Thresholds.off(min_fidelity=1.0))
    a = _persona(report, "per_a")
    assert a.verified_display_fidelity == 0.75  # 4 shown as verified, 3 still are
    assert [c.chunk_id for c in a.tampered] == [info["ids"]["dana1"]]
    assert a.tampered[0].stored_verdict == Verdict.verified and a.tampered[0].verdict == Verdict.fabricated
    assert not report.passed and report.exit_code == 1
    assert [f.metric for f in report.failures] == ["verified_display_fidelity"]
    assert "--min-fidelity 1" in report.failures[0].message
    assert "do NOT re-verify" in report.notes[0]


def test_theme_coverage_and_heatmap_counts(workspace, monkeypatch):
    settings, info = workspace
    ids = info["ids"]
    themes = [Theme(id="th_plan", label="Sunday planning", chunk_ids=[ids["dana1"], ids["kim"]]),
              Theme(id="th_price", label="Price", chunk_ids=[ids["sam"]]),
              Theme(id="th_import", label="Recipe import", chunk_ids=[ids["ana"], ids["anon"]])]
    monkeypatch.setattr(evaluate_module, "load_workspace_themes", lambda store: (themes, None))
    report = evaluate(settings)
    a, b = _persona(report, "per_a"), _persona(report, "per_b")
    assert a.theme_chunks == {"th_plan": 1, "th_price": 1, "th_import": 0}
    assert (a.theme_coverage, a.themes_covered) == (0.6667, ["th_plan", "th_price"])
    assert (b.theme_coverage, b.theme_chunks["th_import"]) == (1.0, 2)
    assert [t.id for t in report.themes] == ["th_plan", "th_price", "th_import"]
    page = render_html(report)
    assert "Sunday planning" in page and "leading theme" in page


def test_thresholds_fail_per_persona(workspace):
    settings, _ = workspace
    report = evaluate(settings, thresholds=Thresholds.off(min_support=0.8, min_coverage=0.8, min_distinctiveness=0.95))
    got = sorted((f.persona_id, f.metric) for f in report.failures)
    assert got == [("per_a", "distinctiveness"), ("per_a", "segment_coverage"), ("per_a", "support"),
                   ("per_b", "distinctiveness")]


def test_unknown_persona_and_empty_workspace(workspace, fake_settings, tmp_path):
    settings, _ = workspace
    with pytest.raises(EvalError, match="matches no persona"):
        evaluate(settings, ["nobody"])
    from synth.config import load_settings

    with pytest.raises(EvalError, match="synth ingest"):
        evaluate(load_settings(tmp_path / "empty", embedder="fake-hash:64"))


# the judge --------------------------------------------------------------------------------------
class CountingJudge(Judge):
    """Entailment when every claim word is in the quotes: lets ALCE cases be set up exactly."""

    def __init__(self):
        self._memo, self.calls = {}, 0

    def support(self, claim, quotes):
        self.calls += 1
        have = set(" ".join(quotes).lower().split())
        ok = bool(quotes) and set(claim.lower().split()) <= have
        return SupportVerdict(supported=ok, score=float(ok), rationale="test")


def test_alce_recall_and_precision():
    judge = CountingJudge()
    # Both needed: each is relevant though neither entails alone.
    assert alce_scores(judge, "a b", ["a", "b"]).relevant == [True, True]
    # Neither "a" nor "z" entails alone and the claim holds without each: both irrelevant.
    assert alce_scores(judge, "a b", ["a b", "a", "z"]).relevant == [True, False, False]
    # Redundant but each entails alone: both relevant.
    assert alce_scores(judge, "a", ["a", "a x"]).relevant == [True, True]
    # Not jointly entailed: recall fails and no citation counts.
    scores = alce_scores(judge, "a b c", ["a", "b"])
    assert not scores.recall_supported and scores.relevant == [False, False]
    assert alce_scores(judge, "a", []).relevant == []


def test_judge_uses_the_configured_llm(workspace):
    settings, _ = workspace
    seen = []

    def reply(messages):
        seen.append(messages[-1]["content"])
        return json.dumps({"supported": True, "score": 0.9, "rationale": "the quotes say so"})

    model = ScriptedModel(replies=[reply] * 200)
    report = evaluate(settings, ["per_b"], llm=LLM(model), find_counter_evidence=False)
    assert report.judge == "scripted" and seen
    assert _persona(report, "per_b").support == 1.0
    assert "<claim>" in seen[0] or "claim" in seen[0].lower()


@pytest.mark.parametrize(
    ("claim", "quote", "why"),
    [
        ("Plans dinners on Sunday night.", "I never plan dinners on Sunday night.", "negation"),
        ("Loves the shared grocery list.", "I hate the shared grocery list.", "opposite"),
        ("Finds the recipe import easy.", "The recipe import is so hard to use.", "opposite"),
        ("Plans dinners on Sunday night.", "Sunday night I plan our dinners.", None),
        ("Plans dinners on Sunday night.", "I don't like pasta but the kids do.", None),  # another topic
        ("Plans dinners on Sunday night.", "I plan dinners on Sunday night so I don't panic.", None),  # far negation
    ],
)
def test_contradicts(claim, quote, why):
    found = contradicts(claim, quote)
    assert (found is None) if why is None else (why in found)


def test_recheck_ignores_the_stored_verdict():
    chunk = Chunk(id="c1", document_id="d", participant_id="p1", speaker="Ann", role=Role.participant,
                  kind=Kind.interview, text="I shop on Saturdays.", start=10, end=30)
    interviewer = chunk.model_copy(update={"id": "c2", "role": Role.interviewer, "participant_id": None})
    claim = Claim(section="behaviours", text="Shops on Saturdays.", citations=[
        Citation(chunk_id="c1", quote="I shop on Saturdays.", verdict=Verdict.unverified),
        Citation(chunk_id="c1", quote="I shop on Sundays.", verdict=Verdict.verified),
        Citation(chunk_id="c2", quote="I shop on Saturdays.", verdict=Verdict.verified),
        Citation(chunk_id="gone", quote="x", verdict=Verdict.verified),
    ])
    checks = metrics.recheck(claim, {"c1": chunk, "c2": interviewer}, ["p1"])
    assert [c.verdict for c in checks] == [Verdict.verified, Verdict.fabricated, Verdict.interviewer,
                                           Verdict.missing_source]
    assert [c.verbatim for c in checks] == [True, False, True, False]
    figures = metrics.fidelity(checks)
    assert figures == {"quote_fidelity": 0.5, "verified_rate": 0.25, "verified_display_fidelity": 0.0}
    assert len(metrics.tampered(checks)) == 3


# CLI --------------------------------------------------------------------------------------------
runner = CliRunner()


def test_cli_table_and_exit_zero(workspace):
    settings, _ = workspace
    result = runner.invoke(app, ["eval", "-w", str(settings.workspace), "--no-gates"])
    assert result.exit_code == 0, result.output
    assert "The Sunday Planner" in result.output and "counter-evidence" in result.output


def test_cli_gates_set_the_exit_code(workspace):
    settings, _ = workspace
    ok = runner.invoke(app, ["eval", "--all", "-w", str(settings.workspace), "--no-gates", "--min-support", "0.5"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["eval", "--all", "-w", str(settings.workspace), "--no-gates", "--min-support", "0.8",
                              "--min-coverage", "0.9"])
    assert bad.exit_code == 1
    lines = [ln for ln in bad.stderr.splitlines() if "gate failed" in ln]
    assert len(lines) == 2
    assert "The Sunday Planner: support 0.600 < --min-support 0.8" in bad.stderr


def test_cli_tampered_fails_by_default(workspace):
    settings, _ = workspace
    tamper(settings)
    result = runner.invoke(app, ["eval", "-w", str(settings.workspace)])
    assert result.exit_code == 1
    assert "verified_display_fidelity 0.750 < --min-fidelity 1" in result.stderr


def test_cli_json_shape(workspace):
    settings, _ = workspace
    result = runner.invoke(app, ["eval", "1", "--json", "--no-gates", "-w", str(settings.workspace)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"workspace", "judge", "personas", "summary", "thresholds", "failures", "passed", "exit_code",
            "notes", "overlap", "themes"} <= set(data)
    (p,) = data["personas"]
    assert p["persona_id"] == "per_a" and "checks" not in p
    for key in ("quote_fidelity", "verified_display_fidelity", "citation_recall", "citation_precision", "support",
                "segment_coverage", "theme_coverage", "distinctiveness", "claim_evals", "tampered"):
        assert key in p
    assert data["thresholds"]["min_fidelity"] is None and data["passed"] is True  # --no-gates
    assert p["verdict"].startswith("Not gated") and p["link"] == "http://127.0.0.1:8765/personas/per_a"
    assert all(c["link"].endswith(f"#claim-{c['id']}") for c in p["claim_evals"])
    assert {f["kind"] for f in p["findings"]} >= {"fabricated", "unsupported"}


def test_cli_errors_are_one_line(workspace, tmp_path):
    settings, _ = workspace
    result = runner.invoke(app, ["eval", "nobody", "-w", str(settings.workspace)])
    assert result.exit_code == 2 and "matches no persona" in result.stderr
    result = runner.invoke(app, ["eval", "1", "--all", "-w", str(settings.workspace)])
    assert result.exit_code == 2


def test_cli_writes_html(workspace, tmp_path):
    settings, _ = workspace
    out = tmp_path / "reports" / "eval.html"
    result = runner.invoke(app, ["eval", "-w", str(settings.workspace), "--html", str(out), "--no-gates"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# HTML -------------------------------------------------------------------------------------------
def test_html_is_escaped_and_has_svg(workspace):
    settings, _ = workspace
    tamper(settings)
    page = render_html(evaluate(settings, thresholds=Thresholds(min_support=0.9)))
    assert page.count("<svg") >= 8  # one chart per metric (the heatmap needs themes)
    assert "The &lt;Recipe&gt; Collector" in page and "<Recipe>" not in page
    assert "&lt;b&gt;grandma&#x27;s&lt;/b&gt;" in page and "<b>grandma" not in page
    assert "<script" not in page
    assert "gate(s) failed" in page and "Shown as verified, but not verified now" in page
    assert "Sunday night I plan ten dinners." in page  # the tampered quote is shown


def test_report_dict_round_trips(workspace):
    settings, _ = workspace
    report = evaluate(settings)
    data = report_dict(report)
    assert data["personas"][0]["checks"]
    assert json.loads(json.dumps(data))["summary"]["quote_fidelity"] == 0.9
