"""Signals of the plans app, for the apps above it (plans imports none of them).

``plan_published``: sent by ``services.publish_plan`` after a publish committed, with
``campaign``, ``changes`` (the ``publishing.OrgChange`` rows of the organizations whose
tasks changed: new, moved or withdrawn) and ``user`` (the publisher, or None). The notify app
tells each of those organizations (issue 12 §3).
"""

from django.dispatch import Signal

plan_published = Signal()
