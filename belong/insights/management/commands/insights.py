"""`belong insights evaluate | classify | backfill | daily | recalibrate`: community intelligence from the shell.

Every subcommand that runs a model loads all of them first (`engine.check()`), so a missing or
corrupt model file is one clear error before any work, not a failure per post.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from belong.communities.models import Community
from belong.insights import alerts, calibration, engine, evaluation, pipeline, rollups, themes
from belong.insights.engine.text import MAX_CHARS
from belong.insights.models import PostAnalysis
from belong.settings import env

DEFAULT_DATA = settings.BASE_DIR.parent / "shared" / "data" / "sentiment"
DEFAULT_CACHE = env.VAR_DIR / "cache" / "sentiment"
DEFAULT_LANGUAGES = "en,pt,bg,af"
CLASSIFY_BATCH = 32
CSV_COLUMNS = ["line", "language", "sentiment", "score", "negative", "neutral", "positive", "flags"]


class Command(BaseCommand):
    help = "Community intelligence: evaluate the sentiment head, classify a file, backfill, run the daily work."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

        evaluate = commands.add_parser(
            "evaluate", help="macro-F1 and accuracy of the shipped sentiment head on each validation split"
        )
        evaluate.add_argument(
            "--data", type=Path, default=DEFAULT_DATA, help=f"labelled data folder (default {DEFAULT_DATA})"
        )
        evaluate.add_argument(
            "--cache", type=Path, default=DEFAULT_CACHE, help=f"where text vectors are cached (default {DEFAULT_CACHE})"
        )

        classify = commands.add_parser("classify", help="language, sentiment and flags of each line of a text file")
        classify.add_argument("file", metavar="FILE", help="one text per line; - reads standard input")
        classify.add_argument("--output", "-o", metavar="OUT.csv", help="CSV file to write (default: standard output)")
        classify.add_argument(
            "--languages",
            default=DEFAULT_LANGUAGES,
            help=f"comma-separated language codes to detect among (default {DEFAULT_LANGUAGES})",
        )

        backfill = commands.add_parser("backfill", help="analyse existing posts, then rebuild rollups, alerts, themes")
        backfill.add_argument("--community", metavar="SLUG", help="only this community")
        backfill.add_argument(
            "--all", action="store_true", help="re-check every post, not only unanalysed ones (changed ones are redone)"
        )
        backfill.add_argument("--batch", type=int, default=pipeline.BATCH, help="posts per step (default %(default)s)")

        commands.add_parser("daily", help="refresh yesterday's and today's rollups, detect alerts, rebuild themes")

        recalibrate = commands.add_parser(
            "recalibrate", help="fit each community's sentiment calibration to its managers' corrections"
        )
        recalibrate.add_argument("--community", metavar="SLUG", help="only this community")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "evaluate": self.evaluate,
            "classify": self.classify,
            "backfill": self.backfill,
            "daily": self.daily,
            "recalibrate": self.recalibrate,
        }
        handlers[options["subcommand"]](options)

    # -- shared -----------------------------------------------------------------------------------

    def check_models(self) -> None:
        """Load every model once: a missing or corrupt file stops the command here, with its name."""
        try:
            engine.check()
        except ImproperlyConfigured as error:
            raise CommandError(f"The insights models cannot be loaded: {error}") from error

    def communities(self, slug: str | None) -> list[Community]:
        communities = Community.objects.order_by("pk")
        if slug:
            communities = communities.filter(slug=slug)
            if not communities.exists():
                raise CommandError(f"No community with the address {slug!r}.")
        return list(communities)

    def rebuild_themes(self, community_id: int) -> str:
        return f"{themes.rebuild(community_id)} themes"

    # -- evaluate ---------------------------------------------------------------------------------

    def evaluate(self, options: dict[str, Any]) -> None:
        data: Path = options["data"]
        try:
            evaluation.load_splits(data, "val")  # a wrong folder fails here, before any model loads
        except evaluation.DataError as error:
            raise CommandError(f"Cannot evaluate on {data}: {error}") from error
        self.check_models()
        started = time.perf_counter()
        scores = evaluation.evaluate(data, cache_dir=options["cache"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"Sentiment head {evaluation.current_head_version()} on the validation splits of {data}")
        self.stdout.write("")
        self.stdout.write(f"{'split':<28} {'language':<8} {'n':>6} {'macro-F1':>9} {'accuracy':>9}")
        for score in scores:
            self.stdout.write(
                f"{score.name:<28} {score.language:<8} {score.examples:>6} {score.macro_f1:>9.3f} {score.accuracy:>9.3f}"
            )
        if len(scores) > 1:
            mean = sum(score.macro_f1 for score in scores) / len(scores)
            total = sum(score.examples for score in scores)
            self.stdout.write(f"{'mean of splits':<28} {'':<8} {total:>6} {mean:>9.3f}")
        self.stdout.write("")
        self.stdout.write(f"{len(scores)} splits in {seconds:.1f} s")

    # -- classify ---------------------------------------------------------------------------------

    def classify(self, options: dict[str, Any]) -> None:
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        if not languages:
            raise CommandError("Give at least one language code, e.g. --languages en,pt.")
        raw = self.read_input(options["file"])
        self.check_models()
        lines, undecodable = decode_lines(raw)
        truncated = sum(1 for line in lines if len(line) > MAX_CHARS)
        if options["output"]:
            try:
                handle: IO[str] = open(options["output"], "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error}") from error
        else:
            handle = self.stdout  # type: ignore[assignment]
        try:
            write_csv(handle, lines, languages)
        finally:
            if options["output"]:
                handle.close()
        summary = f"{len(lines)} lines classified"
        if undecodable:
            summary += f"; {len(undecodable)} had bytes that are not UTF-8 (replaced by �): lines " + ", ".join(
                str(n) for n in undecodable[:20]
            )
            if len(undecodable) > 20:
                summary += ", …"
        if truncated:
            summary += f"; {truncated} longer than {MAX_CHARS} characters were judged on their opening only"
        self.stderr.write(summary + ".", style_func=str)

    def read_input(self, name: str) -> bytes:
        if name == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror or error}") from error

    # -- backfill ---------------------------------------------------------------------------------

    def backfill(self, options: dict[str, Any]) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        communities = self.communities(options["community"])
        self.check_models()
        from tqdm import tqdm

        only = communities[0].pk if options["community"] else None
        ids = pipeline.all_posts(only) if options["all"] else pipeline.unanalysed(only)
        touched: dict[int, set[date]] = {}
        analysed = 0
        batch = options["batch"]
        with tqdm(total=len(ids), unit="post", desc="analysing", file=sys.stderr, disable=None) as bar:
            for start in range(0, len(ids), batch):
                chunk = ids[start : start + batch]
                for analysis in pipeline.analyse_posts(chunk):
                    touched.setdefault(analysis.community_id, set()).add(analysis.posted_at.date())
                    analysed += 1
                bar.update(len(chunk))
        self.stdout.write(f"{analysed} posts analysed ({len(ids) - analysed} already up to date)")
        for community in communities:
            days = sorted(touched.get(community.pk, set()))
            if not days:
                continue
            raised = self.refresh_days(community.pk, days)
            self.stdout.write(
                f"{community.slug}: {len(days)} days re-rolled, {raised} alerts raised or updated; "
                f"{self.rebuild_themes(community.pk)}"
            )
        self.stdout.write(self.style.SUCCESS("Backfill done."))

    def refresh_days(self, community_id: int, days: Sequence[date]) -> int:
        """Roll every day up first, then judge them in order: each day's baseline is the days before it."""
        for day in days:
            rollups.refresh(community_id, day)
        return sum(len(alerts.detect(community_id, day)) for day in days)

    # -- daily ------------------------------------------------------------------------------------

    def daily(self, options: dict[str, Any]) -> None:
        # Rollup days are UTC days (rollups.day_bounds), whatever the site's time zone.
        today = timezone.now().date()
        days = [today - timedelta(days=1), today]
        for community in self.communities(None):
            raised = self.refresh_days(community.pk, days)
            themes_done = (
                self.rebuild_themes(community.pk)
                if PostAnalysis.objects.filter(community_id=community.pk).exists()
                else "no analysed posts"
            )
            self.stdout.write(f"{community.slug}: rollups of {days[0]} and {today}, {raised} alerts; {themes_done}")
        self.stdout.write(self.style.SUCCESS("Daily insights done."))

    # -- recalibrate ------------------------------------------------------------------------------

    def recalibrate(self, options: dict[str, Any]) -> None:
        communities = self.communities(options["community"])
        self.check_models()
        for community in communities:
            outcome = calibration.attempt(community.pk)
            if outcome.calibration is None:
                self.stdout.write(f"{community.slug}: not recalibrated: {outcome.reason}")
                continue
            self.stdout.write(
                f"{community.slug}: recalibrated on {outcome.corrections} corrections "
                f"({', '.join(outcome.labels)}); accuracy on them {outcome.accuracy_before:.3f} → "
                f"{outcome.accuracy_after:.3f} (cross-validated); {outcome.rescored} posts re-scored"
            )


def decode_lines(raw: bytes) -> tuple[list[str], list[int]]:
    """The file's lines as text, and the numbers (from 1) of lines whose bytes were not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    chunks = raw.split(b"\n")
    if chunks and chunks[-1] == b"":
        chunks.pop()  # a final newline ends the last line; it does not start another
    lines: list[str] = []
    undecodable: list[int] = []
    for number, chunk in enumerate(chunks, start=1):
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            text = chunk.decode("utf-8", errors="replace")
            undecodable.append(number)
        lines.append(text.removesuffix("\r"))
    return lines, undecodable


def batches(lines: list[str], size: int) -> Iterator[tuple[int, list[str]]]:
    for start in range(0, len(lines), size):
        yield start, lines[start : start + size]


def write_csv(handle: IO[str], lines: list[str], languages: list[str]) -> None:
    writer = csv.writer(handle)
    writer.writerow(CSV_COLUMNS)
    for start, chunk in batches(lines, CLASSIFY_BATCH):
        for offset, result in enumerate(engine.analyse(chunk, languages)):
            sentiment = result.sentiment
            writer.writerow(
                [
                    start + offset + 1,
                    result.language,
                    sentiment.label if sentiment else "",
                    f"{sentiment.score:.4f}" if sentiment else "",
                    *(f"{p:.4f}" for p in (sentiment.probabilities if sentiment else ())),
                    *([""] * 3 if sentiment is None else []),
                    " ".join(result.flags.get("reasons", [])),
                ]
            )
