"""Session engine: the database holds every session, the cache (Redis) spares the query that
reads it on every request. The database stays the truth, so the cache is a speed-up only:

* a copy lives at most ``SESSION_CACHE_SECONDS`` (a minute) after it was last written, so a
  session ended while the cache could not be reached (Redis down or cut off) does not come
  back for longer than that when the cache returns, and neither does data saved meanwhile;
* when the cache fails, requests read the database (Django's cached_db answers 500 when it
  cannot write the copy back);
* whether a session exists (a new key, allauth's list of sessions) is asked of the database.

Ending a session (logout, the sessions page, the inactivity timeout) deletes the row and
then the copy. Code that deletes ``Session`` rows with the ORM leaves the copy for at most
that minute: prefer ``SessionStore().delete(key)``.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def _cache_seconds(self, expiry=None):
        return max(0, min(settings.SESSION_CACHE_SECONDS, self.get_expiry_age(expiry=expiry)))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("Session cache unreachable; reading the database", exc_info=True)
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(row.expire_date))
        except Exception:
            logger.warning("Session cache unreachable; not cached", exc_info=True)
        return data

    def exists(self, session_key):
        return db.SessionStore.exists(self, session_key)

    def save(self, must_create=False):
        db.SessionStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.exception("Session %s… ended in the database only", session_key[:6])
