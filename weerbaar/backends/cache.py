"""The default cache: Redis, and the database while Redis cannot be reached.

Rate limits (allauth's login, reset and MFA limits, the portal's filing limits), used TOTP
codes and the session copies live in this cache. A plain Redis cache makes every one of
them raise while Redis is down, and switching them off would open login to password
guessing during an outage. So every call that fails on Redis is repeated on a database
cache (``CacheEntry``, table ``weerbaar_cache``), and for ``RETRY_SECONDS`` after a
failure this process does not try Redis at all, so an outage costs one refused connection
per process per interval instead of one per call. Counters start again from zero on the
other side of a switch; a limit is then briefly less strict, never off.

``primary_status()`` asks Redis itself, for /health/: the fallback must not hide an
outage from the operator.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

__all__ = ["RETRY_SECONDS", "RedisWithDatabaseFallback", "forget_failures", "primary_status"]

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
UNREACHABLE = (RedisError, OSError)

# Per process, shared by the threads (each thread has its own cache instance): when Redis
# failed last, per location.
_down_since = {}
_down_lock = threading.Lock()


def forget_failures():
    """Try Redis again at the next call (tests start from a known state)."""
    with _down_lock:
        _down_since.clear()


def _delegate(name):
    def method(self, *args, **kwargs):
        if not self._skip_primary():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._mark_down(exc)
            else:
                if self._location in _down_since:
                    self._mark_up()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisWithDatabaseFallback(RedisCache):
    """``RedisCache`` whose calls go to the cache alias ``FALLBACK`` (a ``DatabaseCache``)
    while Redis fails."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback_alias = params.get("FALLBACK", "fallback")
        self._location = server

    @property
    def _fallback(self):
        return caches[self._fallback_alias]

    def _skip_primary(self):
        since = _down_since.get(self._location)
        return since is not None and time.monotonic() - since < RETRY_SECONDS

    def _mark_down(self, exc):
        with _down_lock:
            first = self._location not in _down_since
            _down_since[self._location] = time.monotonic()
        if first:
            logger.warning(
                "Redis unreachable; the cache falls back to the database",
                extra={"error": type(exc).__name__},
            )

    def _mark_up(self):
        if _down_since.pop(self._location, None) is not None:
            logger.warning("Redis reachable again; the cache uses Redis")

    def primary_ok(self):
        """Whether Redis itself answers a write and a read (never the fallback)."""
        try:
            RedisCache.set(self, "weerbaar:health", "1", timeout=10)
            ok = RedisCache.get(self, "weerbaar:health") == "1"
        except UNREACHABLE as exc:
            self._mark_down(exc)
            return False
        if ok:
            self._mark_up()
        return ok


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(RedisWithDatabaseFallback, _name, _delegate(_name))


def primary_status(alias="default"):
    """ "ok" or "error" for the shared cache (Redis) behind ``alias``, whatever its fallback."""
    cache = caches[alias]
    try:
        if isinstance(cache, RedisWithDatabaseFallback):
            return "ok" if cache.primary_ok() else "error"
        cache.set("weerbaar:health", "1", timeout=10)
        return "ok" if cache.get("weerbaar:health") == "1" else "error"
    except UNREACHABLE:
        return "error"
