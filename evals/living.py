"""The living-personas flow, shared by evals/bench_living.py and tests/test_living.py.

Build personas on part of a corpus, record decisions through the real review app over HTTP, add the
held-back files, re-run (optionally while a reviewer keeps deciding), and measure what happened to
identities and review work.
"""

from __future__ import annotations

import csv
import html
import http.cookiejar
import re
import shutil
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from synth.config import Settings
from synth.records import Persona, Segment

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def split_corpus(src: Path, root: Path, keep_interviews: int, hold_interviews: int, rows: int,
                 hold_rows: int) -> tuple[Path, list[Path]]:
    """A study folder with part of `src`, and the files to add later (more interviews, more rows)."""
    study, later = root / "study", root / "later"
    for d in (study, later):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    interviews = sorted((src / "interviews").iterdir())
    for f in interviews[:keep_interviews]:
        shutil.copy(f, study / f.name)
    added = []
    for f in interviews[keep_interviews:keep_interviews + hold_interviews]:
        shutil.copy(f, later / f.name)
        added.append(later / f.name)
    for table in sorted(f for f in src.rglob("*") if f.is_file() and "interviews" not in f.parts):
        if table.suffix == ".csv":  # review exports, support tickets: rows
            with table.open(newline="", encoding="utf-8") as fh:
                data = list(csv.reader(fh))
            head, body = data[0], data[1:]
            _write_csv(study / table.name, head, body[:rows])
            if hold_rows:
                _write_csv(later / f"more_{table.name}", head, body[rows:rows + hold_rows])
                added.append(later / f"more_{table.name}")
        elif table.suffix == ".jsonl":  # social posts: lines
            lines = table.read_text(encoding="utf-8").splitlines()
            (study / table.name).write_text("\n".join(lines[:rows]) + "\n", encoding="utf-8")
            if hold_rows:
                (later / f"more_{table.name}").write_text("\n".join(lines[rows:rows + hold_rows]) + "\n",
                                                         encoding="utf-8")
                added.append(later / f"more_{table.name}")
    return study, added


def _write_csv(path: Path, head: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(head)
        writer.writerows(rows)


def build(settings: Settings, folder: Path, llm, n: int | None = None):
    """ingest, themes, personas: what `synth run` does before eval and the report."""
    from synth.ingest import ingest
    from synth.personas import build_personas
    from synth.themes import build_themes

    ingest([folder], settings)
    build_themes(settings, llm=llm)
    return build_personas(settings, llm, n=n)


class Reviewer:
    """A person at the review app: reads pages and posts forms over real HTTP, with the CSRF token."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as r:
            page = r.read().decode("utf-8")
        found = CSRF.search(page)
        if found:
            self.token = found.group(1)
        return page

    def post(self, path: str, **form: str) -> str:
        if not self.token:
            self.get("/")
        body = urllib.parse.urlencode({"csrf_token": self.token, **form}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=120) as r:
            return r.read().decode("utf-8")


def policy(index: int) -> str:
    """A reviewer's mix: mostly accept, some reject, a few edits."""
    if index % 5 == 1:
        return "rejected"
    if index % 7 == 3:
        return "edit"
    return "accepted"


def review_over_http(reviewer: Reviewer, personas: list[Persona], per_persona: int | None = None) -> int:
    """Decide on the claims of every persona through the app; returns the number of decisions posted."""
    posted = 0
    for p in personas:
        reviewer.get(f"/personas/{p.id}")
        for i, c in enumerate(p.claims[:per_persona] if per_persona else p.claims):
            action = policy(i)
            url = f"/personas/{p.id}/claims/{c.id}"
            if action == "edit":
                reviewer.post(f"{url}/edit", text=f"In short: {c.text}", note="tightened wording")
            else:
                reviewer.post(f"{url}/decision", status=action)
            posted += 1
    return posted


@dataclass
class Outcome:
    decisions: int
    carried: int
    orphaned: int
    recheck: int
    kept: int  # carried onto approved claims the re-run did not draft again (kept while their quotes verify)
    orphans_listed: int  # orphans whose claim text the app's "needs another look" shows
    unchanged_segments: int
    unchanged_kept_id: int
    continued: int
    new: int
    retired: int
    concurrent_posted: int = 0
    concurrent_kept: int = 0  # decisions posted during the re-run found attached or listed afterwards
    reloaded: int = 0  # persona pages that show the new version after the re-run
    personas: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def reattached(self) -> float:
        return self.carried / self.decisions if self.decisions else 1.0


def unchanged_segments(before: list[tuple[Persona, Segment]], after: list[tuple[Persona, Segment]]) -> tuple[int, int]:
    """(segments whose earlier participants are exactly an earlier segment's, of those that kept the persona id)."""
    old_all = {pid for _, s in before for pid in s.participant_ids}
    old_by_members = {frozenset(s.participant_ids): p.id for p, s in before}
    same = kept = 0
    for p, s in after:
        members = frozenset(set(s.participant_ids) & old_all)
        if members in old_by_members:
            same += 1
            kept += old_by_members[members] == p.id
    return same, kept


def pairs(store) -> list[tuple[Persona, Segment]]:
    from synth.personas.store import load_personas, load_segments

    segs = {s.id: s for s in load_segments(store)}
    return [(p, segs[p.segment_id]) for p in load_personas(store)]


def run_flow(settings: Settings, study: Path, added: list[Path], llm, n: int | None = None,
             per_persona: int | None = None, concurrent: bool = True) -> Outcome:
    """The whole measured flow; the review app is served on 127.0.0.1 throughout."""
    from synth.review.app import create_app, start_server
    from synth.review.decisions import all_decisions
    from synth.review.carry import orphans
    from synth.store import Store

    seconds: dict[str, float] = {}
    t = time.perf_counter()
    build(settings, study, llm, n)
    seconds["first run"] = round(time.perf_counter() - t, 1)
    with Store(settings.db_path) as store:
        before = pairs(store)
    server = start_server(create_app(settings, llm=llm, reviewer="bench"), "127.0.0.1", 0)
    try:
        reviewer = Reviewer(server.url)
        t = time.perf_counter()
        review_over_http(reviewer, [p for p, _ in before], per_persona)
        seconds["review over HTTP"] = round(time.perf_counter() - t, 1)
        for f in added:
            shutil.copy(f, study / f.name)

        late: list[tuple[str, str]] = []
        stop = threading.Event()

        def keep_reviewing() -> None:  # a reviewer still at work on the page loaded before the re-run
            pending = [(p.id, c.id) for p, _ in before for c in p.claims if c.id]
            for pid, cid in reversed(pending):
                if stop.is_set():
                    return
                # A note leaves the status as it was, so these clicks do not change what is measured.
                reviewer.post(f"/personas/{pid}/claims/{cid}/note", note="late click")
                late.append((pid, cid))
                time.sleep(0.5)

        clicker = threading.Thread(target=keep_reviewing, daemon=True) if concurrent else None
        t = time.perf_counter()
        if clicker:
            clicker.start()
        run = build(settings, study, llm, n)
        stop.set()
        if clicker:
            clicker.join(timeout=120)
        seconds["re-run"] = round(time.perf_counter() - t, 1)
        page = html.unescape(reviewer.get("/"))
        with Store(settings.db_path) as store:
            now = pairs(store)
        # After a reload, each persona page shows the new version: every claim of the new draft is on it.
        reloaded = sum(all(f'data-claim-id="{c.id}"' in reviewer.get(f"/personas/{p.id}") for c in p.claims)
                       for p, _ in now)
    finally:
        server.stop()
    settled = run.settled
    with Store(settings.db_path) as store:
        after = pairs(store)
        listed = orphans(store)
        current = all_decisions(store)
        notes = [o.decision.note for o in listed] + [d.note for d in current]
    shown = sum(1 for o in settled.orphaned if (o.decision.claim.text if o.decision.claim else "") in page)
    same, kept = unchanged_segments(before, after)
    return Outcome(
        decisions=settled.decisions, carried=settled.carried, orphaned=len(settled.orphaned), recheck=settled.recheck,
        kept=settled.kept, orphans_listed=shown, unchanged_segments=same, unchanged_kept_id=kept,
        continued=len(settled.lineage.matches), new=len(settled.lineage.new_segments),
        retired=len(settled.lineage.retired), concurrent_posted=len(late),
        concurrent_kept=min(len(late), notes.count("late click")), reloaded=reloaded, personas=len(after),
        seconds=seconds,
    )
