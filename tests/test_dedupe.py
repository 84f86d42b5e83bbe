"""Near-duplicate folding: normalisation, the MinHash index, and honest counts through ingest and themes."""

from __future__ import annotations

import csv

import pytest

from synth.dedupe import FoldIndex, normalize_text, repetition
from synth.records import Chunk, Kind, Role


def _chunk(text: str, n: int, kind: Kind = Kind.social, role: Role = Role.participant) -> Chunk:
    return Chunk(document_id=f"doc{n}", participant_id=f"p{n}", speaker=f"p{n}", role=role, kind=kind,
                 text=text, start=0, end=len(text))


def test_normalize_drops_retweet_prefix_links_handles_case_and_punctuation():
    a = normalize_text("RT @someone: The Export keeps FAILING!!! https://t.co/abc @support")
    b = normalize_text("the export keeps failing")
    assert a == b == "the export keeps failing"
    assert normalize_text("The export keeps failing on Mondays") != b


def test_index_folds_copies_onto_the_first_and_keeps_different_posts_apart():
    base = "The new sync feature lost my whole shopping list twice this week and nobody answered"
    chunks = [
        _chunk(base, 0),
        _chunk(f"RT @p0: {base}", 1),  # a retweet
        _chunk(base.upper() + " https://x.co/1", 2),  # a copy-paste with a link
        _chunk(f"{base} so annoying", 3),  # two words added: a near duplicate
        _chunk("The new sync feature is great and my partner finally sees the list", 4),
        _chunk(base, 5, kind=Kind.interview),  # an interviewee repeating a post is not a repost
    ]
    folds = FoldIndex().fold(chunks)
    assert {cid: (f.canonical_id, f.how) for cid, f in folds.items()} == {
        chunks[1].id: (chunks[0].id, "retweet"),
        chunks[2].id: (chunks[0].id, "exact"),
        chunks[3].id: (chunks[0].id, "near"),
    }
    assert folds[chunks[3].id].similarity >= 0.8
    # A later batch folds onto what the index already holds.
    later = _chunk(f"{base}!!", 6)
    assert FoldIndex().fold([later]) == {}
    index = FoldIndex()
    index.fold(chunks)
    assert index.fold([later])[later.id].canonical_id == chunks[0].id


def _write_posts(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "author", "text"])
        w.writerows(rows)


CAMPAIGN = "Switching banks was painless, the app moved every standing order for me overnight"
OPINIONS = [
    "The card arrived broken and the replacement took three weeks to come",
    "Customer service kept me on hold for an hour before hanging up on me",
    "I love the savings pots, I finally put money aside every month without thinking",
    "Fees for paying abroad are hidden until the statement arrives, that felt sneaky",
    "The budgeting charts are clear and helped me cut my takeaway spending in half",
    "Logging in with my face fails in the dark, I have to type the code every evening",
]


@pytest.fixture(scope="module")
def folded_workspace(tmp_path_factory):
    from synth.config import load_settings
    from synth.ingest import ingest

    root = tmp_path_factory.mktemp("fold")
    rows = [(f"o{i}", f"author{i}", t) for i, t in enumerate(OPINIONS)]
    rows += [(f"c{i}", f"campaign{i}", CAMPAIGN + (" #switch" if i % 2 else "")) for i in range(12)]
    rows += [(f"r{i}", f"fan{i}", f"RT @author0: {OPINIONS[0]}") for i in range(8)]
    rows += [(f"b{i}", "bot1", "Win a free phone today, click the link in my profile now") for i in range(6)]
    folder = root / "in"
    folder.mkdir()
    _write_posts(folder / "posts.csv", rows)
    settings = load_settings(root / "ws", embedder="fake-hash:64")
    report = ingest([folder], settings)
    return settings, report, rows


def test_ingest_embeds_each_text_once_and_keeps_every_copy(folded_workspace):
    from synth.store import Store
    from synth.vectors import VectorStore

    settings, report, rows = folded_workspace
    assert report.chunks == len(rows)
    # 11 campaign copies, 8 retweets (of an own post the opinions already hold) and 5 bot repeats are folded
    assert report.chunks_folded == 11 + 8 + 5
    assert report.chunks_embedded == len(rows) - report.chunks_folded
    with Store(settings.db_path) as store:
        assert len(store.chunk_ids()) == len(rows)  # every author's own words stay evidence
        assert VectorStore(settings.embedder, path=settings.chroma_path).count() == len(store.vector_ids())
        rep = repetition(store)
    by_text = {r.text: r for r in rep.top}
    campaign = by_text[CAMPAIGN]
    assert (campaign.copies, campaign.accounts) == (12, 12) and campaign.bot_like
    retweeted = by_text[OPINIONS[0]]
    assert retweeted.accounts == 9 and not any("accounts" in w for w in retweeted.bot_like)  # retweets are not bots
    bot = next(r for r in rep.bot_like if r.most_by_one_account == 6)
    assert bot.accounts == 1 and "one account posted it 6 times" in bot.bot_like


def test_reingest_keeps_folds_and_themes_count_every_copy(folded_workspace):
    from synth.ingest import ingest
    from synth.store import Store
    from synth.themes import build_themes

    settings, _, rows = folded_workspace
    again = ingest([settings.workspace.parent / "in"], settings)
    assert again.chunks_embedded == 0 and again.files_unchanged == 1
    run = build_themes(settings, min_size=3)
    assert sum(t.size for t in run.themes) + len(run.unassigned) == len(rows)
    assert run.stats["distinct"] == len(rows) - 24 and run.stats["folded"] == 24
    with Store(settings.db_path) as store:
        folds = store.folds()
        campaign_ids = {r[0] for r in store.db.execute("SELECT id FROM chunks WHERE text LIKE 'Switching banks%'")}
    assert len(campaign_ids) == 12 and len(campaign_ids - set(folds)) == 1
    placed = [t for t in run.themes if campaign_ids & set(t.chunk_ids)]
    assert placed, "the campaign (12 of 32 chunks) must make a theme"
    campaign_theme = placed[0]
    # the 12 campaign posts are 12 chunks from 12 people, in one theme, yet shown once among the exemplars
    assert campaign_ids <= set(campaign_theme.chunk_ids) and campaign_theme.participant_count >= 12
    exemplar_texts = [run.quotes[i]["text"] for i in campaign_theme.exemplar_ids]
    assert len(exemplar_texts) == len({normalize_text(t) for t in exemplar_texts})


def test_interrupted_ingest_resumes_with_the_same_folds_as_a_clean_run(tmp_path, fake_settings, fake_embedder,
                                                                       monkeypatch):
    from evals.social_posts import write_csv
    from synth.ingest import ingest
    from synth.store import Store
    from tests.test_ingest_batches import interrupt_after, other_workspace

    data = write_csv(tmp_path / "data" / "posts.csv", 1200, seed=3)
    clean = other_workspace(fake_settings, tmp_path, "clean")
    ingest([data], clean, batch_rows=200)
    interrupt_after(fake_embedder, monkeypatch, 2)  # two batches get through, then Ctrl-C
    with pytest.raises(KeyboardInterrupt):
        ingest([data], fake_settings, batch_rows=200)
    monkeypatch.undo()
    with Store(fake_settings.db_path) as store:
        assert store.partial_files() and store.folds()  # committed batches kept their folds
    resumed = ingest([data], fake_settings, batch_rows=200)
    assert resumed.files_resumed == 1
    with Store(clean.db_path) as a, Store(fake_settings.db_path) as b:
        assert a.folds() == b.folds() and a.vector_ids() == b.vector_ids()
        assert len(a.folds()) > 600  # the generated export is mostly copies


def test_copies_get_a_new_original_when_the_original_file_is_pruned(tmp_path, fake_settings):
    from synth.ingest import ingest
    from synth.store import Store
    from synth.vectors import VectorStore

    folder = tmp_path / "in"
    folder.mkdir()
    text = "The export to spreadsheet drops every row after the first thousand, a real problem for us"
    _write_posts(folder / "a.csv", [("a1", "first", text)])
    _write_posts(folder / "b.csv", [(f"b{i}", f"copier{i}", f"RT @first: {text}") for i in range(3)])
    report = ingest([folder], fake_settings)
    assert report.chunks_folded == 3 and report.chunks_embedded == 1
    (folder / "a.csv").unlink()
    ingest([folder], fake_settings, prune=True)
    with Store(fake_settings.db_path) as store:
        folds, owners = store.folds(), store.vector_ids()
        assert len(store.chunk_ids()) == 3 and len(owners) == 1 and len(folds) == 2
        assert set(folds.values()) == owners  # the two other copies fold onto the promoted one
    assert VectorStore(fake_settings.embedder, path=fake_settings.chroma_path).existing(sorted(owners)) == owners


@pytest.mark.parametrize("exact_max", [2000, 0])  # the segment's own vectors, and the oversampled collection query
def test_chat_finds_a_segments_reposts_through_their_original_and_cites_the_reposters(folded_workspace, monkeypatch,
                                                                                      exact_max):
    import synth.chat.retrieval as retrieval
    from synth.embedders import get_embedder
    from synth.records import Segment
    from synth.store import Store

    settings, _, _ = folded_workspace
    monkeypatch.setattr(retrieval, "EXACT_MAX", exact_max)
    with Store(settings.db_path) as store:
        fans = {c.id: c.participant_id for c in store.chunks() if (c.speaker or "").startswith("fan")}
        assert len(fans) == 8 and set(store.folds(sorted(fans))) == set(fans)  # every retweet is a copy
    segment = Segment(id="seg_fans", participant_ids=sorted(set(fans.values())))
    retriever = retrieval.SegmentRetriever(settings, segment)
    try:
        vector = get_embedder(settings.embedder).embed([OPINIONS[0]])[0]
        hits = retriever.nearest(vector, 8)
    finally:
        retriever.close()
    assert {cid for cid, _ in hits} == set(fans)  # the reposters themselves, none of them lost for want of a vector
    assert all(sim > 0.9 for _, sim in hits)
