"""The judge calibration set and script: enough hand-written pairs, balanced, with every hard-negative kind."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter

import pytest

from synth.llm import JudgeSupportInput, open_llm, run_task
from tests.conftest import ROOT

PAIRS = ROOT / "evals" / "judge_pairs.jsonl"


def _calibrate_module():
    spec = importlib.util.spec_from_file_location("calibrate_judge", ROOT / "evals" / "calibrate_judge.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pairs_are_many_balanced_and_labelled():
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(pairs) >= 240
    assert len({p["id"] for p in pairs}) == len(pairs)
    assert len({(p["claim"], p["quote"]) for p in pairs}) == len(pairs)
    supported = sum(p["supported"] for p in pairs)
    assert abs(supported - (len(pairs) - supported)) <= len(pairs) * 0.1
    cats = Counter(p["category"] for p in pairs)
    assert set(cats) == {"direct-support", "paraphrase-support", "same-topic-opposite-stance", "negation",
                         "different-person", "unrelated", "partial"}
    assert min(cats.values()) >= 10
    for p in pairs:
        assert p["supported"] == (p["category"] in ("direct-support", "paraphrase-support")), p
        assert p["claim"].strip() and p["quote"].strip()
    assert len({p["domain"] for p in pairs}) >= 3


def test_calibration_figures(llm_env):
    module = _calibrate_module()
    pairs = module.load_pairs(PAIRS)
    assert sum(p["split"] == "held-out" for p in pairs) == len(pairs) // 4
    with open_llm(llm_env, llm="offline") as offline:
        fig = module.calibrate(pairs, module.run_judge(offline))
    assert set(fig) >= {"overall", "dev", "held-out", "categories", "errors"}
    cats = fig["categories"]
    # Held-out targets (thresholds were chosen on dev): precision 0.86 and recall 0.80 when measured.
    assert fig["held-out"]["precision"] >= 0.85
    assert cats["paraphrase-support"]["all"]["recall"] >= 0.75
    assert cats["direct-support"]["all"]["recall"] >= 0.9
    assert cats["unrelated"]["all"]["accuracy"] == 1.0
    assert cats["negation"]["all"]["accuracy"] >= 0.75
    assert cats["different-person"]["all"]["accuracy"] >= 0.75
    assert fig["overall"]["precision"] >= 0.75


def test_scores_math():
    module = _calibrate_module()
    s = module.scores([True, True, False, False], [True, False, True, False])
    assert (s["precision"], s["recall"], s["f1"], s["accuracy"]) == (0.5, 0.5, 0.5, 0.5)
    assert module.scores([False], [False])["precision"] is None


@pytest.mark.parametrize(
    ("claim", "quote", "supported"),
    [
        ("Does the grocery shopping.", "My husband does all the grocery shopping, I just write the list.", False),
        ("Their husband does the grocery shopping.", "My husband does all the grocery shopping.", True),
        ("Imports recipes from blogs.", "I never import recipes from blogs, I type them in.", False),
        ("Finds the Plus subscription too expensive.", "The Plus subscription is too expensive, it just isn't worth it.", True),
        ("Runs three times a week and swims on Sundays.", "I run three times a week.", False),
        ("Trusts the calorie counts.", "I stopped trusting the calorie counts last year.", False),
    ],
)
def test_offline_judge_hard_cases(llm_env, claim, quote, supported):
    with open_llm(llm_env, llm="offline") as offline:
        verdict, _ = run_task("judge_support", JudgeSupportInput(claim=claim, quotes=[quote]), offline)
    assert verdict.supported is supported, verdict.rationale


def test_calibration_reports_a_configured_llm_served_over_http(llm_env, openai_stub):
    """`calibrate_judge.py --llm`: the judge_support task goes to an OpenAI-protocol server on 127.0.0.1,
    and the figures are computed from what it answers (here: right on three pairs, wrong on the fourth)."""
    module = _calibrate_module()
    pairs = [p for p in module.load_pairs(PAIRS) if p["split"] == "held-out"]
    chosen = [next(p for p in pairs if p["supported"]), next(p for p in pairs if not p["supported"])]
    chosen += [next(p for p in pairs if p["supported"] and p not in chosen),
               next(p for p in pairs if not p["supported"] and p not in chosen)]
    for i, p in enumerate(chosen):  # the last pair is answered wrongly: a false "supported"
        said = p["supported"] if i < 3 else True
        openai_stub.reply({"supported": said, "score": 0.9 if said else 0.1, "rationale": "scripted"})
    with open_llm(llm_env, llm="openai:test-model", llm_base_url=openai_stub.url, llm_timeout=5.0) as llm:
        fig = module.calibrate(chosen, module.run_judge(llm))
    assert openai_stub.hits == 4
    assert fig["held-out"]["precision"] == pytest.approx(2 / 3) and fig["held-out"]["recall"] == 1.0
    assert [e["id"] for e in fig["errors"]] == [chosen[3]["id"]]
