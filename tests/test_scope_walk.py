"""Every URL and API endpoint, opened as the secretary of branch A: nothing of branch B.

Each app lists its URLs in ``taizhang/<app>/tests/scope_cases.py`` (see
:mod:`taizhang.core.testing`). A URL of the project without a case fails
:func:`test_every_url_has_a_case`, so new pages are walked too.
"""

import importlib
from importlib.util import find_spec

import pytest
from auditlog.models import LogEntry
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taizhang.core.models import Event
from taizhang.core.testing import HIDDEN, LISTED, PUBLIC, SECRET, body_text, build_world

APPS = ["core", "orgs", "plans", "records", "rectification", "notify", "compliance", "evaluation", "rolemodels", "institutions",
        "volunteering", "surveys", "democratic", "reports"]
SKIP_NAMESPACES = {"admin"}  # Django admin: superusers only (tested in core)


def url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                full = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                if ns not in SKIP_NAMESPACES:
                    walk(p.url_patterns, full)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns)
    return names


def collect_cases(world):
    cases = []
    for app in APPS:
        module_name = f"taizhang.{app}.tests.scope_cases"
        if find_spec(module_name) is not None:
            cases.extend(importlib.import_module(module_name).cases(world))
    return cases


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_every_url_has_a_case(world):
    covered = {case.url_name for case in collect_cases(world)}
    missing = sorted(url_names() - covered)
    assert not missing, f"URLs without a scoping case (add them to <app>/tests/scope_cases.py): {missing}"


def test_secretary_of_a_sees_nothing_of_b(client, world):
    client.force_login(world.secretary_a)
    failures = []
    for case in collect_cases(world):
        url = reverse(case.url_name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
        writes_before = (LogEntry.objects.count(), Event.objects.count())
        response = client.get(url)
        if case.expect == HIDDEN:
            if response.status_code not in (403, 404, 405):
                failures.append(f"GET {url}: {response.status_code}, expected 403/404")
        elif case.expect == LISTED:
            if response.status_code not in (200, 302):
                failures.append(f"GET {url}: {response.status_code}, expected 200")
            elif response.status_code == 200 and SECRET in body_text(response):
                failures.append(f"GET {url}: shows branch B's data")
        elif response.status_code >= 500:
            failures.append(f"GET {url}: {response.status_code}")
        if case.post:
            response = client.post(url, case.data)
            if response.status_code not in (400, 403, 404, 405):
                failures.append(f"POST {url}: {response.status_code}, expected 403/404")
        if (LogEntry.objects.count(), Event.objects.count()) != writes_before:
            failures.append(f"{url}: something was written")
    assert not failures, "\n".join(failures)


def test_anonymous_users_are_sent_to_login(client, world):
    failures = []
    for case in collect_cases(world):
        if case.expect == PUBLIC:
            continue
        url = reverse(case.url_name, kwargs=case.kwargs)
        response = client.get(url)
        if response.status_code not in (302, 401, 403, 404, 405):
            failures.append(f"GET {url}: {response.status_code}")
        elif response.status_code == 302 and "/login/" not in response.url:
            failures.append(f"GET {url}: redirects to {response.url}")
    assert not failures, "\n".join(failures)
