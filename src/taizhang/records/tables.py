"""django-tables2 tables of the record lists (querysets come annotated/select_related by the
views so every table renders in a constant number of queries)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import Lecture, Meeting, ResearchVisit, SelfStudy, StudySession, Suggestion, Talk

ATTRS = {"class": "table card-table table-vcenter table-sm"}


class MeetingTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("日期"), linkify=True)
    kind = tables.Column(verbose_name=_("会议类型"))
    title = tables.Column(verbose_name=_("会议主题"), linkify=True)
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    host = tables.Column(verbose_name=_("主持人"))
    quorum = tables.Column(empty_values=(), orderable=False, verbose_name=_("实到/应到"))

    class Meta:
        model = Meeting
        fields = ("date", "kind", "title", "org", "host", "quorum")
        attrs = {**ATTRS, "id": "meeting-table"}
        empty_text = _("暂无会议记录")

    def render_quorum(self, record):
        return record.quorum_display


class StudySessionTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("日期"), linkify=True)
    kind = tables.Column(verbose_name=_("学习形式"))
    theme = tables.Column(verbose_name=_("专题"))
    topic = tables.Column(verbose_name=_("学习主题"), linkify=True)
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    leader = tables.Column(verbose_name=_("领学人"))
    hours = tables.Column(verbose_name=_("学时"))
    quorum = tables.Column(empty_values=(), orderable=False, verbose_name=_("实到/应到"))

    class Meta:
        model = StudySession
        fields = ("date", "kind", "theme", "topic", "org", "leader", "hours", "quorum")
        attrs = ATTRS
        empty_text = _("暂无学习记录")

    def render_quorum(self, record):
        return record.quorum_display


class SelfStudyTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("日期"), linkify=True)
    member = tables.Column(verbose_name=_("党员"))
    subject = tables.Column(empty_values=(), orderable=False, verbose_name=_("学习内容"))
    hours = tables.Column(verbose_name=_("学时"))
    org = tables.Column(verbose_name=_("支部"), order_by=("org__path",))

    class Meta:
        model = SelfStudy
        fields = ("date", "member", "subject", "hours", "org")
        attrs = ATTRS
        empty_text = _("暂无自学记录")

    def render_subject(self, record):
        return record.subject


class LectureTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("日期"), linkify=True)
    kind = tables.Column(verbose_name=_("类型"))
    title = tables.Column(verbose_name=_("题目"), linkify=True)
    speaker = tables.Column(verbose_name=_("主讲人"))
    audience = tables.Column(verbose_name=_("听课对象"))

    class Meta:
        model = Lecture
        fields = ("date", "kind", "title", "speaker", "audience")
        attrs = ATTRS
        empty_text = _("暂无党课记录")


class ResearchVisitTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("调研时间"), linkify=True)
    topic = tables.Column(verbose_name=_("调研课题"), linkify=True)
    leader = tables.Column(verbose_name=_("牵头领导"))
    place = tables.Column(verbose_name=_("调研对象/地点"))
    method = tables.Column(verbose_name=_("方式"))
    report_status = tables.Column(verbose_name=_("调研报告"))

    class Meta:
        model = ResearchVisit
        fields = ("date", "topic", "leader", "place", "method", "report_status")
        attrs = ATTRS
        empty_text = _("暂无调研记录")


class TalkTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("谈话时间"), linkify=True)
    party_a = tables.Column(verbose_name=_("谈话人"))
    party_b = tables.Column(verbose_name=_("谈话对象"))
    relation = tables.Column(verbose_name=_("关系类型"))
    purpose = tables.Column(verbose_name=_("谈话目的"))
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))

    class Meta:
        model = Talk
        fields = ("date", "party_a", "party_b", "relation", "purpose", "org")
        attrs = ATTRS
        empty_text = _("暂无谈心谈话记录")


class SuggestionTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("提出日期"), linkify=True)
    content = tables.Column(verbose_name=_("意见建议内容"), linkify=True)
    author = tables.Column(empty_values=(), orderable=False, verbose_name=_("提出人"))
    status = tables.Column(verbose_name=_("办理状态"))
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))

    class Meta:
        model = Suggestion
        fields = ("date", "content", "author", "status", "org")
        attrs = ATTRS
        empty_text = _("暂无意见建议")

    def render_content(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_author(self, record):
        return record.author_display
