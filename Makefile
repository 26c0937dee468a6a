# 军休老年大学在线: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve nginx-deps janus-deps test pytest lint format browser-deps demo migrate clean bench soak backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@ $(VENV)/.installed-base

migrate: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Janus's secrets for `make run`, made once and kept out of the repository.
JANUS_PORT ?= 8088
.janus.env: | $(BIN)/python
	@umask 077; $(BIN)/python -c "import secrets; print(f'JANUS_TOKEN_SECRET={secrets.token_hex(16)}\nJANUS_ADMIN_KEY={secrets.token_hex(16)}\nJANUS_ADMIN_SECRET={secrets.token_hex(16)}')" > $@

run: demo janus-deps .janus.env
	@if [ "$$DJANGO_DEBUG" = "0" ]; then $(BIN)/python manage.py collectstatic --noinput -v0; fi
	@echo "军休老年大学在线：请用浏览器打开 http://$(HOST):$(PORT)  （按 Ctrl+C 停止）"
	@# One task worker (background work), the scheduler of periodic jobs (config/schedule.py)
	@# and Janus (the live classes' video, when installed) beside Daphne; Ctrl+C stops all.
	@trap 'kill 0' INT TERM EXIT; \
	if command -v janus >/dev/null 2>&1 && [ -z "$$JANUS_URL" ]; then \
		set -a; . ./.janus.env; set +a; \
		export JANUS_URL="http://$(HOST):$(JANUS_PORT)/janus"; \
		$(BIN)/python manage.py run_janus --ip $(HOST) --port $(JANUS_PORT) > .janus.log 2>&1 & \
	fi; \
	$(BIN)/python manage.py worker --no-startup-delay -v0 & \
	$(BIN)/python manage.py scheduler & \
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# The production topology on this machine (config/serve.py): nginx in front of gunicorn (pages)
# and Daphne (WebSockets), on PostgreSQL and Redis, in production mode over plain HTTP. It creates
# the database if missing, migrates, loads the demo data and collects static files first.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/junxiu
SERVE_REDIS_URL ?= redis://127.0.0.1:6379/0
serve: nginx-deps $(VENV)/.installed-base
	DATABASE_URL="$${DATABASE_URL:-$(SERVE_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(SERVE_REDIS_URL)}" \
		$(BIN)/python -m config.serve --prepare --port $(PORT)

# Debian's nginx for `make serve` (and the tests and benchmarks that run its topology).
nginx-deps:
	@if [ -x /usr/sbin/nginx ]; then \
		exit 0; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=""; [ "$$(id -u)" = "0" ] || SUDO="sudo"; \
		echo "Installing nginx with apt-get"; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null; \
	else \
		echo "make serve needs nginx (/usr/sbin/nginx); install it." >&2; exit 1; \
	fi

# Debian's Janus (the live classes' media server) for `make run` and the tests in tests/janus/;
# where it cannot be installed the site still runs and the live room says video is off.
janus-deps:
	@if command -v janus >/dev/null 2>&1; then \
		exit 0; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=""; [ "$$(id -u)" = "0" ] || SUDO="sudo"; \
		echo "Installing janus with apt-get"; \
		($$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq janus >/dev/null) || \
		echo "没能安装 Janus：直播课的视频在这台机器上不可用，其他功能照常。" >&2; \
	else \
		echo "没有 Janus（Debian 软件包 janus）：直播课的视频在这台机器上不可用。" >&2; \
	fi

# Debian's Chromium and CJK fonts for the browser tests (Playwright cannot download browsers),
# and ffmpeg, which generates the short lesson clips the tests play.
browser-deps:
	@if [ -x /usr/bin/chromium ] && command -v ffmpeg >/dev/null 2>&1 && \
	   fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
		exit 0; \
	elif command -v apt-get >/dev/null 2>&1; then \
		SUDO=""; [ "$$(id -u)" = "0" ] || SUDO="sudo"; \
		echo "Installing chromium, fonts-noto-cjk and ffmpeg with apt-get"; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk ffmpeg >/dev/null; \
	else \
		echo "Tests need /usr/bin/chromium, fonts-noto-cjk and ffmpeg; install them." >&2; exit 1; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# pytest-xdist workers, each with its own test database, Redis keys and servers.
# `--dist load` hands each worker the tests in pytest-django's order (every test in a rolled-back
# transaction before any that flushes the database), which `--dist loadscope` would not keep.
# One process by default: on 2 cores two workers saved under half a minute of six.
# PYTEST_WORKERS=2 runs two workers.
PYTEST_WORKERS ?= 0
pytest: $(VENV)/.installed-dev browser-deps nginx-deps janus-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

test: lint pytest

clean:
	rm -rf $(VENV) staticfiles .serve .janus .janus.log .test-db.sqlite3* .test-db-snapshot.sqlite3 .test-db*-snapshot.sqlite3 test-artifacts

# Benchmarks print figures and write bench/results/latest.json; they never fail for being slow.
# The fan-out part alone takes about half an hour (set REDIS_URL's server running for its
# two-process rows; BENCH_FANOUT_ARGS="--layers inmemory" skips them).
bench: $(VENV)/.installed-dev nginx-deps
	cd bench && ../$(BIN)/python roster_import.py
	cd bench && ../$(BIN)/python followup_report.py
	cd bench && ../$(BIN)/python announce.py
	cd bench && ../$(BIN)/python pages.py
	cd bench && ../$(BIN)/python media.py
	cd bench && ../$(BIN)/python fanout.py $(BENCH_FANOUT_ARGS)
	cd bench && ../$(BIN)/python report.py

# A check, not a benchmark: 500 sockets in a live class and 20 pages a second for
# SOAK_SECONDS (10 minutes); fails on any server error, lost message, or memory that grows
# 10 % or more after the first minute. CI runs it for 2 minutes.
SOAK_SECONDS ?= 600
soak: $(VENV)/.installed-dev
	cd bench && ../$(BIN)/python soak.py --seconds $(SOAK_SECONDS)

# The database (as fixtures, restorable into SQLite or PostgreSQL) and every media file in one
# archive under backups/; `make restore ARCHIVE=backups/….tar.gz` replaces everything with it.
backup: $(VENV)/.installed-base
	$(BIN)/python manage.py backup

restore: $(VENV)/.installed-base
	@test -n "$(ARCHIVE)" || (echo "用法：make restore ARCHIVE=backups/文件名.tar.gz" && exit 2)
	$(BIN)/python manage.py restore "$(ARCHIVE)"
