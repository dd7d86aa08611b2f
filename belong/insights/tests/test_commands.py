"""`belong insights evaluate | classify | backfill | daily | recalibrate`, with the real models."""

from __future__ import annotations

import csv
import io
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from belong.conversations.models import Post
from belong.conversations.tests.factories import PostFactory, ThreadFactory
from belong.insights.engine import embeddings, sentiment
from belong.insights.models import DailyRollup, PostAnalysis

ENGLISH = [
    ("I love this phone, the camera is brilliant.", 2),
    ("Worst purchase ever, it broke after two days.", 0),
    ("The store opens at nine on Mondays.", 1),
]
PORTUGUESE_TSV = "ID\ttweet\tlabel\npt_1\tAdoro este produto, funciona perfeitamente.\tpositive\n" + (
    "pt_2\tPéssimo serviço, nunca mais compro nada.\tnegative\npt_3\tA loja abre às nove.\tneutral\n"
)
TEXTS = {
    "en": "I love this product, the battery lasts for days and support was wonderful.",
    "pt": "O produto chegou partido e ninguém responde aos meus emails. Que desilusão terrível.",
    "bg": "Много съм доволен от новата версия, работи бързо и надеждно.",
    "af": "Die battery is baie swak en die toestel raak heeltyd warm. Ek is teleurgesteld.",
}


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("insights", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A labelled data folder in both layouts: XLM-T (text and label files) and AfriSenti (TSV)."""
    root: Path = tmp_path_factory.mktemp("sentiment")
    english = root / "xlm-t" / "english"
    english.mkdir(parents=True)
    # XLM-T files have no final newline.
    (english / "val_text.txt").write_text("\n".join(text for text, _ in ENGLISH), encoding="utf-8")
    (english / "val_labels.txt").write_text("\n".join(str(label) for _, label in ENGLISH), encoding="utf-8")
    (root / "afrisenti").mkdir()
    (root / "afrisenti" / "pt_dev.tsv").write_text(PORTUGUESE_TSV, encoding="utf-8")
    return root


@pytest.fixture
def reload_models():
    """Tests that break a model file reload the real ones afterwards."""
    yield
    embeddings.backend.cache_clear()
    sentiment.head.cache_clear()


# -- evaluate ---------------------------------------------------------------------------------------


def test_evaluate_prints_macro_f1_per_split_of_both_layouts(data_dir, tmp_path):
    out, _ = run("evaluate", "--data", str(data_dir), "--cache", str(tmp_path))

    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["xlm-t/english"][1:3] == ["en", "3"]
    assert lines["afrisenti/pt"][1:3] == ["pt", "3"]
    assert 0.0 <= float(lines["xlm-t/english"][3]) <= 1.0
    assert "2 splits in" in out
    assert len(list(tmp_path.glob("vectors-*.npy"))) == 2  # cached for the next run
    again, _ = run("evaluate", "--data", str(data_dir), "--cache", str(tmp_path))
    assert again.splitlines()[3:5] == out.splitlines()[3:5]


@pytest.mark.parametrize("layout", ["missing", "foreign", "bad-labels", "bad-columns"])
def test_evaluate_refuses_a_folder_that_is_not_labelled_data(tmp_path, layout):
    folder = tmp_path / "data"
    if layout != "missing":
        folder.mkdir()
        (folder / "notes.txt").write_text("not data")
    if layout == "bad-labels":
        (folder / "set" / "english").mkdir(parents=True)
        (folder / "set" / "english" / "val_text.txt").write_text("good\nbad")
        (folder / "set" / "english" / "val_labels.txt").write_text("2\npositive")
    if layout == "bad-columns":
        (folder / "set").mkdir()
        (folder / "set" / "pt_dev.tsv").write_text("id\ttext\nx\tolá\n")

    with pytest.raises(CommandError, match="Cannot evaluate on"):
        run("evaluate", "--data", str(folder), "--cache", str(tmp_path / "cache"))


# -- classify ---------------------------------------------------------------------------------------


def test_classify_writes_a_csv_row_per_line_whatever_the_line(tmp_path):
    source = tmp_path / "answers.txt"
    lines = [*TEXTS.values(), "", "🎉🎉🔥", "Great " * 2000]
    source.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\x00garbage \xc3\x28 bytes\n")
    target = tmp_path / "out.csv"

    _, err = run("classify", str(source), "--output", str(target))

    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["line"] for row in rows] == [str(n) for n in range(1, 9)]
    assert list(rows[0]) == ["line", "language", "sentiment", "score", "negative", "neutral", "positive", "flags"]
    assert [row["language"] for row in rows[:4]] == ["en", "pt", "bg", "af"]
    assert rows[0]["sentiment"] == "positive" and rows[1]["sentiment"] == "negative"
    assert abs(sum(float(rows[0][k]) for k in ("negative", "neutral", "positive")) - 1) < 0.01
    for empty in rows[4:6]:  # an empty line and an emoji-only one: nothing to judge
        assert empty["language"] == "unknown" and empty["sentiment"] == "" and empty["score"] == ""
    assert rows[6]["sentiment"] == "positive"  # a huge line is judged on its opening
    assert rows[7]["sentiment"] in {"negative", "neutral", "positive"}
    assert "8 lines classified" in err
    assert "not UTF-8" in err and "lines 8" in err
    assert "1 longer than 2000 characters" in err


def test_classify_reads_standard_input_and_writes_standard_output(monkeypatch):
    text = "Adoro este produto!\r\nThis is fucking terrible garbage, you idiots.\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))

    out, _ = run("classify", "-", "--languages", "en,pt")

    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["language"] for row in rows] == ["pt", "en"]
    assert "profanity" in rows[1]["flags"]


def test_classify_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("classify", str(tmp_path / "nope.txt"))


def test_a_missing_embedding_model_is_one_clear_error_before_any_work(settings, tmp_path, reload_models):
    empty = tmp_path / "model.bin"
    empty.write_bytes(b"")
    settings.BELONG_EMBEDDING_MODEL_PATH = str(empty)
    embeddings.backend.cache_clear()
    source = tmp_path / "in.txt"
    source.write_text("hello there\n")

    with pytest.raises(CommandError, match=r"model\.bin is truncated or corrupt"):
        run("classify", str(source), "--output", str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_a_corrupt_sentiment_head_is_one_clear_error(monkeypatch, tmp_path, reload_models):
    broken = tmp_path / "head.npz"
    np.savez(broken, coef=np.zeros((3, 4)), intercept=np.zeros(3))  # a zip of arrays, not a head
    monkeypatch.setattr(sentiment, "HEAD_PATH", broken)
    sentiment.head.cache_clear()
    source = tmp_path / "in.txt"
    source.write_text("hello there\n")

    with pytest.raises(CommandError, match=r"head\.npz is corrupt"):
        run("classify", str(source))


# -- backfill, daily, recalibrate -------------------------------------------------------------------


@pytest.fixture
def history(db, space):
    """Threads in four languages over three days, written straight to the database (no analysis yet)."""
    now = timezone.now()
    posts = []
    for days_ago, (language, text) in enumerate(TEXTS.items()):
        thread = ThreadFactory(space=space, title=f"{language} thread", opening=text)
        posts.append(thread.posts.get())
        posts.append(PostFactory(thread=thread, body="Thank you, that helped a lot!"))
        Post.objects.filter(thread=thread).update(created_at=now - timedelta(days=days_ago % 3))
    return posts


@pytest.mark.django_db
def test_backfill_analyses_every_post_once_and_rolls_up_their_days(space, history):
    out, _ = run("backfill", "--batch", "3")

    assert f"{len(history)} posts analysed" in out
    assert PostAnalysis.objects.filter(community=space.community).count() == len(history)
    assert {a.language for a in PostAnalysis.objects.filter(post__is_opening=True)} == {"en", "pt", "bg", "af"}
    rolled = DailyRollup.objects.filter(community=space.community)
    assert sum(rolled.values_list("posts", flat=True)) == len(history)
    assert rolled.values("day").distinct().count() == 3
    assert f"{space.community.slug}: 3 days re-rolled" in out

    again, _ = run("backfill")
    assert "0 posts analysed" in again
    unchanged, _ = run("backfill", "--all", "--community", space.community.slug)
    assert f"0 posts analysed ({len(history)} already up to date)" in unchanged

    Post.objects.filter(pk=history[1].pk).update(body="This is awful, it broke again.")
    edited, _ = run("backfill", "--all")
    assert "1 posts analysed" in edited


@pytest.mark.django_db
def test_backfill_refuses_an_unknown_community():
    with pytest.raises(CommandError, match="No community"):
        run("backfill", "--community", "nowhere")


@pytest.mark.django_db
def test_daily_refreshes_yesterday_and_today_for_every_community(space, history):
    run("backfill")
    DailyRollup.objects.all().delete()

    out, _ = run("daily")

    today = timezone.now().date()
    days = set(DailyRollup.objects.filter(community=space.community).values_list("day", flat=True))
    assert days == {today, today - timedelta(days=1)}
    assert space.community.slug in out and "Daily insights done." in out


@pytest.mark.django_db
def test_recalibrate_says_why_a_community_is_not_recalibrated(space, history):
    run("backfill")

    out, _ = run("recalibrate", "--community", space.community.slug)

    assert f"{space.community.slug}: not recalibrated: 0 corrected posts" in out
