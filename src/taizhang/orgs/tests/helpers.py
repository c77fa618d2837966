"""Roster files built in memory for the tests (invented names and numbers)."""

import io

import openpyxl

HEADER = ["姓名", "性别", "出生年月", "入党时间", "党员类型", "所在支部", "党小组", "职务", "联系电话"]
ROWS = [
    ["赵明远", "男", "1980.05", "2005.7.1", "正式党员", "第1党支部", "第1党小组", "支部书记、宣传委员", "13800000001"],
    ["钱晓燕", "女", "1988年3月", "2012年6月30日", "正式党员", "第1党支部", "第1党小组", "党小组长", "13800000002"],
    ["孙浩", "男", "198912", "2015-3", "正式", "第1党支部", "第2党小组", "", "13800000003"],
    ["李文静", "女", "1998-02-01", "2023.9.30", "预备党员", "第2党支部", "第1党小组", "", "13800000004"],
]


def csv_bytes(rows=ROWS, header=HEADER, encoding="utf-8", title=None) -> bytes:
    lines = ([title] if title else []) + [",".join(header)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER, title=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
