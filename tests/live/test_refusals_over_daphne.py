"""Every refusal of /ws/live/, /ws/circle/ and /ws/notify/ reaches a real client over a real
Daphne as a completed handshake (101) then a close with the documented code
(docs/live-protocol.md). A close before the handshake would arrive as HTTP 403, which a
browser reports as 1006: the page could neither say why nor stop retrying."""

import pytest
from channels.db import database_sync_to_async
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from accounts.models import User
from live import services
from live.models import LiveClass
from tests.circles.conftest import MEMBER, OTHER_INSTITUTE, chorus  # noqa: F401
from tests.live.conftest import cookie_for
from tests.servers import DaphneProcess

pytestmark = pytest.mark.django_db(transaction=True)

ENROLLED, OUTSIDER = "13900000001", "13900000007"  # 张建国 enrolled; 吴卫东 not (第二军休所)


@pytest.fixture(scope="module")
def daphne(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = DaphneProcess.start()
    yield server
    server.stop()


async def refusal(server: DaphneProcess, path: str, login: str | None) -> tuple[int, int]:
    """(handshake status, close code) of a socket the server turns away."""
    headers = {"Cookie": (await cookie_for(login)).decode()} if login else {}
    async with ws_connect(
        server.ws_url + path, origin=server.url, additional_headers=headers
    ) as socket:
        with pytest.raises(ConnectionClosed):
            await socket.recv()
        return socket.response.status_code, socket.close_code


@database_sync_to_async
def removed_by_the_teacher(live_class: LiveClass, login: str) -> None:
    teacher = User.objects.get(username="liushuwen")
    services.remove_member(live_class, teacher, User.objects.get(username=login).pk)


@pytest.mark.parametrize("login, code", [(None, 4401), (OUTSIDER, 4403)])
async def test_live_class_refusals(daphne, live_class, login, code):
    assert await refusal(daphne, f"/ws/live/{live_class.pk}/", login) == (101, code)


async def test_no_such_live_class_is_4404(daphne, live_class):
    assert await refusal(daphne, f"/ws/live/{live_class.pk + 1000}/", ENROLLED) == (101, 4404)


async def test_removed_by_the_teacher_is_4408(daphne, live_class):
    await removed_by_the_teacher(live_class, ENROLLED)
    assert await refusal(daphne, f"/ws/live/{live_class.pk}/", ENROLLED) == (101, 4408)


@pytest.mark.parametrize("login, code", [(None, 4401), (OTHER_INSTITUTE, 4403), ("jxs2", 4403)])
async def test_circle_refusals(daphne, chorus, login, code):  # noqa: F811
    assert await refusal(daphne, f"/ws/circle/{chorus.pk}/", login) == (101, code)


async def test_no_such_circle_is_4404(daphne, chorus):  # noqa: F811
    assert await refusal(daphne, f"/ws/circle/{chorus.pk + 1000}/", MEMBER) == (101, 4404)


async def test_notify_without_login_is_4401(daphne, demo_people):
    assert await refusal(daphne, "/ws/notify/", None) == (101, 4401)
