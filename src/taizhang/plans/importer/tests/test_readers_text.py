"""The text reader: encodings, line ends, line numbers, and the errors of read_document."""

from __future__ import annotations

import codecs

import pytest

from taizhang.plans.importer.model import DocumentError
from taizhang.plans.importer.readers import read_document
from taizhang.plans.importer.readers.text import decode_bytes, split_lines

PLAN = "一、总体要求\n1、9月底前召开支部党员大会。\n2、每月集中学习1天。\n"
PLAN_LINES = ["一、总体要求", "1、9月底前召开支部党员大会。", "2、每月集中学习1天。"]


def _texts(doc):
    return [line.text for line in doc.lines]


def test_sample_gbk_with_crlf(samples_dir):
    doc = read_document(samples_dir / "study-plan-gbk.txt")
    assert doc.name == "study-plan-gbk.txt"
    assert doc.lines[0].number == 1
    assert doc.lines[0].text == "第三党支部2023年主题教育学习计划"
    by_number = {line.number: line.text for line in doc.lines}
    assert by_number[2] == ""  # blank lines keep their place
    assert by_number[5] == "一、学习目标"
    assert "1、9月：召开支部党员大会传达部署，开展第一次集中学习（9月底前完成）。" in by_number.values()
    assert not any("\r" in line.text for line in doc.lines)
    assert doc.lines[-1].text == "2、因事不能参加集中学习的党员，须向支部书记请假，并在一周内补学。"


def test_seed_is_utf8(seed_path):
    doc = read_document(seed_path)
    by_number = {line.number: line.text for line in doc.lines}
    assert by_number[1] == ""  # the file starts with an empty line; numbers follow the file
    assert by_number[2] == "第二批主题教育重点工作任务清单范文"
    assert by_number[4] == "一、把握总体要求"
    assert any(line.text == "（3）党支部结合实际，每月至少安排1天时间进行集中学习，9月底之前开展第一次集中学习讨论。"
               for line in doc.lines)


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda s: s.encode("utf-8"), "utf-8"),
        (lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), "utf-8-bom"),
        (lambda s: s.encode("gbk"), "gb18030"),
        (lambda s: s.encode("gb18030"), "gb18030"),
        (lambda s: s.encode("utf-16"), None),  # with BOM, machine order
        (lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"), "utf-16-le-bom"),
        (lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "utf-16-be-bom"),
        (lambda s: s.encode("utf-16-le"), "utf-16-le"),  # no BOM
        (lambda s: s.encode("utf-16-be"), "utf-16-be"),  # no BOM
    ],
)
def test_encodings(tmp_path, encode, encoding):
    data = encode(PLAN)
    text, found = decode_bytes(data)
    assert text == PLAN
    if encoding:
        assert found == encoding
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    assert _texts(read_document(path)) == PLAN_LINES


def test_short_gbk_text_is_not_misguessed(tmp_path):
    # Two short lines of GBK: charset-normalizer alone guesses wrongly on texts like this.
    path = tmp_path / "short.txt"
    path.write_bytes("一、学习\r\n二、整改\r\n".encode("gbk"))
    assert _texts(read_document(path)) == ["一、学习", "二、整改"]


def test_gb18030_four_byte_characters(tmp_path):
    text = "一、学习𠀀字\n"  # U+20000 needs the four-byte GB18030 form
    path = tmp_path / "rare.txt"
    path.write_bytes(text.encode("gb18030"))
    assert _texts(read_document(path)) == ["一、学习𠀀字"]


def test_line_ends_and_numbers():
    lines = split_lines("甲\r\n乙\r丙\n\n丁\u2028仍是丁\x0c")
    assert [(line.number, line.text) for line in lines] == [
        (1, "甲"), (2, "乙"), (3, "丙"), (4, ""), (5, "丁\u2028仍是丁\x0c"),
    ]
    assert [line.number for line in split_lines("a\nb\n")] == [1, 2]


def test_markdown_is_text(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# 一、总体要求\n\n1. 学习\n", encoding="utf-8")
    assert _texts(read_document(path)) == ["# 一、总体要求", "", "1. 学习"]


def test_text_with_a_lying_extension_is_sniffed(tmp_path):
    path = tmp_path / "plan.dat"
    path.write_bytes(PLAN.encode("gbk"))
    assert _texts(read_document(path)) == PLAN_LINES


# -- errors ----------------------------------------------------------------------------------
def test_missing_file(tmp_path):
    with pytest.raises(DocumentError) as info:
        read_document(tmp_path / "nowhere.txt")
    message = str(info.value)
    assert message.startswith("nowhere.txt：找不到该文件（")
    assert "\n" not in message


@pytest.mark.parametrize("content", [b"", b"   \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_text_file(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r"^blank\.txt：(文件|文档)是空的"):
        read_document(path)


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(DocumentError, match=r"^folder\.txt：这是一个文件夹，不是文件$"):
        read_document(folder)


def test_binary_garbage_with_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "image.bin"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DocumentError, match=r"^image\.bin：不是可识别的文档"):
        read_document(path)


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("一、学习\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(path), "open", refuse)
    with pytest.raises(DocumentError, match=r"^locked\.txt：无法读取该文件（Permission denied）$"):
        read_document(path)
