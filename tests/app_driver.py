"""Start ``ruralsim app`` and drive it in headless Chromium (the system browser; none is downloaded).

Shared by the page's tests and ``benchmarks/app_benchmark.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[1]


@contextmanager
def running_app(*args: str, cwd: Path, timeout: float = 180):
    """``ruralsim app --port 0 ARGS`` in a subprocess; yields its URL; stops it afterwards."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "model"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "ruralsim.cli", "app", "--port", "0", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url, seen, t0 = None, [], time.monotonic()
        while url is None:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"ruralsim app stopped: {''.join(seen)}")
            seen.append(line)
            m = re.search(r"serving (http://\S+/)", line)
            url = m.group(1) if m else None
            if time.monotonic() - t0 > timeout:
                raise RuntimeError("ruralsim app did not start in time")
        yield url
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """End a served app: terminate, then kill if it has not gone within 20 s."""
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def browser_page(width: int = 1500, height: int = 1300):
    """A Playwright page in the system's headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def answered_request(page, timeout_ms: float = 120_000, after: str | None = None) -> str:
    """Wait until the charts show the latest request (a newer one than ``after``); its id."""
    page.wait_for_function(
        """(after) => {
            const job = document.getElementById('job-id');
            const table = document.getElementById('headline-table');
            if (!job || !table || !job.textContent) return false;
            const rid = table.getAttribute('data-request');
            return rid === job.textContent && rid !== after;
        }""", arg=after, timeout=timeout_ms)
    return page.get_attribute("#headline-table", "data-request")


def move_slider(page, flat: str, key: str, presses: int = 1) -> None:
    """Move a lever's slider with the keyboard (as a user can)."""
    handle = page.locator(f"#lever-{flat} [role=slider]").first
    handle.focus()
    for _ in range(presses):
        handle.press(key)


def pick_scenario(page, label: str) -> None:
    """Choose a scenario in the picker by its label."""
    page.click("#scenario")
    page.get_by_role("option", name=label, exact=True).click()
