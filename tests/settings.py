"""The tests' settings: pytest's (pyproject.toml) and every server process a test starts
(Daphne, gunicorn, task workers, manage.py commands: tests/servers.py). The project's own
settings, read from the same environment, with what the tests need on top.

A server process is told so by the environment tests/servers.py gives it, and differs in that:
- TEST_DATABASE_NAME: it serves the test database pytest-django made (it has no test runner
  to rename the database for it);
- it keeps its database connections (as in production), allows eval for Playwright, answers
  two test-only addresses and, without Redis, keeps no cache (see below);
- TEST_SERVER_DEBUG=0 shows the error pages a visitor sees; TEST_TASK_QUEUE=database puts
  background work on the real queue; TEST_UPLOAD_TEMP_DIR is where big uploads are spooled.

Under pytest-xdist each worker has its own test database (pytest-django adds _gw0, _gw1 …)
and its own Redis keys (PYTEST_XDIST_WORKER, which the servers it starts inherit)."""

import os

from csp.constants import SELF, UNSAFE_EVAL

from config.settings import *  # noqa: F403
from config.settings import CONTENT_SECURITY_POLICY, DATABASES, REDIS_URL

# Fast hashing for the many accounts the tests create, the same in the servers, which check
# the passwords the tests wrote.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "accounts.hashers.InitialPasswordHasher",
]

# No search index upkeep on every page save (a quarter of the demo's loading time); no test
# searches through Wagtail's index (the site's own search is search/).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

# Background work runs at once, inside the test or the request, unless the test runs real task
# workers against the queue (TEST_TASK_QUEUE=database: the topology, tests/test_tasks.py,
# whose `queue` fixture also puts the queue back in the test process).
if os.environ.get("TEST_TASK_QUEUE") != "database":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Where uploads too big for memory are written while a request is read (tests/test_serving.py
# checks that none is left once the response is sent).
FILE_UPLOAD_TEMP_DIR = os.environ.get("TEST_UPLOAD_TEMP_DIR") or None

# Parallel workers (pytest -n 2) share the machine's Redis: each, with its servers, keeps to
# its own keys, so one worker's cache or room messages never reach another's tests.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and XDIST_WORKER:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] += f"-{XDIST_WORKER}"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] += f"-{XDIST_WORKER}"  # noqa: F405

SERVER_PROCESS = "TEST_DATABASE_NAME" in os.environ
if SERVER_PROCESS:
    DATABASES["default"]["NAME"] = os.environ["TEST_DATABASE_NAME"]

    # The servers outlive each test's rolled-back or flushed data: with Redis they share the
    # test process's cache, which each test starts afresh (tests/conftest.py); without it they
    # keep none.
    if not REDIS_URL:
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    # Playwright's wait_for_function evaluates its predicate with eval inside the page; the
    # servers allow eval for that and nothing else. The production policy (no eval, no inline
    # script) is checked header by header in the test process (tests/test_security_headers.py).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] = [SELF, UNSAFE_EVAL]

    # The outage tests see the error pages a visitor sees: DEBUG off, the rest as in
    # development.
    DEBUG = os.environ.get("TEST_SERVER_DEBUG", "1") == "1"

    # Two test-only views the topology tests ask through nginx (tests/server_urls.py); the
    # test process keeps the project's URLs, which the permission matrix lists exactly.
    ROOT_URLCONF = "tests.server_urls"
else:
    # Threads of the test process (the ASGI app's request threads, consumers' database calls)
    # close their connection after each use, so that none is open when the test database is
    # dropped; the servers keep theirs, as in production.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
