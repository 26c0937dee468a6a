"""A real Janus for the tests, in a network namespace of its own: Janus never gathers ICE
candidates on loopback, so the fixture makes a namespace and a veth pair with addresses of
their own (10.231.N.1 for Janus inside, 10.231.N.2 for this process and Chromium outside),
starts Janus there through `manage.py run_janus`, and removes both afterwards. The tests talk
only to that address; nothing is sent anywhere else."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

PROJECT = Path(__file__).resolve().parents[2]


def can_make_namespaces() -> bool:
    if not shutil.which("janus") or not shutil.which("ip") or os.geteuid() != 0:
        return False
    return subprocess.run(["ip", "netns", "list"], capture_output=True).returncode == 0


@dataclass
class JanusServer:
    url: str
    address: str
    token_secret: str
    admin_key: str
    process: subprocess.Popen
    log: Path


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Janus exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/info", timeout=1) as response:
                if json.loads(response.read()).get("janus") == "server_info":
                    return
        except OSError:
            time.sleep(0.1)  # not synchronisation: the port is not open yet; we poll it
    raise RuntimeError(f"Janus did not answer in {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory) -> Iterator[JanusServer]:
    if not can_make_namespaces():
        pytest.skip("需要 root、ip netns 和 Debian 的 janus 软件包")
    # A subnet and names of this run's own, so two runs side by side do not meet.
    n = os.getpid() % 250 + 1
    namespace, outside, inside = f"jnx{n}", f"jnx{n}a", f"jnx{n}b"
    janus_address, host_address = f"10.231.{n}.1", f"10.231.{n}.2"
    subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
    subprocess.run(["ip", "link", "del", outside], capture_output=True)
    ip("netns", "add", namespace)
    process = None
    try:
        ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        ip("link", "set", inside, "netns", namespace)
        ip("addr", "add", f"{host_address}/30", "dev", outside)
        ip("link", "set", outside, "up")
        ip("-n", namespace, "addr", "add", f"{janus_address}/30", "dev", inside)
        ip("-n", namespace, "link", "set", inside, "up")
        ip("-n", namespace, "link", "set", "lo", "up")
        runtime = tmp_path_factory.mktemp("janus")
        log = runtime / "janus.log"
        token_secret, admin_key = secrets.token_hex(16), secrets.token_hex(16)
        env = {
            **os.environ,
            "JANUS_TOKEN_SECRET": token_secret,
            "JANUS_ADMIN_KEY": admin_key,
            "JANUS_RTP_PORTS": "30000-30999",
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["ip", "netns", "exec", namespace, sys.executable, "manage.py", "run_janus",
                 "--ip", janus_address, "--runtime-dir", str(runtime / "config")],
                cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://{janus_address}:8088/janus"
        wait_until_up(url, process, log)
        yield JanusServer(url, janus_address, token_secret, admin_key, process, log)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", outside], capture_output=True)


@pytest.fixture
def janus_settings(janus_server) -> Iterator[JanusServer]:
    """Django's settings pointed at the test Janus for one test."""
    with override_settings(
        JANUS_URL=janus_server.url,
        JANUS_TOKEN_SECRET=janus_server.token_secret,
        JANUS_ADMIN_KEY=janus_server.admin_key,
    ):
        yield janus_server
