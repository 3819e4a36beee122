"""The package as users install it: ``pip install .`` (not editable) gives a working tool with
the shipped instances, run from any folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "cli.py", "scheduler", "instances", "docs")


def test_every_package_is_listed_for_the_wheel():
    """pyproject.toml lists the packages (to map instances/ into the wheel): a new one must be
    listed too, or the installed tool would lack it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "scheduler").rglob("__init__.py")}
    assert listed == found | {"scheduler.instances", "scheduler.docs"}
    assert config["tool"]["setuptools"]["package-dir"] == {"scheduler.instances": "instances",
                                                           "scheduler.docs": "docs"}


@pytest.mark.slow
def test_a_wheel_installed_in_a_fresh_environment_finds_its_default_instance(tmp_path):
    """Build and install from a copy of the sources (``pip install .``) into a new virtual
    environment that sees the installed dependencies, then run the tool from another folder."""
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(item, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--ignore-installed", str(source)], check=True)
    shutil.rmtree(source)  # the installed tool must not need the sources
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    scheduler = venv / ("Scripts/scheduler.exe" if os.name == "nt" else "bin/scheduler")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(scheduler), *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([str(python), "-c", "import scheduler.paths as p; "
                            "print(p.DEFAULT_INSTANCE)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(venv) and Path(where).is_dir()
    validated = run("validate")
    assert validated.returncode == 0, validated.stderr
    assert "is a valid instance" in validated.stdout
    solved = run("solve", "-t", "5", "-w", "2", "-q", "-o", "out")
    summary = json.loads((elsewhere / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["has_timetable"] and summary["verified"]
    # 7: a timetable written without optimising it (5 s may end before on a busy machine)
    assert solved.returncode == (0 if summary["optimised"] else 7), solved.stderr
    assert Path(summary["instance"]["source"]).is_relative_to(venv)
    verified = run("verify", where, "out/timetable.csv")
    assert verified.returncode == 0, verified.stderr
    # the documents messages name are installed, and named where they are
    weights = " ".join(verified.stdout.split()).split("each rule's weights: ")[1].split(")")[0]
    assert Path(weights).is_relative_to(venv) and Path(weights).name == "objective.md"
    assert "## Levels" in Path(weights).read_text(encoding="utf-8")
    # The README's examples name the instance relative to the repository: from an installed
    # package that path is not there, and the error gives the installed copy's path.
    relative = run("verify", "instances/cqupt-fefu-2026-fall", "out/timetable.csv")
    assert relative.returncode == 2, relative.stderr
    assert "no such file or folder" in relative.stderr
    assert f"the shipped instance 'cqupt-fefu-2026-fall' is {where}" in \
        " ".join(relative.stderr.split())
