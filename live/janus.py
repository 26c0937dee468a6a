"""Janus (VideoRoom) as the live classes' media server: Django signs the tokens Janus checks,
creates one Janus room per live class, and renders Janus's configuration from config/janus/.

Plain functions over Janus's HTTP API (urllib): Django only creates rooms and lets one token in
at a time; browsers talk to Janus themselves with the token and the room's pin they are given.
"""

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

PLUGIN = "janus.plugin.videoroom"
# Janus checks the realm of a signed token against this fixed word.
REALM = "janus"
CONFIG_TEMPLATES = Path(settings.BASE_DIR) / "config" / "janus"
SYSTEM_JANUS_LIBS = Path("/usr/lib/x86_64-linux-gnu/janus")


class JanusError(Exception):
    """Janus answered with an error, or could not be reached."""

    def __init__(self, code: int, reason: str):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


def janus_configured() -> bool:
    return bool(settings.JANUS_URL and settings.JANUS_TOKEN_SECRET)


def sign_token(*, expires_at: int, holder: str = "", secret: str | None = None) -> str:
    """A token Janus accepts until `expires_at` (Unix seconds) for the VideoRoom plugin only:
    `expiry,janus,janus.plugin.videoroom[,holder]:base64(HMAC-SHA1(secret, data))`. Janus
    reads the fields after the realm as plugin names and ignores one it does not know, so the
    holder field makes each person's token their own (and removable on its own)."""
    key = (secret or settings.JANUS_TOKEN_SECRET).encode()
    data = f"{expires_at},{REALM},{PLUGIN}"
    if holder:
        data += f",{holder}"
    signature = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha1).digest()).decode()
    return f"{data}:{signature}"


def room_number(*, class_id: int) -> int:
    """Janus's numeric room id for a live class (an offset keeps 0 and small ids clear)."""
    return settings.JANUS_ROOM_OFFSET + class_id


def room_secret(*, class_id: int, purpose: str) -> str:
    """A room's pin ("pin") or edit secret ("secret"), derived from the token secret so Django
    never stores them and another class's pin is never this one's."""
    key = settings.JANUS_TOKEN_SECRET.encode()
    digest = hmac.new(key, f"{purpose}:{class_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:24]


@dataclass(frozen=True)
class RoomAccess:
    """What a page needs to enter one class's Janus room."""

    url: str
    room: int
    pin: str
    token: str
    expires_at: int
    display: str

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "room": self.room,
            "pin": self.pin,
            "token": self.token,
            "expires_at": self.expires_at,
            "display": self.display,
        }


class JanusClient:
    """One Janus session with the VideoRoom plugin attached, over the HTTP API."""

    def __init__(self, *, url: str, token: str, timeout: float = 5.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session_id: int | None = None
        self.handle_id: int | None = None

    def request(self, path: str, body: dict | None) -> dict:
        """POSTs one API request (GET when body is None: the session's next event)."""
        if body is None:
            request = urllib.request.Request(
                f"{self.url}{path}?maxev=1&token={urllib.parse.quote(self.token)}"
            )
        else:
            body = {"transaction": secrets.token_hex(6), "token": self.token, **body}
            request = urllib.request.Request(
                self.url + path,
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json"},
            )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise JanusError(0, f"Janus unreachable: {error}") from error
        if answer.get("janus") == "error":
            raise JanusError(answer["error"]["code"], answer["error"]["reason"])
        return answer

    def open(self) -> "JanusClient":
        self.session_id = self.request("", {"janus": "create"})["data"]["id"]
        answer = self.request(f"/{self.session_id}", {"janus": "attach", "plugin": PLUGIN})
        self.handle_id = answer["data"]["id"]
        return self

    def close(self) -> None:
        if self.session_id is not None:
            # A session already gone is what we wanted.
            with contextlib.suppress(JanusError):
                self.request(f"/{self.session_id}", {"janus": "destroy"})
            self.session_id = self.handle_id = None

    def __enter__(self) -> "JanusClient":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def videoroom(self, body: dict) -> dict:
        """One VideoRoom request and its answer's plugin data: at once for create, exists,
        allowed, kick…; from the session's events for join, which Janus answers later."""
        transaction = secrets.token_hex(6)
        answer = self.request(
            f"/{self.session_id}/{self.handle_id}",
            {"janus": "message", "body": body, "transaction": transaction},
        )
        deadline = time.monotonic() + self.timeout
        while answer.get("janus") == "ack" or answer.get("transaction") != transaction:
            if time.monotonic() > deadline:
                raise JanusError(0, "Janus did not answer")
            answer = self.request(f"/{self.session_id}", None)
        data = answer["plugindata"]["data"]
        if data.get("videoroom") == "event" and "error_code" in data:
            raise JanusError(data["error_code"], data.get("error", ""))
        return data


def server_client() -> JanusClient:
    """Django's own session: a token good for a minute."""
    return JanusClient(
        url=settings.JANUS_SERVER_URL or settings.JANUS_URL,
        token=sign_token(expires_at=int(time.time()) + 60),
    )


def ensure_room(*, client: JanusClient, class_id: int, description: str = "") -> int:
    """Creates the class's room in Janus if it is not there yet: pin and edit secret of its own,
    only tokens on its allowed list may join, at most one camera or screen published."""
    room = room_number(class_id=class_id)
    if client.videoroom({"request": "exists", "room": room}).get("exists"):
        return room
    try:
        client.videoroom(
            {
                "request": "create",
                "admin_key": settings.JANUS_ADMIN_KEY,
                "room": room,
                "description": description[:60] or f"class {class_id}",
                "secret": room_secret(class_id=class_id, purpose="secret"),
                "pin": room_secret(class_id=class_id, purpose="pin"),
                "allowed": [],
                "publishers": 3,
                "is_private": True,
                "audiocodec": "opus",
                "videocodec": "vp8",
                "bitrate": 1_500_000,
                "fir_freq": 5,
            }
        )
    except JanusError as error:
        # 427: another request created it between our check and our create.
        if error.code != 427:
            raise
    return room


def allow_token(*, client: JanusClient, class_id: int, token: str, allow: bool = True) -> None:
    """Puts one token on (or takes it off) the class room's allowed list."""
    client.videoroom(
        {
            "request": "allowed",
            "room": room_number(class_id=class_id),
            "secret": room_secret(class_id=class_id, purpose="secret"),
            "action": "add" if allow else "remove",
            "allowed": [token],
        }
    )


def room_access(*, class_id: int, user_id: int, description: str = "") -> RoomAccess | None:
    """Signs a short-lived token for one person in one class and lets it into that class's room
    only. Callers ask the room's permission check first. None when Janus is not configured or
    cannot be reached (the page then says video is not available)."""
    if not janus_configured():
        return None
    expires_at = int(time.time()) + settings.JANUS_TOKEN_SECONDS
    token = sign_token(expires_at=expires_at, holder=f"u{user_id}.{secrets.token_hex(4)}")
    try:
        with server_client() as client:
            ensure_room(client=client, class_id=class_id, description=description)
            allow_token(client=client, class_id=class_id, token=token)
    except JanusError:
        return None
    # Remembered so removing this person can take the token back (revoke_access).
    key = issued_key(class_id=class_id, user_id=user_id)
    cache.set(key, [*cache.get(key, []), token], settings.JANUS_TOKEN_SECONDS)
    return RoomAccess(
        url=settings.JANUS_URL,
        room=room_number(class_id=class_id),
        pin=room_secret(class_id=class_id, purpose="pin"),
        token=token,
        expires_at=expires_at,
        display=display_name(user_id=user_id),
    )


def issued_key(*, class_id: int, user_id: int) -> str:
    return f"janus-tokens:{class_id}:{user_id}"


def display_name(*, user_id: int) -> str:
    """How a person's page names itself in the Janus room, so Django can find it to kick."""
    return f"u{user_id}"


def revoke_access(*, class_id: int, user_id: int) -> None:
    """A removed person's tokens come off the room's allowed list (no new join, no rejoin),
    and their participant is kicked out of the room. Best effort when Janus is away: the
    tokens still lapse at their expiry, and the room page refuses them meanwhile."""
    if not janus_configured():
        return
    tokens = cache.get(issued_key(class_id=class_id, user_id=user_id), [])
    cache.delete(issued_key(class_id=class_id, user_id=user_id))
    room = room_number(class_id=class_id)
    secret = room_secret(class_id=class_id, purpose="secret")
    try:
        with server_client() as client:
            if tokens:
                client.videoroom(
                    {"request": "allowed", "room": room, "secret": secret,
                     "action": "remove", "allowed": tokens}
                )  # fmt: skip
            listed = client.videoroom({"request": "listparticipants", "room": room})
            for participant in listed.get("participants", []):
                if participant.get("display") == display_name(user_id=user_id):
                    client.videoroom(
                        {"request": "kick", "room": room, "secret": secret,
                         "id": participant["id"]}
                    )  # fmt: skip
    except JanusError:
        pass


def render_config(*, dest: Path, http_ip: str, http_port: int, admin_port: int) -> Path:
    """Writes our trimmed Janus configuration into `dest` (mode 0700) with the secrets filled
    in, and links only the VideoRoom plugin and HTTP transport beside it. Returns the path of
    janus.jcfg for `janus -C`."""
    dest.mkdir(parents=True, exist_ok=True)
    dest.chmod(0o700)
    folders = {}
    for name, library in (
        ("plugins", "plugins/libjanus_videoroom.so"),
        ("transports", "transports/libjanus_http.so"),
        ("empty", None),
    ):
        folder = dest / name
        folder.mkdir(exist_ok=True)
        if library:
            link = folder / Path(library).name
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(SYSTEM_JANUS_LIBS / library)
        folders[name] = folder
    values = {
        "CONFIGS_FOLDER": str(dest),
        "PLUGINS_FOLDER": str(folders["plugins"]),
        "TRANSPORTS_FOLDER": str(folders["transports"]),
        "EMPTY_FOLDER": str(folders["empty"]),
        "TOKEN_SECRET": settings.JANUS_TOKEN_SECRET,
        "ADMIN_SECRET": settings.JANUS_ADMIN_SECRET or secrets.token_hex(16),
        "ADMIN_KEY": settings.JANUS_ADMIN_KEY,
        "RTP_PORTS": settings.JANUS_RTP_PORTS,
        "HTTP_IP": http_ip,
        "HTTP_PORT": str(http_port),
        "ADMIN_PORT": str(admin_port),
    }
    for template in CONFIG_TEMPLATES.glob("*.jcfg"):
        text = template.read_text()
        for name, value in values.items():
            text = text.replace(f"@{name}@", value)
        target = dest / template.name
        target.write_text(text)
        target.chmod(0o600)
    return dest / "janus.jcfg"
