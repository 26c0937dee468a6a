"""The fault tests share the live-class fixture."""

from tests.live.conftest import live_class  # noqa: F401
