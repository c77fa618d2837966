"""core.sources.codes_matching / kind_fields: which evidence codes a record concerns, so that
a save re-evaluates only the rules of its kind (issue 14 review)."""

from taizhang.core.sources import Evidence, Source, codes_matching, kind_fields

SOURCE = Source(code="fake", model="fake.Fake", label="假", slug="fake", evidence=(
    Evidence("a", "甲", filters=(("kind", "a"),)),
    Evidence("b", "乙", filters=(("kind", "b"), ("status__in", ("x",)))),
    Evidence("any", "任何"),
))


class Row:
    kind = "b"


def test_equalities_on_own_fields_decide_other_filters_are_assumed():
    assert kind_fields(SOURCE) == ("kind",)
    assert codes_matching({"kind": "a"}, SOURCE) == {"a", "any"}
    assert codes_matching(Row(), SOURCE) == {"b", "any"}  # status__in is not checked: assumed
    assert codes_matching({}, SOURCE) == {"a", "b", "any"}  # kind unknown: every code
    assert codes_matching({"kind": "c"}, SOURCE) == {"any"}
