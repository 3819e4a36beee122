"""Messages, weekday and month names and dates in English, Chinese, Russian and all three."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.i18n import LANGUAGES, translator, weekday_header

MONDAY = dt.date(2026, 10, 12)


@pytest.mark.parametrize(("language", "date", "short", "month"), [
    ("en", "Mon, October 12, 2026", "10-12", "October 2026"),
    ("zh", "2026年10月12日 周一", "10月12日", "2026年10月"),
    ("ru", "12 октября 2026\u202fг., пн", "12.10", "октябрь 2026\u202fг."),  # CLDR: narrow space
    ("all", "Mon, October 12, 2026", "10-12", "October 2026"),  # dates are kept short
])
def test_dates_and_months_in_the_readers_language(language, date, short, month):
    tr = translator(language)
    assert (tr.date(MONDAY), tr.short_date(MONDAY), tr.month(MONDAY)) == (date, short, month)


def test_messages_in_one_language_or_all_three():
    assert [translator(lang)("Period") for lang in LANGUAGES] == [
        "Period", "节次", "Ак. час", "Period / 节次 / Ак. час"]
    # the same English in two places may translate apart
    assert translator("zh").pgettext("weeks", ", ") == ","
    assert translator("zh").pgettext("dates", ", ") == "、"
    assert translator("all").brief is translator("en")


def test_weekday_names_and_column_headings():
    assert [translator(lang).weekday(6) for lang in LANGUAGES] == [
        "Sun", "周日", "вс", "Sun 周日 Вс"]
    # English and trilingual grids are read by everyone: their headings carry all three
    assert weekday_header(0, "en") == weekday_header(0, "all") == "Mon 周一 Пн"
    assert (weekday_header(0, "zh"), weekday_header(0, "ru")) == ("周一", "Пн")


def test_an_unknown_language_names_the_choices():
    with pytest.raises(ValueError, match="Expected language in en, zh, ru, all, got 'de'"):
        translator("de")


@pytest.mark.parametrize(("language", "decimal", "percent", "whole"), [
    ("en", "20.5", "94.3%", "100%"),
    ("zh", "20.5", "94.3%", "100%"),
    ("ru", "20,5", "94,3\xa0%", "100\xa0%"),  # CLDR: a decimal comma, a space before %
    ("all", "20.5", "94.3%", "100%"),
])
def test_numbers_in_the_readers_language(language, decimal, percent, whole):
    tr = translator(language)
    assert (tr.decimal(20.5), tr.percent(0.943, 1), tr.percent(1.0)) == (decimal, percent,
                                                                           whole)
    assert tr.decimal(0.2034, 3) == decimal.replace("20", "0").replace("5", "203")
