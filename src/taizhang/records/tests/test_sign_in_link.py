"""The QR sign-in card shows the sign-in address as text with a copy button (for members who
cannot scan), handled by the local app.js: no remote script, no inline handler."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, grant

from ..models import MeetingKind
from .factories import meeting

pytestmark = pytest.mark.django_db


def test_the_sign_in_link_is_shown_as_text_with_a_copy_button(client, rworld):
    branch = rworld["branches"][0]
    user = UserFactory(username="sec1")
    grant(user, branch, "branch_secretary")
    client.force_login(user)
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date.today())
    assert 'id="sign-in-url"' not in client.get(m.get_absolute_url()).content.decode()  # off
    client.post(reverse("records:meeting_sign_in_toggle", args=[m.pk]), {"enabled": "1"})
    m.refresh_from_db()
    html = client.get(m.get_absolute_url()).content.decode()
    url = "http://testserver" + reverse("records:sign_in", args=[m.sign_in_token])
    assert re.search(r'<input[^>]*id="sign-in-url"[^>]*value="' + re.escape(url) + '"', html)
    assert 'data-copy="#sign-in-url"' in html and "复制链接" in html
    assert not re.search(r'<script[^>]+src="(https?:)?//', html) and "onclick" not in html
    reader = UserFactory(username="insp")
    grant(reader, branch, "inspector")
    client.force_login(reader)
    assert m.sign_in_token not in client.get(m.get_absolute_url()).content.decode()
