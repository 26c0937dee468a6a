"""The staff workspace tests use the cast of tests/people.py."""

from tests.people import cast, password, people, places  # noqa: F401  (fixtures)
