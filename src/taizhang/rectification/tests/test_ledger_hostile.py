"""A hostile workbook at the ledger import: refused by the one OOXML check (issue 16 §3)."""

import time

from taizhang.core.reading.tests.hostile import bomb_xlsx
from taizhang.rectification.ledger_parse import parse_ledger


def test_bomb_ledger_is_refused_naming_file_and_reason(tmp_path):
    path = tmp_path / "整改台账.xlsx"
    path.write_bytes(bomb_xlsx(120))
    started = time.perf_counter()
    result = parse_ledger(path)
    assert time.perf_counter() - started < 1.0
    errors = [str(e) for e in result.errors]
    assert len(errors) == 1
    assert "整改台账.xlsx：其中的 xl/worksheets/sheet1.xml 解压后达 120 MB（单个部分上限 50 MB）" in errors[0]
