"""Random and malformed frames thrown at both room consumers (hypothesis): the server never
raises, answers each bad frame with an error frame or closes with a documented code, never
broadcasts anything invalid, and a well-behaved member of the same room keeps working."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.circles.conftest import chorus  # noqa: F401  (the circle fixture, shared)
from tests.live.conftest import connect, release_layer

pytestmark = pytest.mark.django_db(transaction=True)

DOCUMENTED_CLOSES = {4401, 4403, 4404, 4408, 4413}  # docs/live-protocol.md
KNOWN_TYPES = [
    "hello", "ping", "chat.send", "chat.delete", "chat.report", "member.mute", "read",
    "hand.raise", "hand.lower", "poll.vote", "slide.go", "class.start", "rtc.signal",
]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
typed_frames = st.fixed_dictionaries(
    {"type": st.sampled_from(KNOWN_TYPES) | st.text(max_size=20)},
    optional={"id": st.text(max_size=40) | st.integers(), "data": json_values},
).map(json.dumps)
frames = st.lists(
    st.one_of(
        typed_frames,
        json_values.map(json.dumps),
        st.text(max_size=300),
        st.binary(max_size=100),
        st.just(json.dumps({"type": "chat.send", "data": {"text": "长" * 5000}})),
        st.just("x" * 9000),  # over the 8 KB limit
    ),
    min_size=1,
    max_size=25,
)
FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def throw(route: str, place_id: int, thrower: str, bystander: str, sequence: list) -> None:
    bad, connected, code = await connect(place_id, thrower, route)
    good, good_connected, _ = await connect(place_id, bystander, route)
    assert connected and good_connected, code
    try:
        for frame in sequence:  # raw ASGI messages: empty frames too
            key = "bytes" if isinstance(frame, bytes) else "text"
            await bad.communicator.send_input({"type": "websocket.receive", key: frame})
        # Everything the thrower got back is an error/ack/known frame, or a documented close.
        while not await bad.communicator.receive_nothing(timeout=0.3):
            output = await bad.communicator.receive_output()
            if output["type"] == "websocket.close":
                assert output.get("code") in DOCUMENTED_CLOSES, output
                break
            json.loads(output["text"])
        # The bystander still chats, and saw nothing that is not a well-formed frame.
        await good.send("chat.send", {"text": "我还在"}, id="still-here")
        seen = []
        while True:
            frame = await good.communicator.receive_json_from(timeout=3)
            seen.append(frame)
            if frame["type"] == "ack" and frame.get("ref") == "still-here":
                break
        for frame in seen:
            assert isinstance(frame.get("type"), str), frame
            if frame["type"] == "chat.message":
                assert isinstance(frame["data"]["text"], str) and len(frame["data"]["text"]) <= 500
    finally:
        await bad.close()
        await good.close()
        await release_layer()


@FUZZ
@given(sequence=frames)
async def test_the_live_room_survives_any_frames(live_class, sequence):
    await throw("live", live_class.pk, "13900000001", "13900000002", sequence)


@FUZZ
@given(sequence=frames)
async def test_a_circle_survives_any_frames(chorus, sequence):  # noqa: F811
    await throw("circle", chorus.pk, "13900000002", "13900000001", sequence)
