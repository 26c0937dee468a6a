"""The production topology on one machine, started and stopped together (`make serve`):
nginx in front (static files, protected media, the page cache), gunicorn for pages and Daphne
for WebSockets behind it, task workers (TASK_WORKERS, 2 by default) and the scheduler of
periodic jobs (config/schedule.py).

    python -m config.serve [--port 8000] [--run-dir .serve] [--prepare]

--prepare first creates the PostgreSQL database if missing, migrates, loads the demo data and
collects static files. Everything nginx writes (pid, temp files, cache, logs) and the generated
SECRET_KEY stay in the run directory. Ctrl+C, SIGTERM or any server dying stops them all."""

import argparse
import contextlib
import http.client
import json
import os
import pwd
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
# Headroom over the largest lesson upload for the form's other fields.
UPLOAD_FORM_MARGIN_MB = 16


@dataclass
class Topology:
    """nginx, gunicorn, Daphne, the task workers and the scheduler running as children of
    this process."""

    port: int
    run_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def first_dead(self) -> str | None:
        """The name of a server that has exited, if any."""
        return next((name for name, p in self.processes.items() if p.poll() is not None), None)

    def stop(self) -> None:
        """SIGTERM to every server, then wait; SIGKILL whatever is still there after 15 s."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def render_nginx_conf(*, port: int, run_dir: Path, upstreams: dict[str, int], paths: dict) -> Path:
    """config/nginx.conf.template with this run's ports and paths, written into run_dir."""
    values = {
        "port": port,
        "run_dir": run_dir,
        "gunicorn_port": upstreams["gunicorn"],
        "daphne_port": upstreams["daphne"],
        "static_root": paths["STATIC_ROOT"],
        "media_root": paths["MEDIA_ROOT"],
        "max_body_mb": paths["LESSON_MEDIA_MAX_MB"] + UPLOAD_FORM_MARGIN_MB,
        # Run as root (a container), nginx's workers would become nobody, who may not read
        # the project's files.
        "user_directive": f"user {pwd.getpwuid(os.geteuid()).pw_name};"
        if os.geteuid() == 0
        else "",
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", str(value))
    if "{{" in text:
        raise ValueError("nginx.conf.template names a value serve.py does not give")
    conf = run_dir / "nginx.conf"
    conf.write_text(text)
    return conf


def django_paths(environment: dict[str, str]) -> dict:
    """STATIC_ROOT, MEDIA_ROOT and LESSON_MEDIA_MAX_MB as the servers' settings say."""
    names = ["STATIC_ROOT", "MEDIA_ROOT", "LESSON_MEDIA_MAX_MB"]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {names!r}}}))"
    )
    found = json.loads(run_python(["-c", script], environment, capture=True))
    found["LESSON_MEDIA_MAX_MB"] = int(found["LESSON_MEDIA_MAX_MB"])
    return found


def run_python(arguments: list[str], environment: dict[str, str], capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT,
        env=environment,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    """Whether an HTTP server on the port gives any answer at all."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/ws/", headers={"Host": "127.0.0.1"})
        connection.getresponse()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def start_topology(
    *, port: int, run_dir: Path, environment: dict[str, str], workers: int | None = None
) -> Topology:
    """Start gunicorn, Daphne and nginx (on 127.0.0.1:port) with the environment given, plus
    what the topology itself decides; return once each answers. Logs go to run_dir/logs."""
    run_dir = Path(run_dir).resolve()
    for folder in ("logs", "temp", "cache"):
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
    environment = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **environment,
        "MEDIA_X_ACCEL_PREFIX": "/protected-media/",
        "TRUSTED_PROXIES": "127.0.0.1",
        "FRONTEND_CACHE_URL": f"http://127.0.0.1:{port}",
    }
    workers = workers or int(environment.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
    upstreams = {"gunicorn": free_port(), "daphne": free_port()}
    commands = {
        "gunicorn": [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{upstreams['gunicorn']}", "--workers", str(workers),
            "--graceful-timeout", "10", "--control-socket", str(run_dir / "gunicorn.ctl"),
        ],
        "daphne": [
            sys.executable, "-m", "daphne", "--proxy-headers",
            "-b", "127.0.0.1", "-p", str(upstreams["daphne"]), "config.asgi:application",
        ],
        "nginx": [
            NGINX, "-e", str(run_dir / "logs" / "nginx-error.log"), "-p", str(run_dir),
            "-c", str(render_nginx_conf(port=port, run_dir=run_dir, upstreams=upstreams,
                                        paths=django_paths(environment))),
            "-g", "daemon off;",
        ],
    }  # fmt: skip
    background = {
        **{
            f"worker-{n}": [sys.executable, "manage.py", "worker", "--no-startup-delay", "-v0"]
            for n in range(1, int(environment.get("TASK_WORKERS", "2")) + 1)
        },
        "scheduler": [sys.executable, "manage.py", "scheduler"],
    }
    # gunicorn's workers keep their database connections (a sync worker serves one request
    # at a time); under Daphne Django asks for none to be kept.
    own_environment = {"gunicorn": {"CONN_MAX_AGE": environment.get("CONN_MAX_AGE", "60")}}
    topology = Topology(port, run_dir)
    try:
        for name, command in {**commands, **background}.items():
            with open(run_dir / "logs" / f"{name}.log", "a") as log:
                topology.processes[name] = subprocess.Popen(
                    command,
                    cwd=PROJECT,
                    env={**environment, **own_environment.get(name, {})},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        for name, server_port in [*upstreams.items(), ("nginx", port)]:
            wait_for(topology, name, server_port)
    except BaseException:
        topology.stop()
        raise
    return topology


def wait_for(topology: Topology, name: str, port: int, timeout: float = 180) -> None:
    # A server that dies is reported at once; a live one gets minutes, since on a busy
    # machine (CI running two test workers) a gunicorn worker took over a minute to import.
    deadline = time.monotonic() + timeout
    while not answers(port):
        if dead := topology.first_dead():
            log = (topology.run_dir / "logs" / f"{dead}.log").read_text()[-3000:]
            raise RuntimeError(f"{dead} exited while starting:\n{log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer on port {port} in {timeout} s")
        with contextlib.suppress(subprocess.TimeoutExpired):
            topology.processes[name].wait(timeout=0.1)  # the poll's pace; wakes if it dies


def production_environment(run_dir: Path) -> dict[str, str]:
    """This process's environment with production mode's defaults for plain HTTP on this
    machine: no HTTPS redirect, HSTS or secure-only cookies, which would lock everyone out."""
    environment = dict(os.environ)
    environment.setdefault("DJANGO_DEBUG", "0")
    environment.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    environment.setdefault("SECURE_SSL_REDIRECT", "0")
    environment.setdefault("SECURE_HSTS_SECONDS", "0")
    environment.setdefault("SECURE_COOKIES", "0")
    if not environment.get("SECRET_KEY"):
        # Kept in the run directory, so that a restart does not log everyone out.
        key_file = run_dir / "secret_key"
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(50))
        environment["SECRET_KEY"] = key_file.read_text().strip()
    return environment


def create_database(database_url: str) -> None:
    """CREATE DATABASE for a PostgreSQL DATABASE_URL whose database does not exist yet."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(database_url)
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as connection:
        name = config["NAME"]
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(environment: dict[str, str]) -> None:
    """The database, its tables and the demo data (which prints the demo logins), and the
    static files nginx serves."""
    create_database(environment.get("DATABASE_URL", ""))
    run_python(["manage.py", "migrate", "--noinput", "-v0"], environment)
    run_python(["manage.py", "load_demo"], environment)
    run_python(["manage.py", "collectstatic", "--noinput", "-v0"], environment)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--run-dir", type=Path, default=PROJECT / ".serve")
    parser.add_argument("--prepare", action="store_true")
    options = parser.parse_args()
    run_dir = options.run_dir.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    environment = production_environment(run_dir)
    if options.prepare:
        prepare(environment)

    stopping = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stopping.set())
    topology = start_topology(port=options.port, run_dir=run_dir, environment=environment)
    print(
        f"军休老年大学在线：请用浏览器打开 {topology.url}  （按 Ctrl+C 停止）\n"
        f"nginx + gunicorn + Daphne + task workers; logs in {run_dir / 'logs'}",
        flush=True,
    )
    try:
        while not stopping.wait(0.5):
            if dead := topology.first_dead():
                print(f"{dead} stopped; stopping the others", file=sys.stderr, flush=True)
                break
    finally:
        topology.stop()


if __name__ == "__main__":
    main()
