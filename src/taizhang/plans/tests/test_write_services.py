"""Every plans write goes through a service ``(target_or_data, *, actor)``, audited (issue 9
§1): upload held and cancelled, campaign edited, evidence rules edited (statuses moved by the
edit name their author), and the generic delete view calls its app's delete service."""

import datetime as dt

import pytest

from taizhang.core.generic import loaded_version
from auditlog.models import LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taizhang.core.generic import ObjectDeleteView
from taizhang.core.models import Event
from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import (
    AssignmentStatus,
    Campaign,
    EvidenceRule,
    Occurrence,
    PlanImport,
    PlanImportStatus,
    PlanItem,
)
from taizhang.records import services as records
from taizhang.records.models import Meeting

D = dt.date


@pytest.fixture
def draft(seed_file):
    return services.draft_to_dict(parse_file(seed_file))


@pytest.fixture
def campaign(tree, draft):
    campaign = services.save_draft(draft, tree["committee"])
    services.publish_plan(campaign)
    return campaign


def _entries(obj, action):
    """The audit entries of ``obj`` of ``action``, newest first."""
    return list(LogEntry.objects.get_for_object(obj).filter(action=action).order_by("-timestamp", "-pk"))


def test_an_upload_is_held_and_cancelled_with_its_author(tree, office, draft):
    held = services.create_import({"org": tree["committee"], "source_name": "清单.txt",
                                   "draft": draft}, actor=office)
    assert (held.status, held.created_by, held.source_name) == (PlanImportStatus.PENDING, office, "清单.txt")
    assert [e.actor for e in _entries(held, LogEntry.Action.CREATE)] == [office]
    cancelled = services.cancel_import(held, actor=office)
    assert cancelled.status == PlanImportStatus.CANCELLED
    assert [e.actor for e in _entries(held, LogEntry.Action.UPDATE)] == [office]
    event = Event.objects.get(object_id=held.pk, verb="cancel")
    assert (event.actor, event.from_state, event.to_state) == (office, "pending", "cancelled")
    with pytest.raises(ValueError):
        services.cancel_import(held, actor=office)  # a second tab cannot cancel it twice
    assert Campaign.objects.count() == 0


def test_cancel_from_the_preview_page_goes_through_the_service(client, tree, office, draft):
    held = services.create_import({"org": tree["committee"], "source_name": "a.txt", "draft": draft},
                                  actor=office)
    client.force_login(office)
    response = client.post(reverse("plans:import_preview", args=[held.pk]), {"cancel": "1"})
    assert response.status_code == 302
    assert PlanImport.objects.get().status == PlanImportStatus.CANCELLED
    assert Event.objects.get(verb="cancel").actor == office


def test_campaign_edit_is_audited_with_its_author(client, campaign, office):
    client.force_login(office)
    response = client.post(reverse("plans:campaign_edit", args=[campaign.pk]),
                           {"title": "新名称", "start": "2023-09-01", "end": "2024-02-29",
                            "_loaded_at": loaded_version(campaign)})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.end) == ("新名称", D(2024, 2, 29))
    entry = _entries(campaign, LogEntry.Action.UPDATE)[0]  # the newest
    assert entry.actor == office and entry.changes_dict["title"][1] == "新名称"
    with pytest.raises(ValueError):
        services.update_campaign(campaign, actor=office, org=None)


def test_a_rule_edit_that_moves_statuses_names_its_author(campaign, office, tree,
                                                          django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    with django_capture_on_commit_callbacks(execute=True):
        records.create_meeting(branch, "theme_party_day", D(2023, 10, 18), title="主题党日")
    # Only the 主题党日 rule left: the branch's task is completed by the edit itself.
    outcome = services.set_rules(item, [{"record_kind": "theme_party_day"}], actor=office)
    assert outcome.completed == 1
    event = Event.objects.get(object_id=item.pk, verb="edit_rules")
    assert event.actor == office
    assert "theme_party_day≥1(record/period)；lecture≥1(secretary/period)" in event.comment
    assert "→ theme_party_day≥1(record/period)；" in event.comment and "完成 1 项" in event.comment
    rule = EvidenceRule.objects.get(item=item)
    assert [e.actor for e in _entries(rule, LogEntry.Action.CREATE)] == [office]
    assert Meeting.objects.count() == 1


def test_the_item_edit_page_audits_rules_and_statuses(client, campaign, office, tree,
                                                      django_capture_on_commit_callbacks):
    from .test_confirm_and_item_edit import page_data

    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（3）")  # monthly study
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(tree["branches"][0], D(2023, 9, 20), "集中学习")
    client.force_login(office)
    url = reverse("plans:item_edit", args=[item.pk])
    page = client.get(url)
    data = page_data(page)
    data["rules-0-min_count"] = "1"
    data["rules-0-window"] = "campaign"  # one session in the whole campaign is enough
    assert client.post(url, data).status_code == 302
    event = Event.objects.get(object_id=item.pk, verb="edit_rules")
    assert event.actor == office and "study_session≥1(record/campaign)" in event.comment
    done = Occurrence.objects.filter(assignment__item=item, assignment__org=tree["branches"][0],
                                     status=AssignmentStatus.DONE).count()
    assert done == 5 and "完成 4 项" in event.comment  # September was done by the session itself
    rule = EvidenceRule.objects.get(item=item)
    assert [e.actor for e in _entries(rule, LogEntry.Action.UPDATE)] == [office]


def _views(resolver=None):
    """Every view class behind a URL of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class"):
            yield pattern.callback.view_class


def test_every_delete_page_names_its_delete_service(db):
    deletes = [view for view in _views() if issubclass(view, ObjectDeleteView)]
    assert len(deletes) >= 2  # records' kinds and the webhooks at least
    assert [v.__name__ for v in deletes if v.delete_service is None] == []


def test_a_delete_view_without_a_service_is_refused(rf: RequestFactory, office):
    class Bare(ObjectDeleteView):
        model = Meeting

    request = rf.post("/")
    request.user = office
    with pytest.raises(ImproperlyConfigured, match="Bare names no delete_service"):
        Bare.as_view()(request, pk=1)


def test_generic_delete_goes_through_the_service_with_its_author(client, tree, secretary_a):
    meeting = records.create_meeting(tree["branches"][0], "theme_party_day", D(2023, 10, 18),
                                     title="主题党日")
    client.force_login(secretary_a)
    response = client.post(reverse("records:meeting_delete", args=[meeting.pk]))
    assert response.status_code == 302 and not Meeting.objects.exists()
    entry = LogEntry.objects.get(content_type__model="meeting", object_id=meeting.pk,
                                 action=LogEntry.Action.DELETE)
    assert entry.actor == secretary_a


def test_two_tabs_editing_a_task_or_the_campaign_never_overwrite_silently(client, campaign, office):
    """Issue 13 §4 for the plan's own edit pages: the second of two saves from pages loaded at
    the same version is refused naming the change, and a POST without the version too."""
    from .test_confirm_and_item_edit import page_data

    item = PlanItem.objects.get(plan=campaign.plan, ref="三.4")
    client.force_login(office)
    url = reverse("plans:item_edit", args=[item.pk])
    tab_a, tab_b = page_data(client.get(url)), page_data(client.get(url))
    assert client.post(url, {**tab_a, "title": "召开党委会A"}).status_code == 302
    refused = client.post(url, {**tab_b, "title": "召开党委会B"})
    assert refused.status_code == 200 and "该记录已被他人修改" in refused.content.decode()
    no_version = {k: v for k, v in tab_b.items() if k != "_loaded_at"}
    assert "缺少读取时的版本" in client.post(url, {**no_version, "title": "B"}).content.decode()
    item.refresh_from_db()
    assert item.title == "召开党委会A"

    edit = reverse("plans:campaign_edit", args=[campaign.pk])
    version = loaded_version(campaign)
    first = {"title": "甲", "start": "2023-09-01", "end": "2024-01-31", "_loaded_at": version}
    assert client.post(edit, first).status_code == 302
    second = client.post(edit, {**first, "title": "乙"})
    assert "该记录已被他人修改" in second.content.decode()
    campaign.refresh_from_db()
    assert campaign.title == "甲"
