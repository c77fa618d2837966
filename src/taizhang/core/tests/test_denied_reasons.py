"""Issue 15 §2: every page a user cannot use answers 403 with the reason, never a bare
refusal and never an empty form that can only fail ("该字段是必填项")."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant

PACKAGE = Path(__file__).resolve().parents[2]


def test_no_refusal_without_a_reason_in_the_code():
    bare = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"raise PermissionDenied(\(\))?\s*$", line):
                bare.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert bare == []


@pytest.mark.parametrize("url_name, reason", [
    ("plans:import", "只有党委（党总支）的管理人员可以导入任务清单"),
    ("orgs:roster_import", "只有组织的管理人员（党委办公室）可以导入花名册"),
    ("rectification:import", "您的账号没有可导入的组织"),
])
def test_import_pages_refuse_who_may_not_import_with_the_reason(client, db, url_name, reason):
    tree = build_tree(branches=1, groups=0)
    inspector = UserFactory(username="viewer")
    grant(inspector, tree["committee"], "inspector")
    client.force_login(inspector)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert reason in response.content.decode()
