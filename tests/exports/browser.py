"""Headless Chromium for the web site's tests, driven by Selenium through the system's
chromedriver (Debian: ``apt-get install chromium chromium-driver``); nothing is downloaded."""

from __future__ import annotations

import base64
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")


def find_browser() -> tuple[str | None, str | None]:
    """Paths of Chromium and its chromedriver (None where missing)."""
    browser = next((p for p in map(shutil.which, BROWSERS) if p), None)
    return browser, shutil.which("chromedriver")


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a fresh profile that logs the pages' console messages."""
    browser, driver_path = find_browser()
    if browser is None or driver_path is None:
        raise RuntimeError("Chromium and chromedriver are not installed")
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """Console errors and failed loads since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def print_pdf(driver: webdriver.Chrome) -> PdfReader:
    """The page printed as Chromium prints it, on the paper its CSS asks for."""
    result = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True,
                                                        "printBackground": True})
    return PdfReader(io.BytesIO(base64.b64decode(result["data"])))


VISIBLE_MEETINGS = """
const view = [...document.querySelectorAll('.view')]
  .find(v => getComputedStyle(v).display !== 'none');
const text = e => e.innerText.replace(/\\s+/g, ' ').trim();
const days = [...view.querySelectorAll('table.grid thead th.day')];
const periods = [...view.querySelectorAll('table.grid tbody th.period')];
const inside = (r, x) => r.left <= x && x <= r.right;
return [...view.querySelectorAll('table.grid td.meeting, table.grid td.holiday')].map(td => {
  const box = td.getBoundingClientRect();
  const day = days.find(th => inside(th.getBoundingClientRect(), box.left + box.width / 2));
  const period = periods.find(th => {
    const r = th.getBoundingClientRect(); return r.top <= box.top + 2 && box.top + 2 <= r.bottom;
  });
  const first = td.querySelector('.course') || td;
  return [text(day), text(period), text(first)];
});
"""
"""For the week or term on screen: (day heading, first period, first line) of each meeting
cell and holiday, found by where they are drawn."""
