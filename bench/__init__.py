"""Benchmark tools: `generate.py` fills a database, `load.py` measures it (run them as scripts)."""
