"""The live room's one use of Daphne's internals (rooms.fanout.KnowDaphneConnection): pinned to
the Daphne release it was checked against, and Channels' public send when it is turned off."""

import daphne
import pytest

from rooms.fanout import DIRECT_FANOUT_DAPHNE
from tests.faults.test_room_faults import hear, said
from tests.room_client import enter
from tests.servers import DaphneProcess

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_installed_daphne_is_the_release_direct_fanout_was_checked_against():
    assert daphne.__version__ == DIRECT_FANOUT_DAPHNE, (
        "A new Daphne: check that its WebSocket send is still partial(handle_reply, protocol) "
        "(rooms/fanout.py), run tests/live and tests/faults, then update DIRECT_FANOUT_DAPHNE."
    )


@pytest.fixture(params=["1", "0"], ids=["direct", "channels-send"])
def daphne_server(request, live_class, django_db_blocker):
    server = DaphneProcess.start(LIVE_DIRECT_FANOUT=request.param)
    yield server
    server.stop()


async def test_a_message_reaches_every_socket_on_either_path(live_class, daphne_server):
    teacher = await enter(daphne_server, live_class.pk, "liushuwen")
    retirees = [await enter(daphne_server, live_class.pk, login)
                for login in ("13900000001", "13900000002")]  # fmt: skip
    await said(retirees[0], "老师好", id="m1")
    for client in (teacher, *retirees):
        await hear(client, "老师好")
