"""Scoping-walk cases of the volunteering URLs and API (see taizhang.core.testing): branch
B's posts, activities and registrations must stay hidden from A's secretary."""

from taizhang.core.testing import LISTED, SECRET, Case

from ..testing import sample_community_registration, sample_model_post, sample_volunteer_activity


def cases(world):
    b, person = world.branch_b, world.member_b
    objects = {
        "post": (sample_model_post(b, person, SECRET), "modelpost"),
        "activity": (sample_volunteer_activity(b, person, SECRET), "volunteeractivity"),
        "registration": (sample_community_registration(b, person, SECRET), "communityregistration"),
    }
    result = []
    for slug, (obj, api) in objects.items():
        pk = {"pk": obj.pk}
        result += [
            Case(f"volunteering:{slug}_list", expect=LISTED),
            Case(f"volunteering:{slug}_list", expect=LISTED, query=f"org={b.pk}&q=内部"),
            Case(f"volunteering:{slug}_add", expect=LISTED),
            Case(f"volunteering:{slug}_export", expect=LISTED),
            Case(f"volunteering:{slug}_export", expect=LISTED, query=f"org={b.pk}"),
            Case(f"volunteering:{slug}_detail", pk),
            Case(f"volunteering:{slug}_edit", pk, post=True, data={"org": b.pk, "name": "x", "team": "x"}),
            Case(f"volunteering:{slug}_delete", pk, post=True),
            Case(f"{api}-list", expect=LISTED),
            Case(f"{api}-detail", pk, post=True),
        ]
    result += [
        Case("volunteering:hours", expect=LISTED),
        Case("volunteering:hours", expect=LISTED, query=f"org={b.pk}"),
        Case("volunteering:hours_export", expect=LISTED),
        Case("volunteering:hours_export", expect=LISTED, query=f"org={b.pk}"),
    ]
    return result
