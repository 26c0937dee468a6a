"""Settings for the Daphne process the browser tests start: the project's own settings, on
the test database, accepting the fast password hashes the tests write."""

import os

from csp.constants import SELF, UNSAFE_EVAL

from config.settings import *  # noqa: F403
from config.settings import CONTENT_SECURITY_POLICY, DATABASES, REDIS_URL

DATABASES["default"]["NAME"] = os.environ["TEST_DATABASE_NAME"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "accounts.hashers.InitialPasswordHasher",
]
# The servers outlive each test's rolled-back or flushed data: with Redis they share the test
# process's cache, which each test starts afresh (tests/conftest.py); without it they keep none.
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# Playwright's wait_for_function evaluates its predicate with eval inside the page; the
# browser tests' server allows eval for that and nothing else. The production policy (no
# eval, no inline script) is checked header by header in tests/test_security_headers.py.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] = [SELF, UNSAFE_EVAL]

# The outage tests see the error pages a visitor sees: DEBUG off, the rest as in development.
DEBUG = os.environ.get("TEST_SERVER_DEBUG", "1") == "1"

# Where uploads too big for memory are written while a request is read (tests/test_serving.py
# checks that none is left once the response is sent).
FILE_UPLOAD_TEMP_DIR = os.environ.get("TEST_UPLOAD_TEMP_DIR") or None

# Two test-only views the topology tests ask through nginx (tests/server_urls.py).
ROOT_URLCONF = "tests.server_urls"

# Background work runs inside the request in the servers the tests start, as in the test
# process (tests/conftest.py), unless the test runs real task workers against the queue
# (TEST_TASK_QUEUE=database: the topology, tests/test_tasks.py).
if os.environ.get("TEST_TASK_QUEUE") != "database":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
