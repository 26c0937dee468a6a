"""The browser harness every page test reuses: a real Daphne process serving the test
database, Debian's Chromium driven by Playwright, axe-core with every tag we hold ourselves
to, the elder-friendly measurements axe does not make, and screenshots to look at."""

import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import load_demo_site
from tests.servers import DaphneProcess, Topology

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    # A synthetic camera and microphone, allowed without a prompt, for the live-class video.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "wcag2aaa",
    "best-practice",
]
NO_ANIMATION = "*,*::before,*::after{animation:none!important;transition:none!important}"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", PROJECT / "test-artifacts" / "screenshots"))
VIEWPORTS = {
    "desktop": (1280, 800),
    "tablet": (768, 1024),
    "phone": (390, 844),
    "small": (320, 640),
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def daphne_url(django_db_setup, django_db_blocker) -> Iterator[str]:
    """One real Daphne process (HTTP and WebSocket, `make run`'s server) serving the test
    database, for the whole browser session; with TEST_TOPOLOGY=production, nginx in front of
    gunicorn and Daphne (`make serve`'s servers) instead."""
    production = os.environ.get("TEST_TOPOLOGY") == "production"
    with django_db_blocker.unblock():
        server = Topology.start() if production else DaphneProcess.start()
    served_by = "nginx + gunicorn + Daphne" if production else "Daphne"
    print(f"\nBrowser tests: {served_by} at {server.url}; screenshots in {SCREENSHOTS}")
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def chromium(daphne_url) -> Iterator[Browser]:
    """Chromium for one test module. Playwright's sync API keeps an event loop running in
    this thread while it is open, which trips Django's guard against sync database calls
    from async code; the guard is lifted for the module only, and Playwright is closed
    before the next module, so other tests keep the guard."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_url(chromium, daphne_url, demo_database, transactional_db) -> str:
    """The site with the demo data committed, so the Daphne process sees it."""
    run_outside_browser_loop(load_demo_site)
    return daphne_url


@dataclass
class BrowserWindow:
    """One browser context (one person's browser) with a page and its network log."""

    page: Page
    base_url: str
    width: int
    requests: list[str] = field(default_factory=list)
    refused_by_policy: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.page.add_style_tag(content=NO_ANIMATION)
        return self.page

    def log_in(self, login: str, password: str) -> Page:
        self.open("/accounts/login/")
        self.page.get_by_label("手机号或账号").fill(login)
        self.page.get_by_label("密码", exact=True).fill(password)
        self.page.get_by_role("button", name="登录", exact=True).click()
        self.page.wait_for_url(re.compile(r"/me/$"))
        self.page.add_style_tag(content=NO_ANIMATION)
        return self.page

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.width}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def foreign_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if not re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", u)
            and not u.startswith(("data:", "blob:", "about:"))
        ]


@pytest.fixture
def open_window(chromium, live_url) -> Iterator:
    """open_window(width=1280) → a fresh browser context on the live site."""
    contexts = []

    def make(width: int = 1280, height: int | None = None) -> BrowserWindow:
        height = height or dict(VIEWPORTS.values()).get(width, 900)
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            reduced_motion="reduce",
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        window = BrowserWindow(page=context.new_page(), base_url=live_url, width=width)
        context.on("request", lambda request: window.requests.append(request.url))
        window.page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and window.refused_by_policy.append(message.text)
            ),
        )
        # An uncaught error in a script (a module that does not load, a missing element).
        window.page.on("pageerror", lambda error: window.script_errors.append(str(error)))
        return window

    yield make
    for context in contexts:
        context.close()


def axe_problems(page: Page, known_gaps: dict[str, str] | None = None) -> list[str]:
    """Every axe violation and every incomplete result, described for a failure message.
    known_gaps names "incomplete" rules a page is known to miss, each with the reason; a
    violation always fails."""
    results = (
        Axe()
        .run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": None})
        .response
    )
    problems = []
    for kind in ("violations", "incomplete"):
        for rule in results[kind]:
            if kind == "incomplete" and rule["id"] in (known_gaps or {}):
                continue
            targets = [", ".join(node["target"]) for node in rule["nodes"]][:5]
            problems.append(f"{kind}: {rule['id']} ({rule['help']}) at {targets}")
    return problems


MEASURE_PAGE = """
(minTarget) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const smallText = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el)) continue;
    if (el.closest("script,style,template,.skip-link")) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) smallText.push(`${el.tagName}:${node.textContent.trim().slice(0, 20)}:${size}`);
  }
  const smallTargets = [];
  for (const el of document.querySelectorAll(
      "a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button]")) {
    if (!visible(el) || el.closest(".skip-link") || el.classList.contains("skip-link")) continue;
    // Links inside a sentence are exempt (WCAG 2.5.5 "inline").
    if (el.tagName === "A" && getComputedStyle(el).display === "inline") continue;
    // A control inside its label is pressed through the whole label: measure that.
    const target = (el.tagName === "INPUT" && el.closest("label")) || el;
    const box = target.getBoundingClientRect();
    if (box.width < minTarget - 0.5 || box.height < minTarget - 0.5) {
      smallTargets.push(`${el.tagName}:${(el.textContent || el.name || "").trim().slice(0, 20)}:` +
                        `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  const body = getComputedStyle(document.body);
  return {
    bodyFontPx: parseFloat(body.fontSize),
    lineHeightRatio: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
    smallText,
    smallTargets,
    horizontalOverflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    lang: document.documentElement.lang,
  };
}
"""


def measure(page: Page, min_target: int = 44) -> dict:
    return page.evaluate(MEASURE_PAGE, min_target)


def assert_elder_friendly(
    window: BrowserWindow, name: str, *, elder: bool = False, known_gaps: dict | None = None
) -> None:
    """axe clean (violations and incomplete), plus our own numbers, plus a screenshot."""
    page = window.page
    window.screenshot(name)
    problems = axe_problems(page, known_gaps)
    min_target = 60 if elder else 44
    figures = measure(page, min_target=min_target)
    body_minimum = 24 if elder else 20
    if figures["bodyFontPx"] < body_minimum:
        problems.append(f"body text {figures['bodyFontPx']}px < {body_minimum}px")
    if figures["lineHeightRatio"] < 1.5:
        problems.append(f"line height {figures['lineHeightRatio']:.2f} < 1.5")
    problems += [f"text under 16px: {item}" for item in figures["smallText"]]
    problems += [f"target under {min_target}px: {item}" for item in figures["smallTargets"]]
    if figures["horizontalOverflow"]:
        problems.append("horizontal scroll")
    if figures["lang"] != "zh-CN":
        problems.append(f"html lang is {figures['lang']!r}")
    problems += [f"request leaves 127.0.0.1: {url}" for url in window.foreign_requests()]
    problems += [
        f"refused by the Content-Security-Policy: {text}" for text in window.refused_by_policy
    ]
    problems += [f"script error: {text}" for text in window.script_errors]
    assert not problems, f"{name} at {window.width}px:\n" + "\n".join(problems)


def run_outside_browser_loop(function, *args, **kwargs):
    """Run server-side code as a request handler would: on a thread of its own, away from
    Playwright's event loop, closing that thread's database connection afterwards."""

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as worker:
        return worker.submit(call).result()


# A browser with a Mandarin voice, recording what it is asked to say (headless Chromium has
# no voices at all).
FAKE_SPEECH = """
window.spoken = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
window.speechCancelled = 0;
const voice = {lang: "zh-CN", name: "普通话", default: true, localService: true, voiceURI: "zh"};
Object.defineProperty(window, "speechSynthesis", {value: {
  getVoices: () => [voice],
  addEventListener: () => {},
  cancel: () => { window.speechCancelled += 1; },
  speak: (utterance) => {
    window.spoken.push({text: utterance.text, lang: utterance.lang, rate: utterance.rate});
    if (window.spoken.length < 2) setTimeout(() => utterance.onend && utterance.onend(), 0);
  },
}});
"""
