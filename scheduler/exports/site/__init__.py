"""The timetable web site: static pages for phones, screens and print, in three languages.

:func:`write_site` writes ``index.html`` (the reader's language, or a choice of language) and,
per language, ``<en|zh|ru>/index.html`` with a page per cohort, teacher, room and
interpreter: a week switcher over the dated weeks of the term (holidays and adjusted
workdays marked), the term view, and a language switch. Pages are made from Jinja2 templates
(``templates/``) with one stylesheet and a small script (``static/``); they load nothing
from the network, so the folder works opened from disk or served by any web server.
"""

from scheduler.exports.site.writer import SITE_LANGUAGES, write_site

__all__ = ["SITE_LANGUAGES", "write_site"]
