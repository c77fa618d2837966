"""Scoping-walk cases of the evaluation URLs (see taizhang.core.testing): the appraisal's
list, add, detail, edit, export and API routes are a registered kind's and come from
``core.testing.source_cases``; the app has no other URL."""


def cases(world):
    return []
