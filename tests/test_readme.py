"""The README's promises: its test command is the one CI runs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    ci_lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    command = next(line for line in ci_lines if line.startswith("pip install -e '.[test]'"))
    assert "pytest" in command
    assert f"\n{command}\n" in (ROOT / "README.md").read_text()


def test_format_doc_is_current():
    from scheduler.io.docs import FORMAT_DOC, format_reference

    assert FORMAT_DOC.read_text(encoding="utf-8") == format_reference(), (
        "docs/format.md is stale: run "
        "python -c 'from scheduler.io.docs import write_format_doc; write_format_doc()'"
    )
