"""Issue 15 §2: the plan import preview shows each task's text and keeps its controls
compact (the page was a wall of dropdowns with the task text hidden)."""

import re
from html import unescape

from django.urls import reverse

from taizhang.plans.models import PlanImport
from taizhang.plans.forms import flatten

from .test_views import upload


def test_preview_shows_every_tasks_text_and_only_tasks_get_controls(client, office, tree, seed_file):
    client.force_login(office)
    response = upload(client, seed_file, tree["committee"])
    plan_import = PlanImport.objects.get()
    html = unescape(client.get(reverse("plans:import_preview", args=[plan_import.pk])).content.decode())
    nodes = [node for _key, _depth, node in flatten(plan_import.draft["items"])]
    tasks = [n for n in nodes if n["kind"] == "task"]
    assert response.status_code == 302 and tasks
    shown = [n for n in tasks if n.get("text")]
    assert shown
    for node in shown:
        first = node["text"].splitlines()[0][:20]
        assert first in html, node["title"]
    # Sections and notes carry only their title and kind; their other values ride along hidden.
    selects = len(re.findall(r"<select", html))
    assert selects == 4 * len(tasks) + 1 * (len(nodes) - len(tasks))
    assert "form-select form-select-sm" in html and "form-select form-control-sm" not in html
