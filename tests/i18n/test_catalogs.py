"""The message catalogs: every message the code writes for people has a Chinese and a Russian
translation, with the same placeholders, and the shipped .mo files are compiled from the .po
sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from scheduler.i18n import LOCALES, catalog

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "tr": None, "Violation": (1,), "_clash_messages": (1,)}
"""What ``pybabel extract -k tr -k Violation:1 -k _clash_messages:1`` looks for: messages,
and the names of the rules the verifier reports (docs/exports.md, Languages)."""
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


Message = tuple[str | None, str | tuple[str, str]]
"""A message's context and its text (singular and plural for a message with plural forms)."""


def _extracted() -> dict[Message, str]:
    """Each message in the code and templates -> where it was found."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for path, line, message, _, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        if isinstance(message, tuple):
            message = message[0] if len(message) == 1 or not message[1] else message[:2]
        if message:
            found[(context, message)] = f"{path}:{line}"
    return found


def _translations(language: str, context: str | None,
                  message: str | tuple[str, str]) -> list[str]:
    """The compiled catalog's translations of a message (each plural form), if any."""
    lookup = catalog(language)._catalog  # type: ignore[attr-defined]
    if isinstance(message, tuple):
        header = catalog(language).info()["plural-forms"]
        forms = int(re.search(r"nplurals=(\d+)", header).group(1))  # type: ignore[union-attr]
        return [lookup.get((message[0], i), "") for i in range(forms)]
    return [lookup.get(f"{context}\x04{message}" if context else message, "")]


@pytest.fixture(scope="module")
def extracted() -> dict[Message, str]:
    return _extracted()


def test_extraction_finds_the_messages_of_every_output(extracted):
    messages = {m if isinstance(m, str) else m[0] for _, m in extracted}
    assert {"Period", "weeks {weeks} (odd)", "Cohorts", "Visiting teachers — {term}",
            "interpreter: {names}", "room capacity", "teacher clash", "wrote {path}",
            "All timetables"} <= messages
    assert len(messages) > 100


@pytest.mark.parametrize("language", ["zh", "ru"])
def test_every_message_has_a_translation_with_the_same_placeholders(extracted, language):
    missing, wrong = [], []
    for (context, message), where in sorted(extracted.items(), key=str):
        texts = _translations(language, context, message)
        english = message if isinstance(message, str) else message[0]
        if not all(texts):
            missing.append(f"{where}: {message!r}")
        for text in texts:
            if text and sorted(PLACEHOLDER.findall(text)) != sorted(
                    PLACEHOLDER.findall(english)):
                wrong.append(f"{where}: {message!r} -> {text!r}")
    assert missing == [], f"untranslated in {language}"
    assert wrong == [], f"placeholders differ in {language}"


@pytest.mark.parametrize("language", ["zh", "ru"])
def test_compiled_catalog_matches_its_source(language):
    folder = LOCALES / language / "LC_MESSAGES"
    with (folder / "scheduler.po").open("rb") as f:
        source = read_po(f, locale=language)
    compiled = catalog(language)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for m in source:
        if isinstance(m.id, tuple):
            expected.update({(m.id[0], i): text for i, text in enumerate(m.string)})
        elif m.id:
            expected[f"{m.context}\x04{m.id}" if m.context else m.id] = m.string
    assert {k: v for k, v in compiled.items() if k} == expected
    assert not any(m.fuzzy for m in source if m.id)
    # no retired copy of a live message: GNU msgfmt (and Poedit) reject the file as holding
    # duplicate definitions (NOT OPTIMISED, PARTIAL did); pybabel update --ignore-obsolete
    assert not source.obsolete, sorted(source.obsolete)


def _unextracted_calls(path: Path) -> list[str]:
    """Calls that translate a literal without the ``tr`` name extraction looks for:
    ``translator(lang)("...")`` or ``translator(lang).brief("...")``."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and node.args
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr)):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "brief":
            func = func.value
        if isinstance(func, ast.Call) and getattr(func.func, "id", None) == "translator":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_translated_literal_is_found_by_extraction():
    """A literal given to ``translator(...)`` directly is not extracted, so it has no
    translation and the test above cannot see it (the whole-objective bound sentence and
    a picture's "no meetings" stayed English that way): write ``tr = translator(lang)``."""
    files = [*sorted((ROOT / "scheduler").rglob("*.py")), ROOT / "cli.py"]
    assert [hit for path in files for hit in _unextracted_calls(path)] == []
