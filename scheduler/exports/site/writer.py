"""Render the site's pages with Jinja2 and write them into a folder."""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scheduler.calendar import TermCalendar
from scheduler.exports.site.pages import (
    calendar_notes,
    index_entries,
    page_file,
    subject_page,
    subjects,
)
from scheduler.i18n import LANGUAGE_NAMES, SINGLE_LANGUAGES, Language, check_language, translator
from scheduler.instance import Instance
from scheduler.timetable import Timetable
from scheduler.views.visitors import trip_facts

SITE_LANGUAGES = SINGLE_LANGUAGES
"""Every site has a folder per language, with a switch between them."""
ASSETS = "assets"
HTML_LANG = {"en": "en", "zh": "zh-CN", "ru": "ru"}


def _environment() -> Environment:
    return Environment(loader=PackageLoader("scheduler.exports.site", "templates"),
                       autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _copy_assets(folder: Path) -> list[Path]:
    written = []
    static = resources.files("scheduler.exports.site") / "static"
    for item in sorted(static.iterdir(), key=lambda i: i.name):
        target = folder / ASSETS / item.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with resources.as_file(item) as source:
            shutil.copyfile(source, target)
        written.append(target)
    return written


def _term_dates(instance: Instance, lang: Language) -> str:
    tr = translator(lang)
    term = instance.term
    return f"{tr.date(term.first_date)} – {tr.date(term.last_date)}"


def write_site(instance: Instance, timetable: Timetable, folder: str | Path,
               lang: Language = "en", made: dt.date | None = None) -> list[Path]:
    """Write the site into ``folder`` and return the files written.

    ``lang`` is the language ``index.html`` opens in (``all``: it asks which); every page
    exists in English, Chinese and Russian. ``made`` is the date the footer gives (today by
    default). The files are written one by one: ``folder`` is meant to be a staging folder
    that the caller swaps in whole.
    """
    check_language(lang)
    folder = Path(folder)
    made = made or dt.date.today()
    env = _environment()
    calendar = TermCalendar(instance)
    trips = trip_facts(instance, timetable, calendar)
    written = _copy_assets(folder)
    pages = subjects(instance)
    for code in SITE_LANGUAGES:
        tr = translator(code)
        common = {"tr": tr, "lang": code, "html_lang": HTML_LANG[code], "root": "../",
                  "site_title": tr("Timetable — {term}").format(term=instance.term.name),
                  "made": tr.date(made)}
        index_languages = [(c, LANGUAGE_NAMES[c], f"../{c}/index.html")
                           for c in SITE_LANGUAGES]
        sections = [("cohorts", tr("Cohorts")), ("teachers", tr("Teachers")),
                    ("visitors", tr("Visiting teachers")), ("rooms", tr("Rooms")),
                    ("interpreters", tr("Interpreters"))]
        written.append(_write(folder / code / "index.html", env.get_template(
            "index.html").render(**common, languages=index_languages, sections=sections,
                                 entries=index_entries(instance, timetable, code, trips),
                                 term_dates=_term_dates(instance, code),
                                 notes=calendar_notes(instance, code))))
        subject_template = env.get_template("subject.html")
        for kind, subject_id in pages:
            page = subject_page(instance, timetable, kind, subject_id, code, calendar, trips)
            file = page_file(kind, subject_id)
            languages = [(c, LANGUAGE_NAMES[c], f"../{c}/{file}") for c in SITE_LANGUAGES]
            mondays = [(instance.term.week1_monday + dt.timedelta(weeks=w.number - 1))
                       .isoformat() for w in page.weeks]
            written.append(_write(folder / code / file, subject_template.render(
                **common, languages=languages, page=page, mondays=mondays)))
    chooser = [(c, LANGUAGE_NAMES[c], _title(c, instance.term.name)) for c in SITE_LANGUAGES]
    opens = None if lang == "all" else lang  # the page it forwards to: its language
    written.append(_write(folder / "index.html", env.get_template("root.html").render(
        title=instance.term.name if opens is None else _title(opens, instance.term.name),
        languages=chooser, default=opens, html_lang="en" if opens is None else HTML_LANG[opens])))
    return written


def _title(language: Language, term: str) -> str:
    """The site's title in ``language``."""
    tr = translator(language)
    return tr("Timetable — {term}").format(term=term)
