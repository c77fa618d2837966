"""A hostile workbook at the ledger import: refused by the one OOXML check (issue 16 §3)."""

from taizhang.core.reading.tests.hostile import bomb_xlsx, unpacked_bytes
from taizhang.rectification.ledger_parse import parse_ledger


def test_bomb_ledger_is_refused_naming_file_and_reason(tmp_path):
    path = tmp_path / "整改台账.xlsx"
    path.write_bytes(bomb_xlsx(120))
    with unpacked_bytes() as unpacked:
        result = parse_ledger(path)
    assert unpacked[0] < 1024 * 1024  # refused from the zip's directory, not by unpacking
    errors = [str(e) for e in result.errors]
    assert len(errors) == 1
    assert "整改台账.xlsx：其中的 xl/worksheets/sheet1.xml 解压后达 120 MB（单个部分上限 50 MB）" in errors[0]
