"""The web site in a real browser (headless Chromium): what a person sees in a known week of
a known cohort, switching week and language, a phone's screen, printing one week per A4
landscape page, served over HTTP too, and no console errors anywhere."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from dataclasses import replace

import pytest

from scheduler.exports.site import write_site
from scheduler.instance import Block, Period
from scheduler.timetable import Meeting, Timetable
from tests.exports.browser import (
    VISIBLE_MEETINGS,
    chromium,
    console_errors,
    find_browser,
    print_pdf,
)

pytestmark = pytest.mark.skipif(
    None in find_browser(),
    reason="Chromium and chromedriver not found: install Debian's chromium and "
           "chromium-driver (.ci/run does)")

A4_LANDSCAPE = (841.89, 595.28)  # points

# Cohort C1 in the tiny instance (tests/tiny.py): week 1 has Friday 09-11 as a holiday
WEEK_1 = [
    ["Mon 周一 Пн 09-07", "1", "Mathematics"], ["Mon 周一 Пн 09-07", "3", "[C1-A] Lab A"],
    ["Tue 周二 Вт 09-08", "3", "[C1-B] Lab B"], ["Thu 周四 Чт 09-10", "1", "Mathematics"],
    ["Fri 周五 Пт 09-11", "1", "Holiday: holiday"]]
WEEK_2 = [
    ["Mon 周一 Пн 09-14", "1", "Mathematics"], ["Mon 周一 Пн 09-14", "3", "[C1-A] Lab A"],
    ["Mon 周一 Пн 09-14", "5", "Linear algebra"], ["Tue 周二 Вт 09-15", "3", "[C1-B] Lab B"],
    ["Tue 周二 Вт 09-15", "5", "Linear algebra"], ["Wed 周三 Ср 09-16", "3", "Linear algebra"],
    ["Thu 周四 Чт 09-17", "1", "Mathematics"]]


@pytest.fixture(scope="module")
def site(tiny, timetable, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    write_site(tiny, timetable, folder, made=dt.date(2026, 9, 1))
    return folder


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


@pytest.fixture
def page(browser, site):
    """Open a page of the site; after the test, the browser logged no error."""
    console_errors(browser)

    def open_page(path: str) -> None:
        file, _, view = path.partition("#")
        browser.get((site / file).as_uri() + (f"#{view}" if view else ""))

    yield open_page
    assert console_errors(browser) == []


def _meetings(browser) -> list[list[str]]:
    return sorted(browser.execute_script(VISIBLE_MEETINGS))


def _text(browser, css: str) -> str:
    return browser.find_element("css selector", css).text


def test_a_week_shows_its_dated_meetings_and_holiday(browser, page):
    page("en/cohort-C1.html#week-1")
    assert _meetings(browser) == sorted(WEEK_1)
    assert _text(browser, "#week-1 h2").startswith("Week 1: 09-07 – 09-13")
    adjusted = _text(browser, "#week-1 th.day.adjusted")
    assert adjusted.split("\n") == ["Sun 周日 Вс", "09-13", "Adjusted workday: Fri of week 1"]


def test_the_page_opens_on_the_first_week_with_meetings(browser, page):
    page("en/cohort-C1.html")
    assert _meetings(browser) == sorted(WEEK_1)
    assert _text(browser, ".weeknav a[aria-current]") == "1"


def test_switching_week_changes_the_meetings_shown(browser, page):
    page("en/cohort-C1.html#week-1")
    browser.find_element("css selector", '.weeknav a[href="#week-2"]').click()
    assert _meetings(browser) == sorted(WEEK_2)
    assert _text(browser, ".weeknav a[aria-current]") == "2"
    browser.find_element("css selector", '#week-2 a[rel="prev"]').click()
    assert _meetings(browser) == sorted(WEEK_1)


def test_switching_language_keeps_the_week(browser, page):
    page("en/cohort-C1.html#week-2")
    browser.find_element("css selector", '.langs a[data-lang="zh"]').click()
    assert browser.current_url.endswith("/zh/cohort-C1.html#week-2")
    assert _text(browser, "#week-2 h2").startswith("第2周：9月14日 – 9月20日")
    shown = _meetings(browser)
    assert ["周一 9月14日", "5", "Linear algebra"] in shown and len(shown) == len(WEEK_2)
    assert "翻译：Chen Jing 陈静" in _text(browser, "#week-2 table.grid")
    browser.find_element("css selector", '.langs a[data-lang="ru"]').click()
    assert browser.current_url.endswith("/ru/cohort-C1.html#week-2")
    assert ["Пн 14.09", "5", "Linear algebra"] in _meetings(browser)
    assert _text(browser, "h1").startswith("Группа C1 — IoT, 1 курс, студентов: 18")


def test_the_term_view_shows_every_week_and_the_holidays(browser, page):
    page("en/cohort-C1.html#term")
    assert ["Mon 周一 Пн", "1", "Mathematics"] in _meetings(browser)
    assert "weeks 1-2" in _text(browser, "#term table.grid")
    rows = [r.text for r in browser.find_elements("css selector", "#term table.calendar tr")]
    assert rows[1].split() == ["September", "2026", "1", "09-07", "2", "09-08", "1", "09-09",
                               "09-10", "1", "09-11", "09-13"]
    assert len(browser.find_elements("css selector", "#term table.calendar td.holiday")) == 1


def test_a_visitor_sees_both_clocks(browser, page):
    page("en/teacher-V1.html#week-2")
    assert _text(browser, "#week-2 thead th.time").split("\n") == [
        "Chongqing UTC+8", "Vladivostok UTC+10"]
    assert "14:00-15:40 (16:00-17:40 Vladivostok)" in _text(browser, "#week-2 table.grid")
    assert "Trip 1: Sun, September 13, 2026 – Fri, September 18, 2026" in _text(
        browser, ".facts")


def test_a_phone_gets_a_list_of_days_that_fits_its_screen(browser, page):
    page("en/cohort-C1.html#week-2")
    browser.set_window_size(390, 844)
    try:
        assert not browser.find_element("css selector", "#week-2 table.grid").is_displayed()
        days = browser.find_elements("css selector", "#week-2 .agenda-day h3")
        assert [d.text for d in days][:2] == ["Mon, September 14, 2026",
                                              "Tue, September 15, 2026"]
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        browser.set_window_size(1280, 900)


def test_a_week_prints_on_one_a4_landscape_page(browser, page):
    for path in ("en/cohort-C1.html#week-2", "zh/room-R1.html#week-2", "ru/teacher-T1.html"):
        page(path)
        pdf = print_pdf(browser)
        assert len(pdf.pages) == 1, path
        box = pdf.pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1)
        assert "Linear algebra" in pdf.pages[0].extract_text() or "room" not in path


def test_a_crowded_week_still_prints_on_one_page(tiny, browser, tmp_path):
    """Twelve periods, every block of every weekday holding two courses at once."""
    t = dt.time
    periods = tuple(Period(n, t(7 + n), t(7 + n, 45), "morning" if n < 5 else
                           "afternoon" if n < 9 else "evening") for n in range(1, 13))
    blocks = tuple(Block(f"{n}-{n + 1}", n, n + 1) for n in range(1, 12, 2))
    crowded = replace(tiny, periods=periods, blocks=blocks)
    meetings = [Meeting(dt.date(2026, 9, day), first, first + 1, course, room, "I1")
                for day in range(14, 19) for first in range(1, 12, 2)
                for course, room in (("W1", "R1"), ("I1", "R2"))]
    write_site(crowded, Timetable(tuple(meetings)), tmp_path)
    browser.get((tmp_path / "en" / "cohort-C1.html").as_uri() + "#week-2")
    assert len(_meetings(browser)) == 30
    assert len(print_pdf(browser).pages) == 1
    assert console_errors(browser) == []


def test_the_site_works_served_over_http(browser, site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        console_errors(browser)
        browser.get(f"http://127.0.0.1:{server.server_port}/")
        assert browser.current_url.endswith("/en/index.html")
        browser.find_element("link text", "C1").click()
        assert _meetings(browser) == sorted(WEEK_1)
        assert console_errors(browser) == []
    finally:
        server.shutdown()
        server.server_close()
