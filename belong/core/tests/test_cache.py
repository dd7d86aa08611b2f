"""The cache in use behaves as a shared cache must; against a real Redis when REDIS_URL is set.

The PostgreSQL pass of `make test` sets REDIS_URL when Redis answers; elsewhere the Redis test skips.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from belong.settings import env

REDIS_URL = os.environ.get("REDIS_URL", "")


def test_the_cache_stores_counts_and_forgets():
    key = f"test:{uuid.uuid4().hex}"
    assert cache.get(key) is None
    assert cache.add(key, 1, timeout=60)
    assert not cache.add(key, 2, timeout=60)
    assert cache.incr(key) == 2
    cache.delete(key)
    assert cache.get(key) is None


def disconnect(backend: RedisCache) -> None:
    """Close the backend's sockets now (Django keeps its pools open for the process)."""
    for pool in backend._cache._pools.values():  # type: ignore[attr-defined]
        pool.disconnect()


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_redis_url_gives_a_working_shared_redis_cache():
    default = caches["default"]
    assert isinstance(default, RedisCache)
    prefix = uuid.uuid4().hex
    config = {**env.cache_config(), "KEY_PREFIX": prefix}
    writer = RedisCache(config["LOCATION"], {"KEY_PREFIX": prefix})
    reader = RedisCache(config["LOCATION"], {"KEY_PREFIX": prefix})
    try:
        writer.set("greeting", {"text": "olá"}, timeout=30)
        assert reader.get("greeting") == {"text": "olá"}  # another client sees it: the cache is shared
        assert reader.add("hits", 0, timeout=30)
        assert writer.incr("hits", 5) == 5
        assert reader.get("hits") == 5
        writer.delete_many(["greeting", "hits"])
        assert reader.get_many(["greeting", "hits"]) == {}
    finally:
        disconnect(writer)
        disconnect(reader)
        disconnect(default)


# Another process, configured by belong.settings.base from REDIS_URL alone, under the test's key prefix.
OTHER_PROCESS = """
import json, sys
import django
from django.conf import settings
django.setup()
settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[1]
from django.core.cache import caches
cache = caches["default"]
print(json.dumps([type(cache).__name__, cache.get("greeting")]))
cache.set("reply", "obrigado", timeout=30)
"""


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_another_process_reads_and_writes_the_same_redis_cache():
    prefix = settings.CACHES["default"]["KEY_PREFIX"]  # this test's own (conftest), so runs never collide
    cache.set("greeting", {"text": "olá"}, timeout=30)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "belong.settings.base", "REDIS_URL": REDIS_URL}
    try:
        other = subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
            [sys.executable, "-c", OTHER_PROCESS, prefix],
            env=environment,
            cwd=env.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert json.loads(other.stdout) == ["RedisCache", {"text": "olá"}]
        assert cache.get("reply") == "obrigado"
    finally:
        cache.delete_many(["greeting", "reply"])
        default = caches["default"]
        assert isinstance(default, RedisCache)
        disconnect(default)
