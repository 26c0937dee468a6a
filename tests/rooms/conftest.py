"""The room tests use a live class and a study circle."""

from tests.circles.conftest import chorus  # noqa: F401
from tests.live.conftest import live_class  # noqa: F401
