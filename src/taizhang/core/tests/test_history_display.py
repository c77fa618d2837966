"""The history panel shows audited changes as a reader expects (found by a new user:
"其他主讲人：type → operation" for a many-to-many change, "None → 2026年…" for an empty value)."""

from taizhang.core.templatetags.taizhang import audit_change


def test_a_plain_change_shows_its_two_values_and_empty_ones_as_a_dash():
    assert audit_change(["None", "2023-10-09"]) == ("—", "2023-10-09")
    assert audit_change(["张三", ""]) == ("张三", "—")


def test_a_many_to_many_change_names_the_members_added_or_removed():
    assert audit_change({"type": "m2m", "operation": "add", "objects": ["张一", "李二"]}) == ("—", "＋ 张一、李二")
    assert audit_change({"type": "m2m", "operation": "delete", "objects": ["张一"]}) == ("—", "－ 张一")


def test_every_value_of_a_real_change_is_shown_as_a_user_writes_it(db):
    """A meeting changed in every kind of field: no None, True, raw ids or English."""
    import datetime as dt

    from auditlog.models import LogEntry

    from taizhang.core.history import changes_of
    from taizhang.records import services
    from taizhang.records.tests.factories import world

    w = world(branches=1, members=3)
    branch = w["branches"][0]
    people = w["members"][branch.code]
    meeting = services.create_meeting(branch, "branch_committee_meeting", dt.date(2023, 10, 9), attendance=[])
    meeting.host = people[0]
    meeting.start_time = dt.time(14, 30)
    meeting.sign_in_enabled = True
    meeting.kind = "branch_general_meeting"
    meeting.date = dt.date(2023, 10, 12)
    meeting.save()
    entry = LogEntry.objects.get_for_object(meeting).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    rows = {label: (before, after) for label, before, after in changes_of(entry)}
    assert rows["主持人"] == ("—", people[0].name)
    assert rows["开始时间"] == ("—", "14:30")
    assert rows["启用扫码签到"] == ("否", "是")
    assert rows["会议类型"] == ("支委会", "支部党员大会")
    assert rows["日期"] == ("2023-10-09", "2023-10-12")
    text = repr(rows)
    for raw in ("None", "True", "False", "Deleted"):
        assert raw not in text


def test_every_event_verb_written_in_the_code_has_a_label():
    """A history never shows a raw verb ("publish"): every verb an app writes with
    ``record_event`` or ``bulk_events``/``Event(verb=…)`` is in ``core.status.VERB_LABELS``."""
    import re
    from pathlib import Path

    from taizhang.core.status import VERB_LABELS

    package = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"record_event\([^,()]+(?:\([^()]*\))?,\s*\"([a-z_]+)\"|\bverb=\"([a-z_]+)\"")
    verbs = {}
    for path in package.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            verbs.setdefault(match.group(1) or match.group(2), path.name)
    assert len(verbs) > 20
    assert {verb: where for verb, where in verbs.items() if verb not in VERB_LABELS} == {}


def test_every_status_transition_has_a_history_label():
    """The transitions of every status machine are history verbs too (``apply_transition``)."""
    from django.apps import apps

    from taizhang.core.status import VERB_LABELS

    names = {name for model in apps.get_models() for name in dir(model)
             if hasattr(getattr(model, name, None), "_django_fsm")}
    assert {"select", "publicise", "announce", "verify", "close"} <= names
    assert sorted(names - set(VERB_LABELS)) == []
