"""Bulk writes with their audit trail and domain events (issue 13 §1).

``bulk_create`` and ``bulk_update`` send no ``post_save``, so django-auditlog writes nothing
for them. An import that writes thousands of rows in a few bulk statements (holding SQLite's
write lock for about a second, not half a minute) writes the audit entries itself with
:func:`audit_created` / :func:`audit_updated`: the same entries auditlog's receivers would
write row by row (same ``pre_log`` veto, changes, representation, correlation id, and the
actor and request data of the audit context — auditlog's middleware or
:func:`taizhang.core.audit.audit_actor`), in one bulk INSERT per 1,000 entries.
:func:`bulk_events` does the same for :class:`~taizhang.core.models.Event`, taking each
event's organization id from the object (no organization fetched per row).
"""

from __future__ import annotations

import datetime as dt

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from auditlog.signals import pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.utils import timezone as django_timezone
from django.utils.encoding import smart_str

BATCH_SIZE = 1000


def _creation_fields(model) -> list[tuple[str, str, object]]:
    """How auditlog's ``model_instance_diff(None, obj)`` sees each field of ``model``, as
    (name, kind, field): kind "fk" (the id, always listed), "datetime" (naive UTC, always
    listed), "reverse" (a related manager: its constant text) or "value" (listed unless its
    text is "None"). The fields auditlog tracks: no many-to-many, the registration's
    include/exclude lists."""
    from django.contrib.contenttypes.fields import GenericForeignKey
    from django.db.models import DateTimeField, JSONField

    config = auditlog.get_model_fields(model)
    include, exclude = config["include_fields"], config["exclude_fields"]
    if config["mask_fields"] or settings.AUDITLOG_USE_FK_STRING_REPRESENTATION:
        return []  # not fast-pathed: :func:`_entries` falls back to auditlog's diff
    fields = []
    for field in model._meta.get_fields():
        if field.many_to_many or (include and field.name not in include) or field.name in exclude:
            continue
        if isinstance(field, JSONField):
            return []
        if getattr(field, "remote_field", None) is not None and field.remote_field.model == get_logentry_model():
            continue
        if field.concrete and (field.one_to_one or field.many_to_one):
            fields.append((field.name, "fk", field))
        elif isinstance(field, DateTimeField):
            fields.append((field.name, "datetime", field))
        elif field.auto_created and not field.concrete and field.one_to_many:
            fields.append((field.name, "reverse", f"{field.related_model._meta.label}.None"))
        elif field.concrete or isinstance(field, GenericForeignKey):
            fields.append((field.name, "value", field))
        else:
            return []  # a generic relation or other virtual field: not fast-pathed
    return fields


def _creation_changes(obj, fields) -> dict:
    """auditlog's "create" changes of ``obj`` (as ``model_instance_diff(None, obj)`` gives
    them, ``core.tests.test_bulkwrite`` compares the two), computed without its per-object
    field discovery."""
    changes = {}
    for name, kind, field in fields:
        if kind == "fk":
            value = getattr(obj, field.attname)
            changes[name] = ("None", "None" if value is None else str(value))
        elif kind == "datetime":
            value = getattr(obj, name)
            if value is not None and settings.USE_TZ and not django_timezone.is_naive(value):
                value = django_timezone.make_naive(value, timezone=dt.timezone.utc)
            changes[name] = ("None", smart_str(value))
        elif kind == "reverse":
            changes[name] = ("None", field)
        else:
            value = smart_str(getattr(obj, name))
            if value != "None":
                changes[name] = ("None", value)
    return changes


def _entries(pairs: list[tuple], action: int, fields_to_check=None) -> list:
    """Unsaved LogEntry rows for ``pairs`` of (old or None, new) instances of one model."""
    if not pairs or auditlog_disabled.get():
        return []
    model = type(pairs[0][1])
    if not auditlog.contains(model):
        return []
    log_entry = get_logentry_model()
    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    json_changes = settings.AUDITLOG_STORE_JSON_CHANGES
    fast = (action == log_entry.Action.CREATE and not json_changes and _creation_fields(model)) or None
    serialized = auditlog.get_serialize_options(model)["serialize_data"]
    receivers = pre_log.has_listeners(model)
    template = log_entry(content_type=content_type, action=action, cid=cid)
    # The audit context's receivers (actor, remote address) are pre_save receivers of LogEntry.
    pre_save.send(sender=log_entry, instance=template, raw=False, using="default", update_fields=None)
    base = {f.attname: getattr(template, f.attname) for f in log_entry._meta.concrete_fields
            if not f.primary_key}
    entries = []
    for old, obj in pairs:
        if receivers:
            results = pre_log.send(model, instance=obj, action=action)
            if any(result is False for _, result in results):
                continue
        if fast:
            changes = _creation_changes(obj, fast)
        else:
            changes = model_instance_diff(old, obj, fields_to_check=fields_to_check,
                                          use_json_for_changes=json_changes)
        if not changes:
            continue
        pk = obj.pk
        entry = log_entry(**{**base, "object_pk": str(pk), "object_id": pk if isinstance(pk, int) else None,
                             "object_repr": smart_str(obj), "changes": changes})
        if serialized:
            entry.serialized_data = log_entry.objects._get_serialized_data_or_none(obj)
        entries.append(entry)
    return entries


class PreparedAudit:
    """The "create" audit entries of objects not yet saved, built before the write
    transaction so that the write lock is not held while they are computed
    (:func:`prepare_created`); :meth:`write` fills in what only the insert gives (the ids,
    and the foreign keys of ``refresh`` that point at rows saved in the same transaction)
    and writes them. For a model auditlog's fast path does not cover (masked fields …) the
    entries are computed in :meth:`write`, after the insert, as :func:`audit_created` does."""

    def __init__(self, objs: list, refresh: tuple[str, ...] = ()):
        self.objs, self.refresh = objs, refresh
        self.entries: list[tuple] | None = None
        if not objs or auditlog_disabled.get() or not auditlog.contains(type(objs[0])) \
                or settings.AUDITLOG_STORE_JSON_CHANGES:
            return
        model = type(objs[0])
        self.fields = _creation_fields(model)
        if not self.fields or pre_log.has_listeners(model) or auditlog.get_serialize_options(model)["serialize_data"]:
            return
        log_entry = get_logentry_model()
        template = log_entry(content_type=ContentType.objects.get_for_model(model),
                             action=log_entry.Action.CREATE, cid=get_cid())
        pre_save.send(sender=log_entry, instance=template, raw=False, using="default", update_fields=None)
        base = {f.attname: getattr(template, f.attname) for f in log_entry._meta.concrete_fields
                if not f.primary_key}
        self.entries = [(obj, log_entry(**{**base, "object_repr": smart_str(obj),
                                           "changes": _creation_changes(obj, self.fields)}))
                        for obj in objs]

    def write(self) -> int:
        """Write the entries of the (now saved) objects; returns how many."""
        if self.entries is None:
            return audit_created(self.objs)
        late = [f for f in self.fields if f[0] in ("id", *self.refresh)]
        entries = []
        for obj, entry in self.entries:
            pk = obj.pk
            entry.object_pk, entry.object_id = str(pk), pk if isinstance(pk, int) else None
            entry.changes.update(_creation_changes(obj, late))
            entries.append(entry)
        insert_rows(get_logentry_model(), entries)
        return len(entries)


def prepare_created(objs: list, refresh: tuple[str, ...] = ()) -> PreparedAudit:
    """The audit entries of unsaved ``objs`` (one model), built now, written by
    ``.write()`` after they are inserted; ``refresh``: foreign keys set only at the insert."""
    return PreparedAudit(objs, refresh)


def audit_created(objs: list) -> int:
    """Write the "create" audit entries of ``objs`` (saved instances of one registered model,
    e.g. just bulk-created). Returns the number of entries written (0 for an unregistered
    model or while auditlog is disabled)."""
    entries = _entries([(None, obj) for obj in objs], get_logentry_model().Action.CREATE)
    insert_rows(get_logentry_model(), entries)
    return len(entries)


def audit_updated(pairs: list[tuple], fields: list[str] | None = None) -> int:
    """Write the "update" audit entries of ``pairs`` of (a copy of the instance as stored
    before, the instance as saved now) of one registered model; ``fields``: the fields
    compared (None: all). Rows without a change get no entry. Returns the number written."""
    entries = _entries(list(pairs), get_logentry_model().Action.UPDATE, fields_to_check=fields)
    insert_rows(get_logentry_model(), entries)
    return len(entries)


def bulk_events(rows: list[tuple], actor=None):
    """Write domain events in bulk: ``rows`` of (obj, verb, comment, from_state, to_state),
    the objects of one scoped model with ``org_id`` set. ``actor``: the user (an anonymous
    or None actor is recorded as the system). Returns the created events."""
    from .models import Event

    if not rows:
        return []
    content_type = ContentType.objects.get_for_model(type(rows[0][0]))
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    return insert_rows(Event, [
        Event(org_id=obj.org_id, content_type_id=content_type.pk, object_id=obj.pk, verb=verb,
              comment=comment, from_state=from_state, to_state=to_state, actor_id=actor_id)
        for obj, verb, comment, from_state, to_state in rows
    ])


def insert_rows(model, objs: list, batch_size: int = 500) -> list:
    """Insert unsaved ``objs`` of ``model`` and give them their primary keys, like
    ``bulk_create`` (no signals, ``auto_now``/``auto_now_add`` filled, related objects saved
    before are linked by their ids).

    The rows of one call share one ``auto_now``/``auto_now_add`` time. On SQLite,
    ``bulk_create`` is held to 999 parameters a statement (30 rows of a wide
    model: hundreds of statements for 10,000 rows, most of the time spent compiling them);
    here the rows are written with one prepared statement (``executemany``) and ids given
    in order after the table's highest, which inside the caller's transaction (SQLite's
    write lock) no one else can take; outside a transaction it falls back to ``bulk_create``. About 3× faster,
    so a large import holds the lock for less time. Other databases use ``bulk_create``.
    """
    from django.db import connection, connections, transaction
    from django.utils import timezone

    if not objs:
        return objs
    if connection.vendor != "sqlite" or model._meta.pk.attname != "id" \
            or not model._meta.pk.get_internal_type().endswith("AutoField") \
            or not transaction.get_connection().in_atomic_block:
        return model.objects.bulk_create(objs, batch_size=batch_size)
    conn = connections[connection.alias]  # the wrapper itself, not the thread-local proxy
    fields = model._meta.concrete_fields
    getters = [_value_getter(f, conn, timezone.now()) for f in fields]
    table = conn.ops.quote_name(model._meta.db_table)
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
        row = cursor.fetchone()
        highest = max(highest, row[0] if row else 0)
        rows = []
        for number, obj in enumerate(objs, start=highest + 1):
            obj._prepare_related_fields_for_save(operation_name="insert_rows")
            obj.id = number
            rows.append(tuple(get(obj) for get in getters))
        for start in range(0, len(rows), 10 * batch_size):
            cursor.executemany(sql, rows[start:start + 10 * batch_size])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


# Field types whose database value is the Python value itself when it has this type (or is
# None): :func:`insert_rows` skips ``get_db_prep_save`` for them.
_PLAIN = {"CharField": str, "TextField": str, "SlugField": str, "EmailField": str, "URLField": str,
          "IntegerField": int, "SmallIntegerField": int, "BigIntegerField": int,
          "PositiveIntegerField": int, "PositiveSmallIntegerField": int,
          "PositiveBigIntegerField": int, "AutoField": int, "BigAutoField": int,
          "BooleanField": bool, "ForeignKey": int}


def _value_getter(field, conn, now):
    """A function giving the database value of ``field`` of an instance being inserted.
    ``auto_now``/``auto_now_add`` fields get ``now`` (one instant for the whole insert);
    values of other types are converted once per distinct value (dates, times repeat)."""
    attname = field.attname
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    plain = _PLAIN.get(field.get_internal_type())
    if field.get_internal_type() == "ForeignKey" and field.target_field.get_internal_type() not in _PLAIN:
        plain = None
    prep = field.get_db_prep_save
    converted: dict = {}

    def get(obj):
        if auto:
            setattr(obj, attname, now)
            value = now
        else:
            value = getattr(obj, attname)
        if value is None or (plain is not None and type(value) is plain):
            return value
        try:
            return converted[value]
        except KeyError:
            converted[value] = result = prep(value, connection=conn)
            return result
        except TypeError:  # unhashable (a dict for a JSON field)
            return prep(value, connection=conn)
    return get
