"""Headless Chromium through selenium, for the browser and nginx tests.

`launch(...)` starts chromedriver (and through it Chromium) in a process group of
its own with the flags that work here (TOOLCHAIN.md: root needs --no-sandbox, no
display, a fresh profile), and on exit quits it and requires the group to be gone.
Tests skip only when chromium, chromedriver or selenium is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile

import pytest

from processes import end_group

CHROMIUM = os.environ.get("HMRD_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("HMRD_CHROMEDRIVER", "/usr/bin/chromedriver")


def require_chromium():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install chromium chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install selenium)")


@contextlib.contextmanager
def launch(extra_flags=(), console_log: bool = False):
    """Yields a selenium WebDriver for a fresh headless Chromium; fails if it leaves processes behind."""
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="hmrd-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run",
                 f"--user-data-dir={profile}", "--window-size=1024,768",
                 "--disable-background-networking", "--disable-component-update", *extra_flags):
        options.add_argument(flag)
    options.page_load_strategy = "eager"  # the default strategy sometimes stalled 5 s here
    if console_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(CHROMEDRIVER, log_output=subprocess.DEVNULL, popen_kw={"start_new_session": True})
    driver = None
    lingering = []
    pgid = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(15)
        driver.set_script_timeout(10)
        yield driver
    finally:
        pgid = service.process.pid if getattr(service, "process", None) else None
        try:
            if driver is not None:
                driver.quit()
            else:
                service.stop()
        finally:
            lingering = end_group(pgid) if pgid else []
            shutil.rmtree(profile, ignore_errors=True)
    if lingering:
        pytest.fail(f"Chromium's process group {pgid} was still running 5 s after quit: {lingering}")
