"""Settings for the test suite: the real settings module with test defaults for the
environment. PostgreSQL and Redis are real (``make test`` provides them)."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijkl")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/weerbaar")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# Each pytest-xdist worker gets its own Redis database: the cache holds rate limits and used
# TOTP codes, and one worker's cache.clear() must not touch another's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw"):
    _base, _, _db = os.environ["REDIS_URL"].rpartition("/")
    if _db.isdigit():
        os.environ["REDIS_URL"] = f"{_base}/{(int(_db) - int(_worker[2:])) % 16}"
os.environ.setdefault("CELERY_BROKER_URL", os.environ["REDIS_URL"])
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "k2:XIg6t8l9HyWWcP5tZ8o4u-HTgHs6NT8EAa7Bbhm8BzE=,k1:B5o3kLoqgHrT18XcdOjPI-4_HsHQ2vHzxOTqGB72SHk=",
)
os.environ.setdefault("SEARCH_INDEX_KEY", "kO2xS0m3vF0c8nq1oU6dWm5b2JZlWbq3yX1Ue9r4Ttg=")
if not os.environ.get("VAPID_PRIVATE_KEY"):
    # A fresh Web Push key pair per test run, made as scripts/dev_env.py makes one.
    from scripts.dev_env import generate_vapid_keys

    os.environ.update(generate_vapid_keys())
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_TRANSPORT", "false")
os.environ.setdefault("DEBUG", "false")

from weerbaar.settings import *  # noqa: E402, F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# The test client's pages link the stylesheet, as on a repeat visit: with its 140 KB inline,
# an assertion that a class name is (not) in a page would find it in the CSS. The browser
# tests (tests/e2e/conftest.py) and tests/weerbaar/test_stylesheet.py turn it on.
STYLESHEET_INLINE_ON_FIRST_VISIT = False
CELERY_TASK_ALWAYS_EAGER = True
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "test-private"))  # noqa: F405
# The tests' webhook receiver listens on loopback over http; production refuses both.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
