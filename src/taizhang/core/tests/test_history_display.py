"""The history panel shows audited changes as a reader expects (found by a new user:
"其他主讲人：type → operation" for a many-to-many change, "None → 2026年…" for an empty value)."""

from taizhang.core.templatetags.taizhang import audit_change


def test_a_plain_change_shows_its_two_values_and_empty_ones_as_a_dash():
    assert audit_change(["None", "2023-10-09"]) == ("—", "2023-10-09")
    assert audit_change(["张三", ""]) == ("张三", "—")


def test_a_many_to_many_change_names_the_members_added_or_removed():
    assert audit_change({"type": "m2m", "operation": "add", "objects": ["张一", "李二"]}) == ("—", "＋ 张一、李二")
    assert audit_change({"type": "m2m", "operation": "delete", "objects": ["张一"]}) == ("—", "－ 张一")
