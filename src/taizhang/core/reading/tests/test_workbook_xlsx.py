"""The .xlsx path of :func:`taizhang.core.reading.read_workbook` (read-only, one parse a sheet):
what a normal openpyxl worksheet gave before (merges, dates, numbers, formulas' cached values)
and files whose stated size is wrong or missing."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from taizhang.core.reading import ReadError, read_workbook


def _rewrite_sheet(path, change) -> None:
    """Rewrite xl/worksheets/sheet1.xml of the workbook at ``path`` with ``change(xml)``."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = change(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_merges_dates_numbers_and_a_covered_cell_s_own_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2023年台账"])
    ws.append(["序号", "问题", "时限", "数"])
    ws.append([1, "问题一", dt.datetime(2023, 12, 31), 3.0])
    ws.append([None, None, dt.datetime(2024, 1, 15, 9, 30), 2.5])
    ws["B4"] = "被合并覆盖的值"  # a covered cell that keeps a value in the file
    ws.merge_cells("A1:D1")
    ws.merge_cells("B3:B4")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    [sheet] = read_workbook(path)
    assert sheet.rows == [
        (1, ["2023年台账", "2023年台账", "2023年台账", "2023年台账"]),
        (2, ["序号", "问题", "时限", "数"]),
        (3, ["1", "问题一", "2023-12-31", "3"]),
        (4, ["", "问题一", "2024-01-15 09:30", "2.5"]),
    ]
    assert sheet.written == [(1, ["2023年台账"]), (2, ["序号", "问题", "时限", "数"]),
                             (3, ["1", "问题一", "2023-12-31", "3"]), (4, ["", "", "2024-01-15 09:30", "2.5"])]
    assert sheet.merged == {(1, 1): True, (1, 2): True, (1, 3): True, (4, 1): True}


def test_a_wrong_or_missing_dimension_does_not_cut_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    for i in range(1, 31):
        wb.active.append([i, f"措施{i}", None, "办公室"])
    path = tmp_path / "d.xlsx"
    wb.save(path)
    expected = [(i, [str(i), f"措施{i}", "", "办公室"]) for i in range(1, 31)]
    _rewrite_sheet(path, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:B2"/>', xml))
    assert read_workbook(path)[0].rows == expected
    _rewrite_sheet(path, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml))
    assert read_workbook(path)[0].rows == expected


def test_a_damaged_sheet_is_one_line_naming_the_file(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["任务"])
    path = tmp_path / "坏.xlsx"
    wb.save(path)
    _rewrite_sheet(path, lambda xml: xml.replace('<c r="A1"', '<c r="#"'))
    with pytest.raises(ReadError) as info:
        read_workbook(path)
    assert str(info.value).startswith("坏.xlsx：文件已损坏或不是 Excel 工作簿，无法读取（")
