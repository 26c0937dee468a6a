"""The environment picks the backends. Each case imports the settings in a fresh interpreter,
because settings are read once per process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": settings.DATABASES["default"]["NAME"],
    "health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS"),
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "media": settings.STORAGES["default"]["BACKEND"],
    "media_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "language": settings.LANGUAGE_CODE,
    "time_zone": settings.TIME_ZONE,
    "session_days": settings.SESSION_COOKIE_AGE // 86400,
    "csp": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
}))
"""

SCALING_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
)


def clean_environment(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCALING_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


def settings_under(**overrides: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT,
        env=clean_environment(**overrides),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_server():
    chosen = settings_under()
    assert chosen["db"] == "django.db.backends.sqlite3"
    assert chosen["layer"] == "channels.layers.InMemoryChannelLayer"
    assert chosen["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert chosen["media"] == "django.core.files.storage.FileSystemStorage"
    assert chosen["language"] == "zh-hans"
    assert chosen["time_zone"] == "Asia/Shanghai"
    assert chosen["session_days"] >= 30


def test_sqlite_by_address_waits_for_writers_like_the_default(tmp_path):
    by_address = settings_under(DATABASE_URL=f"sqlite:///{tmp_path}/site.sqlite3")
    default = settings_under()
    assert by_address["db_options"] == default["db_options"]
    assert default["db_options"]["timeout"] == 20
    assert default["db_options"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_switches_to_postgresql():
    chosen = settings_under(DATABASE_URL="postgres://postgres@127.0.0.1:5432/junxiu")
    assert chosen["db"] == "django.db.backends.postgresql"
    assert chosen["db_name"] == "junxiu"
    assert chosen["health_checks"] is True
    assert chosen["layer"] == "channels.layers.InMemoryChannelLayer"


def test_redis_url_switches_channel_layer_and_cache():
    chosen = settings_under(REDIS_URL="redis://127.0.0.1:6379/3")
    assert chosen["layer"] == "channels_redis.core.RedisChannelLayer"
    assert chosen["layer_hosts"] == [
        {"address": "redis://127.0.0.1:6379/3", "socket_timeout": None}
    ]
    assert chosen["cache"] == "django_redis.cache.RedisCache"
    assert chosen["db"] == "django.db.backends.sqlite3"


def test_bucket_name_switches_media_to_s3():
    chosen = settings_under(
        AWS_STORAGE_BUCKET_NAME="junxiu-media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000"
    )
    assert chosen["media"] == "storages.backends.s3.S3Storage"
    assert chosen["media_options"]["bucket_name"] == "junxiu-media"
    assert chosen["media_options"]["endpoint_url"] == "http://127.0.0.1:9000"


def production_environment() -> dict[str, str]:
    return clean_environment(
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="junxiu.example.cn",
    )


def test_production_mode_uses_whitenoise_manifest_storage():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT,
        env=production_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    chosen = json.loads(result.stdout.strip().splitlines()[-1])
    # WhiteNoise's CompressedManifestStaticFilesStorage, rewriting ES module imports too.
    assert chosen["static"] == "core.storage.StaticFilesStorage"


def test_production_static_modules_import_the_hashed_files(tmp_path):
    """collectstatic in production mode: every `import … from "…";` in the site's own scripts
    names the hashed copy of a collected file, so a page's modules are all of one release."""
    import re

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        env={**production_environment(), "STATIC_ROOT": str(tmp_path)},
        capture_output=True,
        check=True,
    )
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed_names = set(manifest.values())
    ours = [
        script.relative_to(app / "static").as_posix()
        for app in PROJECT.iterdir()
        if app.name != ".venv"
        for script in (app / "static").glob("**/*.js")
    ]
    imports = {}
    for name in ours:
        collected = tmp_path / manifest[name]
        for target in re.findall(r'^import .+ from "([^"]+)";$', collected.read_text(), re.M):
            resolved = (Path(manifest[name]).parent / target).as_posix()
            imports[f"{name} → {target}"] = os.path.normpath(resolved)
    assert "live/js/room.js → ./video.js" not in imports  # rewritten, not left as written
    assert any(key.startswith("live/js/room.js → ../../rooms/js/room_socket.") for key in imports)
    unresolved = {key: path for key, path in imports.items() if path not in hashed_names}
    assert not unresolved, unresolved
    assert all((tmp_path / path).is_file() for path in imports.values())


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("extra", [{}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}])
def test_check_deploy_is_clean_in_production_mode(extra):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=PROJECT,
        env={**production_environment(), **extra},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_no_static_file_points_at_a_missing_source_map():
    """Production's manifest storage refuses to collect a file whose sourceMappingURL names a
    file that is not there (a vendored library's min.js often does)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    missing = []
    for script in root.glob("*/static/**/*.js"):
        if ".venv" in script.parts or "staticfiles" in script.parts:
            continue
        for name in re.findall(r"sourceMappingURL=(\S+)", script.read_text(errors="ignore")):
            if not (script.parent / name).exists():
                missing.append(f"{script.relative_to(root)} → {name}")
    assert not missing, missing
