"""``--lang`` on the command line: the solve summary, verify's verdict and rules, the report's
tables and the files written in Chinese or Russian; English unchanged."""

from __future__ import annotations

import re

import openpyxl
import pytest
from click.testing import CliRunner

import cli
from scheduler.io.writer import write_instance_csv
from scheduler.timetable_io import write_timetable_csv
from tests.tiny import edited, m, tiny_instance, valid_timetable


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    write_instance_csv(tiny_instance(), folder / "instance")
    write_timetable_csv(tiny_instance(), valid_timetable(), folder / "timetable.csv")
    # W1 twice on Monday 09-07 periods 1-2: a room, teacher and cohort clash
    clash = edited(add=(m(7, 1, "W1", "R2"),))
    write_timetable_csv(tiny_instance(), clash, folder / "clash.csv")
    return folder


def _run(*args: str):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_verify_says_its_verdict_and_rules_in_the_readers_language(files):
    ok = _run("verify", files / "instance", files / "timetable.csv", "--lang", "zh")
    assert ok.exit_code == 0
    assert "有效：" in ok.output and "未违反任何硬性规则。" in ok.output
    broken = _run("verify", files / "instance", files / "clash.csv", "--lang", "ru")
    assert broken.exit_code == 5
    assert "нарушений: 4" in broken.output
    # the rule in Russian, its detail (ids, dates) as the verifier says it
    assert "  - [накладка группы] cohort C1 is in 2 meetings at once (W1) on 2026-09-07 " \
           "period 1" in broken.output
    english = _run("verify", files / "instance", files / "clash.csv")
    assert "4 violation(s):" in english.output
    assert "  - [cohort clash] cohort C1 is in 2 meetings" in english.output


def test_report_tables_are_headed_in_the_readers_language(files):
    result = _run("report", files / "instance", files / "timetable.csv", "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert "Группы" in result.output and "Аудитории" in result.output
    assert "окна" in result.output  # idle periods
    assert re.search(r"\b\d+,\d\b", result.output)      # seat fit with a decimal comma
    assert not re.search(r"\b\d+\.\d\b", result.output), result.output


def test_export_writes_the_workbook_and_site_in_the_readers_language(files, tmp_path):
    result = _run("export", files / "instance", files / "timetable.csv", "-f", "xlsx",
                  "-f", "html", "--lang", "zh", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert f"已写入 {tmp_path / 'timetable.xlsx'}" in result.output
    book = openpyxl.load_workbook(tmp_path / "timetable.xlsx")
    assert book.sheetnames[:4] == ["timetable", "来访教师", "三分之一规定", "班级 C1"]
    assert book["班级 C1"]["C2"].value == "周一"
    assert "url=zh/index.html" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_an_unknown_language_is_refused_by_the_option(files, tmp_path):
    result = _run("report", files / "instance", files / "timetable.csv", "--lang", "de")
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'zh', 'ru', 'all'" in result.output


def test_solve_prints_its_summary_and_writes_its_files_in_the_readers_language(files,
                                                                               tmp_path):
    result = _run("solve", files / "instance", "-o", tmp_path, "--quiet", "--time-limit",
                  "5", "--workers", "2", "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert "занятий: 13, проверено; целевая функция" in result.output
    # seconds with a decimal comma, as Russian writes them (e.g. «0,4 с»)
    assert re.search(r"\d+,\d с \(", result.output.splitlines()[0]), result.output
    assert "Целевая функция по мягким ограничениям (проверено)" in result.output
    assert openpyxl.load_workbook(tmp_path / "timetable.xlsx").sheetnames[1] == "приглашённые"
