"""Train the sentiment head shipped in belong/insights/data/sentiment_head.npz.

    .venv/bin/python scripts/train_sentiment.py [--data ../shared/data/sentiment] [--c 1.0]

Embeds every training text with the configured embedding model (cached in var/cache/), fits a
multinomial logistic regression, prints macro-F1 per validation split and writes the head. The
fit is deterministic, so the same data and model give the same file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "belong.settings.dev")


def main() -> None:
    import django

    django.setup()
    from belong.insights.engine.sentiment import HEAD_PATH
    from belong.insights.evaluation import evaluate, train

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "sentiment")
    parser.add_argument("--c", type=float, default=3.0, help="inverse regularisation strength")
    parser.add_argument("--out", type=Path, default=HEAD_PATH)
    args = parser.parse_args()
    cache = ROOT / "var" / "cache" / "sentiment"
    head = train(args.data, cache_dir=cache, regularisation=args.c)
    for score in evaluate(args.data, cache_dir=cache, the_head=head):
        print(
            f"{score.name:28} {score.language:6} n={score.examples:5}  macro-F1 {score.macro_f1:.3f}  acc {score.accuracy:.3f}"
        )
    head.save(args.out)
    print(f"wrote {args.out} (version {head.version})")


if __name__ == "__main__":
    main()
