"""手机提醒 (Web Push): a notification stored for someone who turned it on is pushed to a
local push endpoint that checks the VAPID signature and decrypts the payload with the
subscription's keys (RFC 8291, aes128gcm); a device the push service calls gone (410) is
forgotten; quiet hours hold pushes back except a class's last-quarter-hour reminder."""

import base64
import datetime
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.urls import reverse

from accounts.models import Notification, PushSubscription, User
from accounts.services import notify_user, push_notifications, save_push_subscription


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def uncompressed(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


class PushService:
    """A push service of our own: 201 for a good push to /device, 410 for /gone."""

    def __init__(self, vapid_public: bytes):
        self.vapid_public = vapid_public
        self.device_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.received: list[dict] = []
        self.problems: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/gone":
                    self.send_response(410)
                else:
                    service.receive(self.headers, body)
                    self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def receive(self, headers, body: bytes) -> None:
        scheme, _, credentials = headers["Authorization"].partition(" ")
        fields = dict(part.strip().split("=", 1) for part in credentials.split(","))
        token, key = fields["t"], unb64(fields["k"])
        if scheme != "vapid" or key != self.vapid_public:
            self.problems.append("not our VAPID key")
            return
        signed, _, signature = token.rpartition(".")
        raw = unb64(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key)
        public.verify(  # raises InvalidSignature
            encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
            signed.encode(),
            ec.ECDSA(hashes.SHA256()),
        )
        claims = json.loads(unb64(signed.split(".")[1]))
        if claims["aud"] != self.url or claims["exp"] < time.time() or not claims["sub"]:
            self.problems.append(f"bad claims {claims}")
            return
        payload = http_ece.decrypt(
            body, private_key=self.device_key, auth_secret=self.auth, version="aes128gcm"
        )
        self.received.append(json.loads(payload))

    def subscribe(self, user: User, path: str = "/device") -> None:
        save_push_subscription(
            user=user,
            endpoint=self.url + path,
            p256dh=b64(uncompressed(self.device_key)),
            auth=b64(self.auth),
        )

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def push_service(settings):
    vapid = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = b64(vapid.private_numbers().private_value.to_bytes(32))
    settings.VAPID_PUBLIC_KEY = b64(uncompressed(vapid))
    service = PushService(uncompressed(vapid))
    yield service
    service.stop()


def test_a_notification_is_pushed_signed_and_encrypted_and_gone_devices_are_forgotten(
    cast, push_service, django_capture_on_commit_callbacks, settings
):
    # No quiet hours, so the test means the same at 22:00 Beijing time as at noon.
    settings.PUSH_QUIET_FROM_HOUR, settings.PUSH_QUIET_UNTIL_HOUR = 24, 0
    retiree = User.objects.get(username="13500000001")
    push_service.subscribe(retiree)
    push_service.subscribe(retiree, "/gone")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_user(
            retiree, "notice", "新通知：停水通知", "/notices/1/", about="notice:1"
        )
    assert push_service.problems == []
    assert push_service.received == [
        {
            "title": "军休老年大学",
            "body": "新通知：停水通知",
            "url": "/notices/1/",
            "tag": f"notification-{notification.pk}",
        }
    ]
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        push_service.url + "/device"
    ]


def test_quiet_hours_hold_pushes_back_but_not_a_class_about_to_start(cast, push_service):
    retiree = User.objects.get(username="13500000001")
    push_service.subscribe(retiree)
    notice = notify_user(retiree, "notice", "新通知：植树活动", "/n/", about="notice:2")
    soon = notify_user(
        retiree, "class_reminder", "上课提醒：今天 上午7:15", "/live/1/", about="live_class:1:soon"
    )
    late = datetime.datetime(2026, 12, 1, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    held = push_notifications(notification_ids=[notice.pk, soon.pk], now=late)
    assert held == [notice.pk]
    assert [message["body"] for message in push_service.received] == ["上课提醒：今天 上午7:15"]
    assert Notification.objects.filter(pk=notice.pk).exists()  # still there on 我的


def test_the_button_on_me_and_saving_a_subscription(cast, client_as, settings):
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    client = client_as("13500000001")
    page = client.get(reverse("home:me")).content.decode()
    assert "打开手机提醒" in page and 'data-push-key="BPublicKey"' in page
    assert "收不到提醒" in page  # shown by the script where the browser has no Push API
    body = {"endpoint": "https://push.example.org/abc", "keys": {"p256dh": "BKey", "auth": "x"}}
    reply = client.post(
        reverse("accounts:push_subscribe"), json.dumps(body), content_type="application/json"
    )
    assert reply.status_code == 200 and "已打开" in reply.json()["message"]
    assert PushSubscription.objects.get().user.username == "13500000001"
    assert client.get("/sw.js")["Content-Type"] == "text/javascript"
    client.post(
        reverse("accounts:push_unsubscribe"), json.dumps(body), content_type="application/json"
    )
    assert not PushSubscription.objects.exists()
