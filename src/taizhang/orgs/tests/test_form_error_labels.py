"""Form errors name the field by its label, never by its code name (new-user pass, issue 12:
the accounts page showed "members")."""

import re
from pathlib import Path

from django.urls import reverse

from .factories import MemberFactory

SRC = Path(__file__).resolve().parents[2]


def test_accounts_page_names_the_field_by_its_label(client, tree, staff):
    a, b = tree["branches"]
    other = MemberFactory(org=b, name="外支部")
    client.force_login(staff)
    response = client.post(reverse("orgs:accounts_create"), {"org": a.pk, "rule": "phone", "members": [other.pk]})
    html = response.content.decode()
    errors = re.search(r'id="accounts-errors">(.*?)</div>', html, re.S).group(1)
    assert "党员（不选则为该支部全部尚无账号的在册党员）：" in errors and "members" not in errors


def test_no_template_prints_a_forms_raw_error_dict():
    """``{{ form.errors }}`` prints the fields' code names; templates use
    ``core/includes/form_errors.html`` (labels) or each field's own errors."""
    raw = re.compile(r"\{\{\s*(?:form|f|\w+_form)\.errors\s*\}\}")
    offenders = [str(path.relative_to(SRC)) for path in SRC.rglob("templates/**/*.html")
                 if raw.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
