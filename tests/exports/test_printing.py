"""The workbook's weekly grids printed by LibreOffice: every page A4 landscape, each block of a
grid (the term, or a month or a week where the term does not fit) on one page, all weekdays
side by side, the title and headings repeated, and no text printed under 7.2 points (9-point
cells at 80 % or more)."""

from __future__ import annotations

import pytest

from scheduler.exports.workbook import MIN_PRINT_SCALE, grid_blocks, grid_sheets, write_workbook
from tests.exports.crowded import crowded
from tests.exports.office import (
    find_office,
    has_calibri_metrics,
    pages_by_sheet,
    text_sizes,
    to_pdf,
)

pytestmark = [
    pytest.mark.skipif(find_office() is None,
                       reason="LibreOffice not found: install Debian's libreoffice-calc "
                              "(.ci/run does)"),
    pytest.mark.skipif(not has_calibri_metrics(),
                       reason="no font with Calibri's metrics, so LibreOffice draws columns "
                              "wider than Excel: install Debian's fonts-crosextra-carlito "
                              "(.ci/run does)"),
]

A4_LANDSCAPE = (841.89, 595.28)  # points
CELL_POINTS = 9


@pytest.fixture(scope="module")
def printed(tiny, tmp_path_factory):
    instance, timetable = crowded(tiny)
    folder = tmp_path_factory.mktemp("print")
    path = write_workbook(instance, timetable, folder / "timetable.xlsx")
    blocks = {name: grid_blocks(instance, timetable, kind, subject)
              for kind, subject, name in grid_sheets(instance)}
    return blocks, pages_by_sheet(to_pdf(path, folder))


def test_the_crowded_cohort_grid_is_split_by_week(printed):
    blocks, _ = printed
    assert [b.caption for b in blocks["cohort C1"]] == ["week 1 · 09-07 – 09-13",
                                                        "week 2 · 09-14 – 09-20"]
    assert [b.caption for b in blocks["teacher T2"]] == [""]  # one page holds the term


def test_every_page_is_a4_landscape(printed):
    _, pages = printed
    for page in (p for sheet in pages.values() for p in sheet):
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE, abs=1)


def test_each_block_of_a_grid_prints_on_one_page_with_its_headings(printed):
    blocks, pages = printed
    for name, sheet_blocks in blocks.items():
        printed_pages = pages[name]
        # one page a block, and perhaps one more for the holidays' notes under the last
        assert len(sheet_blocks) <= len(printed_pages) <= len(sheet_blocks) + 1, name
        for block, page in zip(sheet_blocks, printed_pages, strict=False):
            text = page.extract_text()
            assert block.caption in text, name
            assert "Period" in text and "Mon" in text and "Fri" in text, name  # whole width
            # the title on every page (its first word and id: no CJK font for LibreOffice here)
            title = block.grid.title.split()
            assert title[0] in text and block.grid.subject_id in text, name


def test_no_grid_text_prints_under_80_percent(printed):
    blocks, pages = printed
    smallest = min(size for name in blocks for page in pages[name]
                   for size, _ in text_sizes(page))
    assert smallest >= CELL_POINTS * MIN_PRINT_SCALE / 100 - 0.01
