"""Cell value parsers: dates, phones, posts, status, gender (no database)."""

import datetime as dt

import pytest

from taizhang.orgs.roster_values import parse_date, parse_gender, parse_phone, parse_positions, parse_status

TODAY = dt.date(2024, 1, 31)


@pytest.mark.parametrize(("text", "expected"), [
    ("2023.9.30", dt.date(2023, 9, 30)),
    ("2023年9月30日", dt.date(2023, 9, 30)),
    ("2023-09-30", dt.date(2023, 9, 30)),
    ("2023/9/30", dt.date(2023, 9, 30)),
    ("2023-09-30 00:00", dt.date(2023, 9, 30)),
    ("20230930", dt.date(2023, 9, 30)),
    ("1985年3月", dt.date(1985, 3, 1)),
    ("1985.03", dt.date(1985, 3, 1)),
    ("1985-3", dt.date(1985, 3, 1)),
    ("198503", dt.date(1985, 3, 1)),
    ("1985年", dt.date(1985, 1, 1)),
    ("45199", dt.date(2023, 9, 30)),          # Excel serial typed into a text cell
    ("45199.0", dt.date(2023, 9, 30)),
    ("２０２３．９．３０", dt.date(2023, 9, 30)),  # full-width digits and point
    ("１９８５年３月", dt.date(1985, 3, 1)),
    (" 2023 年 9 月 30 日 ", dt.date(2023, 9, 30)),
])
def test_dates_typed_as_text(text, expected):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("2023.13.40", "无法识别的日期“2023.13.40”"),
    ("2023.2.30", "无法识别的日期“2023.2.30”"),
    ("去年", "无法识别的日期“去年”"),
    ("2025.1.1", "日期晚于今天“2025.1.1”"),
    ("1899.12", "日期早于1900年“1899.12”"),
])
def test_bad_dates(text, message):
    with pytest.raises(ValueError) as exc:
        parse_date(text, TODAY)
    assert str(exc.value) == message


@pytest.mark.parametrize(("text", "expected"), [
    ("13800138000", ("13800138000", False)),
    ("138 0013 8000", ("13800138000", False)),
    ("138-0013-8000", ("13800138000", False)),
    ("+86 13800138000", ("13800138000", False)),
    ("１３８００１３８０００", ("13800138000", False)),
    ("010-66668888", ("01066668888", False)),
    ("138****8000", ("138****8000", True)),
    ("", ("", False)),
])
def test_phones(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", ["1234", "138001380001", "电话", "****"])
def test_bad_phones(text):
    with pytest.raises(ValueError, match="无法识别的电话号码"):
        parse_phone(text)


def test_positions():
    assert parse_positions("支部书记、宣传委员") == [("branch", "secretary"), ("branch", "propaganda_member")]
    assert parse_positions("组织委员兼纪检委员") == [("branch", "organization_member"), ("branch", "discipline_member")]
    assert parse_positions("书记") == [("branch", "secretary")]
    assert parse_positions("党小组长") == [("group", "group_leader")]
    assert parse_positions("党委委员，书记") == [("committee", "committee_member"), ("branch", "secretary")]
    assert parse_positions("无") == []
    with pytest.raises(ValueError, match="无法识别的职务“处长”"):
        parse_positions("书记、处长")


def test_status_and_gender():
    assert parse_status("正式党员") == parse_status("正式") == "full"
    assert parse_status("预备党员") == parse_status(" 预备 ") == "probationary"
    with pytest.raises(ValueError, match="无法识别的党员类型“候补”"):
        parse_status("候补")
    with pytest.raises(ValueError, match="不能为空"):
        parse_status("")
    assert parse_gender("男") == "male" and parse_gender("女性") == "female" and parse_gender("") == ""
    with pytest.raises(ValueError, match="无法识别的性别"):
        parse_gender("未知")
