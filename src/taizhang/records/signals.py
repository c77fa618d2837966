"""Signals of the records app.

``record_changed`` is sent after the transaction that created, updated or deleted a record
commits (never for a rolled-back write). Evidence rules re-evaluate occurrences from it
(issue 3 §2); receivers get::

    sender   the model class (Meeting, StudySession, Lecture, ...)
    instance the record (after a delete: the unsaved copy, ``pk`` kept in ``record_id``)
    record_id the primary key
    action   "create" | "update" | "delete"
    org_ids  ids of the organizations concerned (old and new org of an update)
    dates    the record dates concerned (old and new date of an update)
"""

from django.dispatch import Signal

record_changed = Signal()
