"""One reading layer for every importer (the plan, the roster, the ledger): pure Python, no
Django import, so the plan importer and the command line use it as they are.

- :mod:`.ooxml`: the size/ZIP-bomb check every Office Open XML file passes before parsing,
  with its limits (settings ``TAIZHANG_OOXML_*``) and :class:`ReadError`/:class:`FileRefused`;
- :mod:`.workbook`: .xlsx, .xls (BIFF), HTML and SpreadsheetML workbooks as :class:`Sheet`
  tables of text cells, merged cells filled, hidden sheets marked;
- :mod:`.markup`: the HTML and SpreadsheetML readers (issue 16 §3, §4);
- :mod:`.text`: the encoding of a text file or CSV (UTF-8, GB18030, UTF-16, BOMs);
- :mod:`.headers`: a header cell normalised, named by exact names or by what it says, and the
  header row found among the first rows;
- :mod:`.dates`: dates typed in cells (2023.9.30, 1985年3月, Excel serials). Working days are
  :mod:`taizhang.core.workdays`; deadlines written in words are the plan importer's.
"""

from .ooxml import FileRefused, OoxmlLimits, ReadError, check_file_size, check_ooxml, current_limits
from .workbook import Sheet, read_workbook, visible_first

__all__ = ["FileRefused", "OoxmlLimits", "ReadError", "Sheet", "check_file_size", "check_ooxml",
           "current_limits", "read_workbook", "visible_first"]
