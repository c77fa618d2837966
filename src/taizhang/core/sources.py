"""The registry of evidence sources (DESIGN.md "Evidence sources"; issue 9 §1).

Every kind of record that can prove work (a meeting, a study session, a lecture, a problem,
a rectification measure, an appraisal, …) is declared **once**, in its owning app's
``sources.py``, as a :class:`Source` passed to :func:`register` from that app's
``AppConfig.ready``. Pages, API routes, ledger exports, the evidence-rule choices and their
labels, the importer's codes, compliance labels, the navigation and the generated view tests
read this registry; nothing else lists kinds.

A source names the evidence codes it can satisfy (:class:`Evidence`): a Meeting satisfies
``committee_meeting`` … ``organizational_life_meeting`` (one code per meeting kind), a
Lecture ``lecture`` and ``micro_lecture``, and so on. ``plans`` counts records per code; a
code whose definition is not "count the records in the window" (the problem list's 二.8 and
二.10) names a ``counter`` function of its owning app instead.

When a record of a registered kind is written, its app's service calls :func:`announce`
(in the same transaction); the :data:`evidence_changed` signal is sent after the commit, so
``plans`` re-evaluates what the change touches without importing any app above it.

Core imports no app above it: sources hold dotted paths or classes given by their owners.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import transaction
from django.dispatch import Signal
from django.utils.module_loading import import_string

evidence_changed = Signal()
"""Sent after the transaction that created, updated or deleted a registered record commits
(never for a rolled-back write). Receivers get::

    sender    the model class (Meeting, Lecture, Problem, Rectification, …)
    instance  the record (after a delete: the unsaved copy, ``pk`` kept in ``record_id``)
    record_id the primary key
    action    "create" | "update" | "delete"
    org_ids   ids of the organizations concerned (old and new org of an update)
    dates     the record dates concerned (old and new date of an update)
    codes     the evidence codes the record satisfied before or after the change (a
              主题党日's "theme_party_day"; old and new kind of an update), or None when
              not known: every code of the sender may be concerned
"""

ACTIONS = ("list", "detail", "add", "edit", "delete", "export")


@dataclass(frozen=True)
class Evidence:
    """One evidence code a source satisfies (what an ``EvidenceRule.record_kind`` names).

    - ``code``: stable identifier stored in rules ("study_session", "micro_lecture").
    - ``label``: Chinese label (lazy translation).
    - ``filters``: ORM lookups selecting the source's records of this code, as pairs.
    - ``person``: field of the member who did it (per-person rules: 书记本人, 每名党员).
    - ``people``: a many-to-many field of further members who did it (several speakers of
      one micro-lecture session); counted like ``person``.
    - ``add_query``: query string of the add page that presets this code (``?kind=…``).
    - ``aliases``: other codes meaning this one (the importer's codes, older names).
    - ``also``: further codes whose records count for a rule of this code (二.3's 集中学习
      also counts 理论学习中心组学习).
    - ``keywords``: task wording that adds a rule of this code when the importer did not
      suggest it (``plans.evidence.suggest_rules``).
    - ``counter``: dotted path of ``fn(pairs) -> list[(count, needed)]`` for a code that is
      not "count the records in the window": ``pairs`` is a list of (target, rule) from
      ``plans.evidence``; it returns one result per pair.
    - ``reads``: codes of other sources whose changes affect this code's counter (二.10's
      progress updates for the measures' code).
    - ``in_words``: how the rule is met, in words, for the plan's coverage list (Chinese).
    - ``replaces``: importer codes this code stands in for. With ``replaces`` set, a keyword
      of ``keywords`` found in a task's wording adds a rule of this code only when the
      importer suggested one of these codes, and the importer's code is then replaced by the
      parts the wording names (seed 二.10 跟踪反馈 → the tracking code instead of
      ``rectification``; 三.6 组织生活会/民主评议 → those parts). Empty: a keyword adds a rule
      whatever the importer suggested.
    - ``suggest_per``: what a rule of this code suggested from the wording counts: "record"
      (records of the organization) or "each_member" (one by every member: 民主评议党员).
    - ``rolls_up``: a committee's rule of this code is met by the records of the
      organizations below it (its counter says how), so a change of such a record also
      re-evaluates the committees above it (seed 二.13: the branches' 专题组织生活会).
    """

    code: str
    label: object
    filters: tuple[tuple[str, object], ...] = ()
    person: str | None = None
    people: str | None = None
    add_query: str = ""
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    counter: str | None = None
    reads: tuple[str, ...] = ()
    in_words: object = ""
    replaces: tuple[str, ...] = ()
    suggest_per: str = "record"
    rolls_up: bool = False


@dataclass(frozen=True)
class Source:
    """One kind of record that can prove work, declared once by its owning app.

    - ``code``: the kind ("meeting", "lecture", "problem"); ``model``: "app_label.Model".
    - ``label``: Chinese name of the kind (lazy); ``menu``: its navigation label, or None.
    - ``slug``: URL slug; the app's URL names are ``<namespace>:<slug>_<action>`` for each
      of :data:`ACTIONS` unless ``urls`` names others (or None for an action it lacks).
    - ``date_field``, ``org_field``: when and for which organization it happened.
    - ``person_fields``: the members who "did" it (speaker, member, leader, each party).
    - ``form``, ``table``, ``filterset``, ``serializer``, ``viewset``: classes or dotted
      paths (the owner's); ``ledger``: a ``core.excel.Ledger`` (or dotted path).
    - ``related``: select_related paths of its list and detail pages.
    - ``api_prefix``: the API route (``/api/<prefix>/``); ``api_basename``: its URL names'
      prefix (model name in lower case by default).
    - ``evidence``: the codes it satisfies.
    - ``pages``: "generic" when the owner serves the six generic record pages from this
      declaration; "own" when the app has pages of its own (named in ``urls``).
    - ``options``: owner-specific settings (templates, counts, …), read only by the owner.
    - ``sample``: dotted path of ``fn(org, member, text) -> instance`` creating one record
      through the owner's service (the generated tests' fixture); None when the generic
      builder (``core.testing``) can fill the model's required fields itself.
    """

    code: str
    model: str
    label: object
    slug: str
    menu: object | None = None
    date_field: str = "date"
    org_field: str = "org"
    person_fields: tuple[str, ...] = ()
    form: object = None
    table: object = None
    filterset: object = None
    serializer: object = None
    viewset: object = None
    ledger: object = None
    related: tuple[str, ...] = ("org",)
    api_prefix: str = ""
    api_basename: str = ""
    evidence: tuple[Evidence, ...] = ()
    pages: str = "generic"
    urls: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    sample: str | None = None

    # -- resolved parts ------------------------------------------------------------------
    @property
    def model_class(self):
        """The model class (raises LookupError when its app is not installed)."""
        return apps.get_model(self.model)

    @property
    def app_label(self) -> str:
        return self.model.split(".", 1)[0]

    def part(self, name: str):
        """The class (or object) ``name`` of this source, importing a dotted path."""
        value = getattr(self, name)
        return import_string(value) if isinstance(value, str) else value

    def url_name(self, action: str) -> str | None:
        """The URL name of ``action`` (one of :data:`ACTIONS`), or None when the kind has no
        such page."""
        if action in self.urls:
            return self.urls[action]
        if self.pages != "generic":
            return None
        return f"{self.app_label}:{self.slug}_{action}"

    @cached_property
    def basename(self) -> str:
        return self.api_basename or self.model.split(".", 1)[1].lower()


_SOURCES: dict[str, Source] = {}


def register(*sources: Source) -> None:
    """Add ``sources`` to the registry (called from the owning app's ``ready``).

    Raises ValueError when a kind code, an evidence code or an alias is declared twice
    (one declaration per concept)."""
    for source in sources:
        if source.code in _SOURCES and _SOURCES[source.code] != source:
            raise ValueError(f"evidence source {source.code!r} is declared twice")
        _SOURCES[source.code] = source
        _audit(source)
    seen: dict[str, str] = {}
    for source in _SOURCES.values():
        for ev in source.evidence:
            for code in (ev.code, *ev.aliases):
                if code in seen and seen[code] != source.code:
                    raise ValueError(f"evidence code {code!r} is declared by {seen[code]} and {source.code}")
                seen[code] = source.code
    global _CODE_CACHE
    _CODE_CACHE = None


def _audit(source: Source) -> None:
    """Every registered kind is audited (DESIGN.md "Audit"): register its model with
    django-auditlog unless its app did already (with its own field options)."""
    from auditlog.registry import auditlog

    model = apps.get_model(source.model)
    if not auditlog.contains(model):
        auditlog.register(model)


def sources(app: str | None = None) -> list[Source]:
    """The registered sources, in registration order (optionally of one app label)."""
    return [s for s in _SOURCES.values() if app is None or s.app_label == app]


def get_source(code: str) -> Source:
    """The source of kind ``code``; KeyError when none is registered."""
    return _SOURCES[code]


def source_for_model(model) -> Source | None:
    """The source whose model is ``model`` (a class or instance), or None."""
    label = model._meta.label
    return next((s for s in _SOURCES.values() if s.model == label), None)


_CODE_CACHE: dict[str, tuple[Source, Evidence]] | None = None


def _codes() -> dict[str, tuple[Source, Evidence]]:
    global _CODE_CACHE
    if _CODE_CACHE is None:
        table: dict[str, tuple[Source, Evidence]] = {}
        for source in _SOURCES.values():
            for ev in source.evidence:
                table[ev.code] = (source, ev)
        for source in _SOURCES.values():
            for ev in source.evidence:
                for alias in ev.aliases:
                    table.setdefault(alias, (source, ev))
        _CODE_CACHE = table
    return _CODE_CACHE


def evidence_codes() -> dict[str, tuple[Source, Evidence]]:
    """Every evidence code (not aliases) → (source, evidence), in declaration order."""
    return {code: pair for code, pair in _codes().items() if pair[1].code == code}


def all_codes() -> dict[str, tuple[Source, Evidence]]:
    """Every evidence code and alias → (source, evidence)."""
    return dict(_codes())


def resolve(code: str) -> tuple[Source, Evidence] | None:
    """The source and evidence of ``code`` (an alias resolves to its code), or None."""
    return _codes().get(code)


def evidence_label(code: str, fallback: str | None = None) -> str:
    """The Chinese label of evidence ``code`` (or of an alias); ``fallback`` (else the code)
    when no source declares it."""
    found = resolve(code)
    if found is None:
        return fallback if fallback is not None else code
    return str(found[1].label)


def kind_labels() -> dict[str, str]:
    """Every evidence code (and alias) → its Chinese label, evaluated now (translation of
    the current request)."""
    return {code: str(ev.label) for code, (_s, ev) in _codes().items()}


# -- "evidence changed" -----------------------------------------------------------------

def announce(obj, action: str, org_ids: Iterable[int | None] = (), dates: Iterable[dt.date | None] = (),
             *, model=None, codes: Iterable[str] | None = None) -> None:
    """Send :data:`evidence_changed` for ``obj`` after the current transaction commits.

    ``action`` is "create", "update" or "delete"; ``org_ids``/``dates`` the organizations and
    record dates concerned (old and new of an update; None values are dropped). ``codes``:
    the evidence codes concerned (:func:`codes_matching` of the old and the new values of an
    update); by default those ``obj`` satisfies as it is for a create or a delete, and None
    (every code of the sender) for an update, whose old values only the caller knows.
    ``model`` overrides the sender (default ``type(obj)``). Call from the owning app's
    service, inside its transaction, so a rolled-back write announces nothing."""
    sender = model or type(obj)
    record_id = obj.pk
    org_ids = {i for i in org_ids if i}
    dates = {d for d in dates if d}
    if codes is None and action != "update" and sender is type(obj):
        codes = codes_matching(obj)
    codes = None if codes is None else set(codes)

    def send():
        evidence_changed.send(sender=sender, instance=obj, record_id=record_id, action=action,
                              org_ids=org_ids, dates=dates, codes=codes)

    transaction.on_commit(send)


def kind_fields(source: Source) -> tuple[str, ...]:
    """The record's own fields that ``source``'s evidence filters compare by equality (a
    Meeting's and a Lecture's ``kind``): what a service reads of the old row so that
    :func:`codes_matching` knows the codes an update concerned."""
    names = []
    for ev in source.evidence:
        for lookup, _value in ev.filters:
            if "__" not in lookup and lookup not in names:
                names.append(lookup)
    return tuple(names)


def codes_matching(values, source: Source | None = None) -> set[str]:
    """The evidence codes of ``source`` (default: the source of ``values``' model) that a
    record satisfies: ``values`` is a model instance, or a dict of field values (an old row
    read with :func:`kind_fields`). A code's filter that is an equality on one of the
    record's own fields (``("kind", "theme_party_day")``) is checked; any other filter
    (a lookup such as ``status__in``, a related field, a field missing from ``values``) is
    taken to hold, so the answer may name a code too many, never one too few. A source with
    no evidence gives an empty set."""
    if source is None:
        source = source_for_model(values)
        if source is None:
            return set()

    def get(name):
        if isinstance(values, dict):
            return values.get(name, _MISSING)
        return getattr(values, name, _MISSING)

    found = set()
    for ev in source.evidence:
        ok = True
        for lookup, expected in ev.filters:
            if "__" in lookup:
                continue
            actual = get(lookup)
            if actual is not _MISSING and str(actual) != str(expected):
                ok = False
                break
        if ok:
            found.add(ev.code)
    return found


_MISSING = object()


def snapshot(obj, source: Source | None = None) -> tuple[set, set]:
    """The (org ids, dates) of ``obj`` as stored now, by its source's ``org_field`` and
    ``date_field`` (to announce old and new values of an update)."""
    source = source or source_for_model(obj)
    if source is None or obj.pk is None:
        return set(), set()
    values = type(obj)._base_manager.filter(pk=obj.pk).values_list(
        _attname(source.org_field), source.date_field).first()
    if values is None:
        return set(), set()
    return {values[0]}, {values[1]}


def current(obj, source: Source | None = None) -> tuple[set, set]:
    """The (org ids, dates) of ``obj`` in memory, by its source's fields."""
    source = source or source_for_model(obj)
    if source is None:
        return set(), set()
    org_id = _resolve_attr(obj, _attname(source.org_field))
    return {org_id}, {_resolve_attr(obj, source.date_field)}


def _attname(path: str) -> str:
    """``org`` → ``org_id``; ``problem__org`` → ``problem__org_id`` (the FK column)."""
    return path if path.endswith("_id") else f"{path}_id"


def _resolve_attr(obj, path: str):
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def counter_of(ev: Evidence) -> Callable | None:
    """The custom counting function of ``ev`` (imported), or None."""
    return import_string(ev.counter) if ev.counter else None


def found_by_text(who: str = "", channel: str = "", limit: int = 100) -> str:
    """The 提出人/渠道 of a problem made from a record: "张三（座谈会）", "座谈会" or "张三"
    ("" when neither is known), at most ``limit`` characters (the problem field's length).
    Every ``problem_prefill()`` that knows who raised it or through which channel fills
    ``found_by`` with it, so 列入问题清单 keeps them."""
    who, channel = (who or "").strip(), (channel or "").strip()
    text = f"{who}（{channel}）" if who and channel else who or channel
    return text if len(text) <= limit else text[: limit - 1] + "…"
