"""Insights benchmark: analysed posts per second per core, and the worker's peak memory.

    .venv/bin/python bench/insights.py [--posts 600] [--threads 1 2] [--json results.json]

For each thread count the script starts one child process with OMP_NUM_THREADS set before any
model loads (the embedding engine reads it once), so the counts are measured separately. The
child loads every model the worker loads (embedding model, sentiment head, language detector
over en/pt/bg/af and their confusers, the profanity filters), records its peak resident memory
(`ru_maxrss`), then analyses `--posts` posts through `engine.analyse` in batches of
`pipeline.BATCH`, as the worker does, and records the time and the peak memory again.

The posts are real multilingual text of varied length: sentences and paragraphs of the seeds in
../shared/seeds/ and tweets of ../shared/data/sentiment/ (validation splits), mixed in a fixed
order (seeded), from a few words to the 2,000-character window. No database is touched: this
measures the models, which dominate a post's analysis; writing a PostAnalysis row is one UPDATE.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LANGUAGES = ["en", "pt", "bg", "af"]


def corpus(count: int) -> list[str]:
    """`count` post texts: short tweets, one to three sentences, and whole paragraphs, shuffled."""
    rng = random.Random(6)  # noqa: S311 (a fixed sample of texts, not a secret)
    paragraphs: list[str] = []
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        paragraphs += [p.strip() for p in seed.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 40]
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 15]
    tweets: list[str] = []
    data = SHARED / "data" / "sentiment"
    for path in sorted(data.glob("*/*/val_text.txt")):
        tweets += path.read_text(encoding="utf-8").split("\n")[:60]
    for path in sorted(data.glob("*/*_dev.tsv")):
        tweets += [line.split("\t")[1] for line in path.read_text(encoding="utf-8").split("\n")[1:61] if "\t" in line]
    if not paragraphs or not tweets:
        sys.exit(f"No seeds or sentiment data under {SHARED}.")
    posts = []
    for n in range(count):
        kind = n % 4
        if kind == 0:
            posts.append(rng.choice(tweets))
        elif kind == 1:
            start = rng.randrange(len(sentences))
            posts.append(" ".join(sentences[start : start + rng.randint(1, 3)]))
        elif kind == 2:
            posts.append(rng.choice(paragraphs))
        else:  # a long post: several paragraphs (cut to the model's window by plain_text)
            start = rng.randrange(len(paragraphs))
            posts.append("\n\n".join(paragraphs[start : start + rng.randint(2, 5)]))
    rng.shuffle(posts)
    return posts


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(posts: int) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "belong.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from belong.insights import engine, pipeline
    from belong.insights.engine.language import detect_language
    from belong.insights.engine.moderation import moderation_flags
    from belong.insights.engine.text import plain_text

    texts = corpus(posts)
    started = time.perf_counter()
    engine.check()
    for language in [*LANGUAGES, "unknown"]:
        detect_language("warm-up text for the detector", LANGUAGES)
        moderation_flags("warm-up text", language)
    load_seconds = time.perf_counter() - started
    loaded_mib = peak_mib()
    started = time.perf_counter()
    cpu_started = time.process_time()
    for start in range(0, len(texts), pipeline.BATCH):
        engine.analyse(texts[start : start + pipeline.BATCH], LANGUAGES)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    threads = int(os.environ.get("OMP_NUM_THREADS", "0"))
    lengths = sorted(len(plain_text(text)) for text in texts)
    return {
        "threads": threads,
        "posts": len(texts),
        "chars_median": lengths[len(lengths) // 2],
        "chars_max": lengths[-1],
        "load_seconds": round(load_seconds, 2),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "posts_per_second": round(len(texts) / seconds, 1),
        "posts_per_second_per_core": round(len(texts) / seconds / threads, 1),
        "posts_per_cpu_second": round(len(texts) / cpu_seconds, 1),
        "peak_mib_after_loading": round(loaded_mib, 1),
        "peak_mib_after_run": round(peak_mib(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Analysed posts per second per core, and peak memory.")
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.posts)))
        return
    if args.posts < 1 or args.posts > 100_000:
        sys.exit("--posts must be between 1 and 100000.")
    results = []
    for threads in args.threads:
        env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
        command = [sys.executable, __file__, "--child", "--posts", str(args.posts)]
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=1800)  # noqa: S603 (our own script)
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    load = os.getloadavg()
    report = {"cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 2) for x in load], "runs": results}
    print(json.dumps(report, indent=2))
    print()
    print(
        f"{'threads':>7} {'posts':>6} {'s':>7} {'posts/s':>8} {'/s/core':>8} {'/cpu-s':>7} {'MiB loaded':>11} {'MiB peak':>9}"
    )
    for r in results:
        print(
            f"{r['threads']:>7} {r['posts']:>6} {r['seconds']:>7} {r['posts_per_second']:>8} "
            f"{r['posts_per_second_per_core']:>8} {r['posts_per_cpu_second']:>7} "
            f"{r['peak_mib_after_loading']:>11} {r['peak_mib_after_run']:>9}"
        )
    if len(results) > 1:
        base = results[0]["posts_per_second"]
        for r in results[1:]:
            print(
                f"speed-up of {r['threads']} threads over {results[0]['threads']}: {r['posts_per_second'] / base:.2f}×"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
