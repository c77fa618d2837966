"""Content-Security-Policy: the header is sent, and no template or API page needs an inline
script, an inline event handler or a javascript: URL (the policy would block them)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def templates():
    return sorted(p for p in PACKAGE.rglob("templates/**/*.html") if "vendor" not in p.parts)


def test_the_guards_catch_what_the_policy_blocks():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search("<script src=\"{% static 'x.js' %}\"></script>")
    assert INLINE_HANDLER.search('<form id="f" onchange="go()">') and not INLINE_HANDLER.search('<a data-on="x">')
    assert JS_URL.search('<a href="javascript:void(0)">')


def test_no_template_needs_inline_script():
    found = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL):
            found += [f"{path.relative_to(PACKAGE)}: {m.group()}" for m in pattern.finditer(text)]
    assert len(templates()) > 50 and found == []


@pytest.mark.django_db
def test_pages_send_the_policy(client, django_user_model):
    user = django_user_model.objects.create_user("csp", password="x-12345678")
    client.force_login(user)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_api_docs_start_swagger_from_a_file(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("docs", password="x-12345678"))
    html = client.get(reverse("api_docs")).content.decode()
    assert INLINE_SCRIPT.findall(html) == [] and "?script" in html
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    redoc = client.get(reverse("api_redoc")).content.decode()
    assert "<redoc spec-url=" in redoc and "googleapis" not in redoc and "https://" not in redoc
