"""The web site's files: a page per cohort, teacher, room and interpreter in three languages,
nothing loaded from the network, names escaped, the first page in the reader's language."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from scheduler.exports import EXPORT_FORMATS, export_timetable
from scheduler.exports.site import write_site
from tests.tiny import with_course

PAGES = ("index.html", "cohort-C1.html", "cohort-C1-A.html", "cohort-C1-B.html",
         "cohort-C2.html", "teacher-T1.html", "teacher-T2.html", "teacher-V1.html",
         "room-R1.html", "room-R2.html", "room-L1.html", "interpreter-I1.html",
         "interpreter-I2.html")


@pytest.fixture(scope="module")
def site(tiny, timetable, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    write_site(tiny, timetable, folder, made=dt.date(2026, 9, 1))
    return folder


def test_html_is_an_export_format_writing_the_site_into_the_folder(tiny, timetable, tmp_path):
    assert "html" in EXPORT_FORMATS
    written = export_timetable(tiny, timetable, "html", tmp_path, lang="ru")
    assert tmp_path / "index.html" in written
    assert tmp_path / "zh" / "cohort-C1.html" in written
    root = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'url=ru/index.html' in root
    # the page that forwards to the Russian site is Russian itself (it said lang="en")
    assert '<html lang="ru">' in root and "<title>Расписание" in root, root


def test_every_subject_has_a_page_in_every_language(site):
    for lang in ("en", "zh", "ru"):
        assert sorted(p.name for p in (site / lang).iterdir()) == sorted(PAGES)
    assert sorted(p.name for p in (site / "assets").iterdir()) == ["site.css", "site.js"]


def test_nothing_is_loaded_from_the_network(site):
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            refs = re.findall(r'(?:src|href)="([^"]*)"|url\(([^)]*)\)', text)
            external = [r for pair in refs for r in pair if re.match(r"\s*(?:[a-z]+:)?//", r)]
            assert external == [], path


def test_a_page_has_each_week_the_term_view_and_a_language_switch(site):
    page = (site / "zh" / "cohort-C1.html").read_text(encoding="utf-8")
    assert re.findall(r'<section class="view week[^"]*" id="(week-\d+)"', page) == [
        "week-1", "week-2"]
    assert 'id="term"' in page
    assert 'data-default-view="week-1"' in page
    assert re.findall(r'<a href="(\.\./\w\w/cohort-C1\.html)"', page) == [
        "../en/cohort-C1.html", "../zh/cohort-C1.html", "../ru/cohort-C1.html"]
    assert '<html lang="zh-CN">' in page
    assert "第1周：9月7日 – 9月13日" in page
    assert "假日：holiday" in page  # Friday 09-11


def test_the_first_page_opens_in_the_readers_language_or_asks(tiny, timetable, tmp_path):
    write_site(tiny, timetable, tmp_path / "all", lang="all")
    root = (tmp_path / "all" / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in root
    assert [f"{c}/index.html" for c in ("en", "zh", "ru")] == re.findall(
        r'href="(\w\w/index\.html)"', root)


def test_names_are_escaped(tiny, timetable, tmp_path):
    hostile = with_course(tiny, "W1", name='<script>alert("x")</script>')
    write_site(hostile, timetable, tmp_path)
    page = (tmp_path / "en" / "cohort-C1.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_the_index_lists_sub_groups_under_their_cohort_and_the_visitors_trips(site):
    index = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li class="level-(\d)"><a href="cohort-([\w-]+)\.html"', index) == [
        ("0", "C1"), ("1", "C1-A"), ("1", "C1-B"), ("0", "C2")]
    visitors = index.split('id="visitors"')[1].split("</section>")[0]
    assert re.findall(r'<a href="([\w-]+\.html)">([^<]+)</a> <span class="detail">([^<]+)<',
                      visitors) == [("teacher-V1.html", "Иванова Е. А.", "09-13 – 09-18")]
