"""The generic add/edit forms (``core.generic.ObjectEditView``) open only for users who could
save them: read-only roles get 403 on GET as on POST, and nothing is written."""

import pytest
from auditlog.models import LogEntry
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taizhang.core.generic import ObjectEditView
from taizhang.core.models import Event
from taizhang.core.testing import build_world
from taizhang.orgs.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def add_form_urls() -> list[str]:
    """The URL names of every generic add form (an ObjectEditView without URL arguments)."""
    names = []

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    walk(p.url_patterns, ":".join(filter(None, [namespace, p.namespace])) or None)
            elif isinstance(p, URLPattern) and p.name:
                view_class = getattr(p.callback, "view_class", None)
                if view_class and issubclass(view_class, ObjectEditView) and not p.pattern.converters:
                    names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns)
    return sorted(names)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_the_walk_finds_the_add_forms():
    names = add_form_urls()
    assert {"records:meeting_add", "records:selfstudy_add", "records:reading_add"} <= set(names)


@pytest.mark.parametrize("role", ["inspector", "member", None])
def test_read_only_users_cannot_open_an_add_form(client, world, role):
    user = UserFactory(username=f"ro_{role}")
    if role:
        grant(user, world.committee, role)
    client.force_login(user)
    failures = []
    writes = (LogEntry.objects.count(), Event.objects.count())
    for name in add_form_urls():
        url = reverse(name)
        if (status := client.get(url).status_code) != 403:
            failures.append(f"GET {url}: {status}")
        if (status := client.post(url, {"org": world.branch_a.pk, "title": "x"}).status_code) != 403:
            failures.append(f"POST {url}: {status}")
    assert not failures, failures
    assert (LogEntry.objects.count(), Event.objects.count()) == writes


def test_users_who_may_change_somewhere_still_open_the_add_forms(client, world):
    client.force_login(world.office)  # committee staff: change and manage
    for name in add_form_urls():
        assert client.get(reverse(name)).status_code == 200, name
    client.force_login(world.secretary_a)
    assert client.get(reverse("records:meeting_add")).status_code == 200


def test_an_inspector_cannot_open_the_edit_form_of_what_they_read(client, world):
    from taizhang.records.services import create_meeting

    meeting = create_meeting(world.branch_a, "theme_party_day", world.branch_a.created_at.date())
    inspector = UserFactory(username="insp")
    grant(inspector, world.committee, "inspector")
    client.force_login(inspector)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    denied = client.get(reverse("records:meeting_edit", args=[meeting.pk]))
    assert denied.status_code == 403
    assert "您无权修改此记录。" in denied.content.decode()  # the reason, in Chinese
    history = client.get(meeting.get_absolute_url()).content.decode()
    assert "<td>新建</td>" in history and "create" not in history.split('id="history"')[1]


def test_anonymous_users_are_sent_to_login():
    from django.test import Client

    for name in add_form_urls():
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/login/" in response.url, name


@pytest.mark.parametrize("next_url, lands_on_next", [
    ("/plans/assignments/1/", True),
    ("https://evil.example/phish", False),
    ("//evil.example/", False),
    ("javascript:alert(1)", False),
])
def test_a_save_returns_to_a_safe_next_page_only(client, world, next_url, lands_on_next):
    """A 登记 link carries ``next`` (the task it came from): the add page keeps it in a hidden
    field and saving returns there; a URL of another site is ignored (the record's page)."""
    from taizhang.records.models import Suggestion

    client.force_login(world.secretary_a)
    url = reverse("records:suggestion_add")
    page = client.get(url, {"org": world.branch_a.pk, "next": next_url})
    html = page.content.decode()
    assert (f'name="next" value="{next_url}"' in html) == lands_on_next
    token = page.context["form_token"]
    response = client.post(url, {"org": world.branch_a.pk, "date": "2023-10-12", "channel": "座谈会",
                                 "content": "增加学习资料", "form_token": token, "next": next_url})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    suggestion = Suggestion.objects.get()
    assert response.url == (next_url if lands_on_next else suggestion.get_absolute_url())
