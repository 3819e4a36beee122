"""Formula-injection escaping: nothing a spreadsheet would evaluate, and an exact round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.formulas import escape_formula, looks_like_formula, unescape_formula


@pytest.mark.parametrize("text", [
    "=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0",
    "\t=1", "\r=1", "'=1",
])
def test_formula_like_text_gets_one_apostrophe(text):
    escaped = escape_formula(text)
    assert escaped == "'" + text
    assert unescape_formula(escaped) == text


@pytest.mark.parametrize("value", ["Mathematics", "王芳 Wang Fang", "Иванова", "2101", "'quoted",
                                   "", 5, -3, 2.5, None])
def test_other_values_are_left_alone(value):
    assert escape_formula(value) == value
    assert unescape_formula(value) == value


def test_only_a_leading_trigger_counts():
    assert not looks_like_formula("a=b")
    assert looks_like_formula("''-x")


@given(st.text(max_size=12))
def test_escaping_round_trips_any_text(text):
    escaped = escape_formula(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_formula(escaped) == text
