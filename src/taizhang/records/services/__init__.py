"""Every write of the records app: validate, save, audit, signal (DESIGN.md "Writes go
through service functions"). Views, the API, the sample data and tests all call these.

Conventions
- ``actor`` is the user doing the write (``None`` for scripts); it is put on the audit
  entries even outside a request.
- Invalid input raises ``django.core.exceptions.ValidationError`` (field → messages) and
  nothing is written.
- After the transaction commits, :data:`taizhang.core.sources.evidence_changed` is sent so
  that evidence rules can re-evaluate the affected occurrences.

Main entry points
- :func:`create_record` / :func:`update_record` / :func:`save_record` / :func:`delete_record`
  for every record kind;
- :func:`create_meeting` / :func:`update_meeting` (attendance, motions, election results),
  :func:`create_study_session` / :func:`update_study_session`;
- :func:`default_attendees`, :func:`set_attendance` (the one attendance mechanism; bulk
  writes, audited on the record: see the ``attendance`` module);
- :func:`set_sign_in`, :func:`sign_in` (optional QR sign-in);
- :func:`submit_suggestion`, :func:`start_handling`, :func:`answer_suggestion`.
"""

from .attendance import (  # noqa: F401
    ATTENDANCE_CHANGES_LABEL,
    ATTENDANCE_LABEL,
    ELECTIONS_LABEL,
    MOTIONS_LABEL,
    attendance_summary,
    default_attendees,
    set_attendance,
)
from .base import (  # noqa: F401
    COMMITTEE_ROLES,
    ancestor_paths,
    audit_actor,
    create_record,
    delete_record,
    member_belongs,
    save_record,
    update_record,
)
from .meetings import (  # noqa: F401
    ELECTION_FIELDS,
    MOTION_FIELDS,
    create_meeting,
    create_study_session,
    set_election_results,
    set_motions,
    update_meeting,
    update_study_session,
)
from .signin import SignInError, set_sign_in, sign_in  # noqa: F401
from .suggestions import answer_suggestion, start_handling, submit_suggestion  # noqa: F401
