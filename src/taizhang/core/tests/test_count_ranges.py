"""Every count a user types on a record kind (观看人数, 听课人数, 学时, votes …) has a sane
range at model level: at least 0 and at most a declared maximum (``core.limits``), so a form,
the API and an import all refuse -5 or 10**9 people alike. The fields are found from the
record kind declarations (``core.sources``): each kind's model and the models entered inline
with it (motions, election results)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from taizhang.core import limits, sources

NOT_COUNTS = {"year", "order", "position", "number", "version", "round"}


def count_fields():
    """(model, field) of every user-editable whole or decimal number of a record kind."""
    found, seen = [], set()
    for source in sources.sources():
        model = source.model_class
        inline = [rel.related_model for rel in model._meta.related_objects
                  if rel.one_to_many and rel.related_model._meta.app_label == model._meta.app_label]
        for m in [model, *inline]:
            if m in seen:
                continue
            seen.add(m)
            for f in m._meta.concrete_fields:
                if (isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField))
                        and f.editable and not f.primary_key and not f.is_relation
                        and f.name not in NOT_COUNTS and not f.name.endswith("_id")
                        and f.name not in ("extension_count",)):
                    found.append((m, f))
    return found


def test_the_walk_finds_the_counts():
    names = {f"{m.__name__}.{f.name}" for m, f in count_fields()}
    assert {"FilmViewing.viewers", "Lecture.audience_count", "StudySession.hours",
            "Motion.yes", "VolunteerActivity.hours"} <= names


@pytest.mark.parametrize("model, field", count_fields(), ids=lambda x: getattr(x, "name", getattr(x, "__name__", "")))
def test_every_count_has_a_min_of_zero_and_a_sane_max(model, field):
    mins = [v.limit_value for v in field._validators if isinstance(v, MinValueValidator)]
    maxes = [v.limit_value for v in field._validators if isinstance(v, MaxValueValidator)]
    low = mins[0] if mins else (0 if isinstance(field, models.PositiveIntegerRelDbTypeMixin) else None)
    assert low is not None and low >= 0, f"{model.__name__}.{field.name}: no minimum"
    assert maxes and maxes[0] <= limits.MAX_PEOPLE, f"{model.__name__}.{field.name}: no sane maximum"
    for bad in (-1, maxes[0] + 1):
        with pytest.raises(ValidationError):
            field.clean(Decimal(bad) if isinstance(field, models.DecimalField) else bad, None)
