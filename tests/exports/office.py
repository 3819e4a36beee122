"""LibreOffice, headless, for the workbook's printing tests: a workbook converted to PDF as
LibreOffice prints it (Debian: ``apt-get install libreoffice-calc fonts-crosextra-carlito``;
Carlito has Calibri's metrics, so columns print as wide as Excel draws them)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

from pypdf import PdfReader
from pypdf._page import PageObject

OFFICES = ("soffice", "libreoffice")


def find_office() -> str | None:
    """Path of LibreOffice's ``soffice``, or None."""
    return next((p for p in map(shutil.which, OFFICES) if p), None)


def has_calibri_metrics() -> bool:
    """Whether fontconfig gives a font with Calibri's metrics (Calibri or Carlito)."""
    if shutil.which("fc-match") is None:
        return False
    done = subprocess.run(["fc-match", "Calibri"], capture_output=True, text=True, check=False)
    return any(name in done.stdout for name in ("Calibri", "Carlito"))


def to_pdf(workbook: Path, folder: Path) -> PdfReader:
    """``workbook`` printed by LibreOffice (every sheet, with its own print setup), read back."""
    office = find_office()
    if office is None:
        raise RuntimeError("LibreOffice is not installed")
    profile = Path(tempfile.mkdtemp(prefix="soffice-profile-"))
    try:
        subprocess.run([office, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                       capture_output=True, check=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return PdfReader(folder / f"{workbook.stem}.pdf")


def pages_by_sheet(pdf: PdfReader) -> dict[str, list[PageObject]]:
    """The printed pages of each sheet, found by the footer that names it (``&A``)."""
    sheets: dict[str, list[PageObject]] = defaultdict(list)
    for page in pdf.pages:
        sheets[page.extract_text().splitlines()[0].split(" Page ")[0]].append(page)
    return dict(sheets)


def text_sizes(page: PageObject) -> list[tuple[float, str]]:
    """(printed size in points, text) of every piece of text on ``page``."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            found.append((round(size * tm[0] * cm[0], 2), text))

    page.extract_text(visitor_text=visit)
    return found
