"""A bounded, deterministic fuzz and fault run over ingest, status and search (issue 20).

Random bytes under every supported extension, odd encodings, odd file names, markup and control
characters in text and queries, a 5 MB CSV cell, and storage faults injected at the storage
boundary (disk full, locked, read-only, I/O error) while ingesting, counting and searching. For
every case: no traceback reaches the user, exit codes are 0, 1 or 2, and what was stored before
is still there afterwards. Seeds are fixed; the fake embedder keeps it fast. Each test collects
its failing cases and reports them all; the case count is printed at the end of the run.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import random
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.parsers import SUPPORTED_EXTENSIONS
from tests.test_ingest import REVIEWS, TRANSCRIPT

runner = CliRunner()
SEED = 20
CASES = {"run": 0, "failed": 0}
BASELINE_QUOTE = "the shared list is the worst part"

# Characters that have broken terminals, markup or storage somewhere.
NASTY = ["[", "]", "[/]", "[bold]", "[/bold]", "\\", "\x1b[31m", "\x1b[2J", "\x1b]0;t\x07", "\x07", "\x00", "\r",
         "\x08", "\x7f", "\x9b", "\u202e", "\u200b", "\ufeff", "😀", "é", "ß", "\t", "\n", '"', "'", ",", "{", "}", "%s"]


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request):
    yield
    line = f"\ntest_fuzz_faults: {CASES['run']} cases run, {CASES['failed']} failed"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print(line)
    else:  # pragma: no cover
        print(line)


class Cases:
    """Collects failing cases so that one run reports every failure, not the first."""

    def __init__(self):
        self.failures: list[str] = []

    def check(self, name: str, res, codes=(0, 1, 2), stored=None) -> None:
        CASES["run"] += 1
        problems = []
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            problems.append(f"raised {type(res.exception).__name__}: {res.exception}")
        if "Traceback" in res.output:
            problems.append("a traceback reached the user")
        if res.exit_code not in codes:
            problems.append(f"exit code {res.exit_code}, expected one of {codes}")
        if "\x1b" in res.output:
            problems.append("an escape sequence reached the terminal")
        if stored is not None:
            problems += stored()
        if problems:
            CASES["failed"] += 1
            self.failures.append(f"{name}: {'; '.join(problems)}\n{res.output[-600:]}")

    def assert_none(self) -> None:
        assert not self.failures, f"{len(self.failures)} failing cases:\n\n" + "\n\n".join(self.failures)


def _env(settings) -> dict[str, str]:
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder, "COLUMNS": "120"}


@pytest.fixture
def ws(tmp_path, fake_settings):
    """A workspace holding one interview and three reviews, and a check that they are all still there."""
    good = tmp_path / "good"
    good.mkdir()
    (good / "dana.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (good / "reviews.csv").write_text(REVIEWS, encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(good)], env=_env(fake_settings))
    assert res.exit_code == 0, res.output
    baseline = _totals(fake_settings)

    def intact() -> list[str]:
        problems = []
        totals = _totals(fake_settings)
        if totals is None or any(totals[k] < baseline[k] for k in baseline):
            problems.append(f"stored data changed: {baseline} -> {totals}")
        res = runner.invoke(app, ["search", BASELINE_QUOTE, "-k", "20", "--json"], env=_env(fake_settings))
        if res.exit_code != 0 or BASELINE_QUOTE not in res.stdout:
            problems.append("the stored interview is no longer found")
        return problems

    return fake_settings, intact


def _totals(settings) -> dict | None:
    res = runner.invoke(app, ["status", "--json"], env=_env(settings))
    return json.loads(res.stdout)["totals"] if res.exit_code == 0 else None


def _ingest(settings, folder: Path, *extra: str):
    return runner.invoke(app, ["ingest", str(folder), "--json", *extra], env=_env(settings))


def _every_file_accounted_for(res, names: list[str]) -> list[str]:
    """Each file is ingested or has its own report line: nothing vanishes silently."""
    try:
        report = json.loads(res.stdout)
    except ValueError:
        return ["--json printed no report"]
    reported = {os.path.basename(i["path"]) for i in report["issues"]}
    missing = len(names) - report["files_ingested"] - report["files_unchanged"] - len(
        [n for n in names if n in reported])
    return [f"{missing} files neither ingested nor reported"] if missing > 0 else []


# files --------------------------------------------------------------------------------------------------
def test_random_bytes_under_every_supported_extension(tmp_path, ws):
    settings, intact = ws
    rng = random.Random(SEED)
    cases = Cases()
    for ext in sorted(SUPPORTED_EXTENSIONS):
        folder = tmp_path / f"bytes{ext}"
        folder.mkdir()
        names = []
        for i, size in enumerate((0, 1, 3, 64, 700, 5000)):
            data = bytes(rng.randrange(256) for _ in range(size))
            if i == 5:  # mostly text, with random bytes spliced in: the hardest to classify
                text = (TRANSCRIPT * 3).encode("utf-8")
                cut = rng.randrange(len(text))
                data = text[:cut] + data[:200] + text[cut:]
            names.append(f"f{i}{ext}")
            (folder / names[-1]).write_bytes(data)
        res = _ingest(settings, folder)
        cases.check(f"random bytes {ext}", res, codes=(0, 1),
                    stored=lambda res=res, names=names: _every_file_accounted_for(res, names) + intact())
    cases.assert_none()


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "mac_roman",
             "shift_jis", "gb18030", "koi8-r"]


def test_odd_encodings(tmp_path, ws):
    settings, intact = ws
    cases = Cases()
    text = TRANSCRIPT.replace("Dana", "Renée").replace("worst part", "pire partie, naïve façade")
    folder = tmp_path / "encodings"
    folder.mkdir()
    names = []
    for enc in ENCODINGS:
        data = text.encode(enc, errors="replace")
        names.append(f"t_{enc}.txt")
        (folder / names[-1]).write_bytes(data)
    (folder / "truncated_utf8.txt").write_bytes(text.encode("utf-8")[:-1] + "é".encode("utf-8")[:1])
    (folder / "mixed.txt").write_bytes(text.encode("utf-8") + text.encode("cp1252"))
    (folder / "bom_mismatch.csv").write_bytes(codecs.BOM_UTF16_LE + REVIEWS.encode("utf-8"))
    (folder / "utf16.csv").write_bytes(REVIEWS.encode("utf-16"))
    names += ["truncated_utf8.txt", "mixed.txt", "bom_mismatch.csv", "utf16.csv"]
    res = _ingest(settings, folder)
    cases.check("odd encodings", res, codes=(0, 1),
                stored=lambda: _every_file_accounted_for(res, names) + intact())
    cases.assert_none()


ODD_NAMES = [b"caf\xe9.txt", b"\xff\xfe\xfd.csv", b"with space.txt", "emoji 😀 interview.txt".encode(),
             b"a" * 240 + b".txt", b"-leading-dash.txt", b"--help.txt", b"[bold]x[red].txt",
             b"new\nline.txt", b"tab\tname.txt", b"\x1b[31mansi.txt", b"bell\x07.txt", "\u202etxt.md".encode()]


def test_odd_file_names(tmp_path, ws):
    settings, intact = ws
    cases = Cases()
    folder = tmp_path / "names"
    folder.mkdir()
    for i, name in enumerate(ODD_NAMES):
        content = REVIEWS if name.endswith(b".csv") else TRANSCRIPT.replace("Dana", f"Person{i}")
        with open(os.fsencode(folder) + b"/" + name, "wb") as fh:
            fh.write(content.encode("utf-8"))
    res = _ingest(settings, folder)
    cases.check("odd names, --json", res, codes=(0,), stored=intact)
    again = runner.invoke(app, ["ingest", str(folder)], env=_env(settings))  # the table view, all unchanged
    cases.check("odd names, table", again, codes=(0,))
    # Named one by one on the command line, a leading dash after `--` included.
    os.chdir(folder)
    for name in ODD_NAMES:
        res = runner.invoke(app, ["ingest", "--", os.fsdecode(name)], env=_env(settings))
        cases.check(f"odd name {name!r} as an argument", res, codes=(0,))
    res = runner.invoke(app, ["search", "husband milk cartons", "-k", "20"], env=_env(settings))
    cases.check("search over odd names", res, codes=(0,))
    cases.assert_none()


def _nasty_text(rng: random.Random, words: int) -> str:
    base = "we plan dinners and share the list with the kids every week".split()
    return " ".join(rng.choice(NASTY) + rng.choice(base) if rng.random() < 0.4 else rng.choice(base)
                    for _ in range(words))


def test_markup_and_control_characters_in_text_and_queries(tmp_path, ws):
    settings, intact = ws
    rng = random.Random(SEED + 1)
    cases = Cases()
    folder = tmp_path / "nasty"
    folder.mkdir()
    rows = [{"id": f"n{i}", "author": _nasty_text(rng, 2), "text": _nasty_text(rng, 30)} for i in range(40)]
    with open(folder / "posts.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    # JSON escapes decode to lone surrogates, which no database or terminal takes as they are.
    (folder / "surrogates.jsonl").write_text(
        '{"id": "s1", "author": "x\\ud800y", "text": "I plan dinners \\udc00 and the shared list \\ud83d"}\n',
        encoding="utf-8")
    lines = [f"Priya: {_nasty_text(rng, 8)}?\nDana{rng.choice(NASTY)}: {_nasty_text(rng, 25)}" for _ in range(10)]
    (folder / "interview.txt").write_text("\n".join(lines).replace("\x00", ""), encoding="utf-8")
    res = _ingest(settings, folder)
    cases.check("nasty text ingest", res, codes=(0, 1), stored=intact)
    for i in range(25):
        query = _nasty_text(rng, rng.randrange(1, 6))
        for extra in ([], ["--json"]) if i % 5 == 0 else ([],):
            res = runner.invoke(app, ["search", query, "-k", "5", *extra], env=_env(settings))
            cases.check(f"search {query!r} {extra}", res, codes=(0, 2))
    res = runner.invoke(app, ["status"], env=_env(settings))
    cases.check("status after nasty text", res, codes=(0,))
    cases.assert_none()


def test_a_5_mb_csv_cell(tmp_path, ws):
    settings, intact = ws
    cases = Cases()
    folder = tmp_path / "huge"
    folder.mkdir()
    sentence = "The weekly plan keeps the family fed and the shared list in sync. "
    cell = (sentence * (5_000_000 // len(sentence) + 1))[:5_000_000]
    (folder / "huge.csv").write_text(f'id,author,text\n1,Big Cell,"{cell}"\n2,Small,Fine app really.\n',
                                     encoding="utf-8")
    (folder / "huge_noseparators.csv").write_text(f'id,text\n1,{"x" * 5_000_000}\n', encoding="utf-8")
    res = _ingest(settings, folder)
    cases.check("5 MB cell", res, codes=(0, 1), stored=intact)
    cases.assert_none()


# storage faults -------------------------------------------------------------------------------------------
def _sqlite(message: str):
    def fault(*args, **kwargs):
        raise sqlite3.OperationalError(message)
    return fault


def _chroma(message: str):
    def fault(*args, **kwargs):
        from chromadb.errors import InternalError

        raise InternalError(f"error returned from database: {message}")
    return fault


def _oserror(code: int):
    def fault(*args, **kwargs):
        raise OSError(code, os.strerror(code), "/fuzz/ws/chroma/data_level0.bin")
    return fault


FAULTS = {
    "sqlite full": (_sqlite("database or disk is full"), "disk full:"),
    "sqlite locked": (_sqlite("database is locked"), "database is locked:"),
    "sqlite read-only": (_sqlite("attempt to write a readonly database"), "read-only"),
    "sqlite io": (_sqlite("disk I/O error"), "disk I/O error"),
    "chroma full": (_chroma("(code: 13) database or disk is full"), "disk full:"),
    "chroma locked": (_chroma("(code: 5) database is locked"), "database is locked:"),
    "ENOSPC": (_oserror(errno.ENOSPC), "disk full:"),
    "EROFS": (_oserror(errno.EROFS), "read-only file system"),
}
SITES = {
    "ingest": ["synth.store._Connection.executemany", "synth.store.Store.__init__", "synth.vectors.VectorStore.upsert",
               "synth.vectors.VectorStore.existing"],
    "status": ["synth.store.Store.counts_by_kind", "synth.store.Store.__init__"],
    "search": ["synth.vectors.VectorStore.query", "synth.store.Store.chunks", "synth.store.Store.document"],
}


def test_storage_faults_are_one_line_and_leave_stored_data_intact(tmp_path, ws, monkeypatch):
    settings, intact = ws
    cases = Cases()
    n = 0
    for command, sites in SITES.items():
        for site in sites:
            for name, (fault, words) in FAULTS.items():
                n += 1
                if command == "ingest":  # a new file each time, so that there is something to write
                    folder = tmp_path / f"new{n}"
                    folder.mkdir()
                    (folder / "eli.txt").write_text(TRANSCRIPT.replace("Dana", f"Eli{n}"), encoding="utf-8")
                    args = ["ingest", str(folder)]
                else:
                    args = ["status"] if command == "status" else ["search", "shared list"]
                with monkeypatch.context() as patch:
                    patch.setattr(site, fault)
                    res = runner.invoke(app, args, env=_env(settings))
                errors = [line for line in res.output.splitlines() if line.startswith("error:")]

                def one_line(errors=errors, words=words) -> list[str]:
                    if len(errors) != 1 or words not in errors[0]:
                        return [f"expected one error line with {words!r}, got {errors}"]
                    return []

                cases.check(f"{command} with {name} at {site}", res, codes=(1,), stored=one_line)
    # Whatever failed above, what was stored before is all still there.
    res = runner.invoke(app, ["status"], env=_env(settings))
    cases.check("status after the faults", res, codes=(0,), stored=intact)
    cases.assert_none()
