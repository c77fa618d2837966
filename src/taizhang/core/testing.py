"""Test support shared by every app: the two-branch "world" of the scoping walk.

The project-wide test ``tests/test_scope_walk.py`` logs in as the secretary of branch A and
opens every URL and API endpoint of the project. Each app contributes the URLs it owns in
``taizhang/<app>/tests/scope_cases.py`` as ``def cases(world) -> list[Case]``, creating the
objects of branch B it needs with :data:`SECRET` in their text, so a list page can be checked
for leaks. A URL without any case fails the walk: a new page cannot skip the check.

The pages and API routes of every registered evidence source (``core.sources``) get their
cases from :func:`source_cases`, with branch B's record built by :func:`build_sample` (the
source's ``sample`` function, else :func:`generic_sample`); ``tests/test_sources.py`` uses
the same builders for its generated view tests, and :func:`post_form` to submit a page's
form as a browser would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

# Text put into branch B's objects; it must never appear on a page that A's secretary opens.
SECRET = "乙支部内部信息"

HIDDEN = "hidden"  # an object of branch B: 403 or 404, for GET and POST
LISTED = "listed"  # a page A may open: 200 (or a redirect), without SECRET in the body
PUBLIC = "public"  # reachable without scope (login page, API root, schema): any non-5xx


@dataclass
class Case:
    """One request of the walk: the URL name, its kwargs, what A's secretary must get.

    ``query`` is appended to the URL (e.g. filters naming branch B). ``post`` also sends a
    POST with ``data`` and expects 403/404/405 (for HIDDEN) and no write.
    """

    url_name: str
    kwargs: dict = field(default_factory=dict)
    expect: str = HIDDEN
    query: str = ""
    post: bool = False
    data: dict = field(default_factory=dict)


@dataclass
class World:
    """Committee DW with branches A (ZB01) and B (ZB02); users of each; B's member; an
    inspector (the read-only 上级督导 role on the committee's subtree)."""

    committee: object
    branch_a: object
    branch_b: object
    secretary_a: object
    secretary_b: object
    office: object
    member_b: object
    inspector: object = None
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    """Create the world (needs the database). Its users have no usable password (log them in
    with ``client.force_login``): hashing one costs about a second per user."""
    from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant

    tree = build_tree(branches=2, groups=1)
    a, b = tree["branches"]
    secretary_a, secretary_b, office, inspector = (
        UserFactory(username=n, password=None) for n in ("sec_a", "sec_b", "office", "inspector"))
    grant(secretary_a, a, "branch_secretary")
    grant(secretary_b, b, "branch_secretary")
    grant(office, tree["committee"], "committee_staff")
    grant(inspector, tree["committee"], "inspector")
    b.name = f"第2党支部{SECRET}"  # any page naming branch B leaks
    b.save()
    member_b = MemberFactory(org=b, name=f"{SECRET}王", phone="13900001111")
    return World(tree["committee"], a, b, secretary_a, secretary_b, office, member_b, inspector)


def body_text(response) -> str:
    """The text of a response: an Excel file's cell values, a Word file's paragraphs, else
    the decoded body (streamed bodies are read)."""
    import io

    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    if "wordprocessingml" in kind:
        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    return content.decode("utf-8", errors="replace")


# --- forms as a browser submits them -------------------------------------------------------

class FormParser(HTMLParser):
    """The fields of each form of a page as a browser would submit them: inputs (checked
    boxes only, no buttons, files or disabled fields), selects (their selected options, else
    the first of a single select) and text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._option = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a and tag in ("input", "select", "textarea"):
            return
        if tag == "input":
            kind, name = (a.get("type") or "text").lower(), a.get("name")
            if not name or kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value") or "on"))
                return
            self._form["fields"].append((name, a.get("value") or ""))
        elif tag == "select":
            self._select = {"name": a.get("name"), "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), ""]
            self._select["options"].append(self._option)
            if "selected" in a:
                self._select["selected"].append(self._option)
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        elif self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            if name and self._form is not None:
                self._form["fields"].append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = s["selected"] or ([] if s["multiple"] else s["options"][:1])
            if s["name"] and self._form is not None:
                for value, text in chosen:
                    self._form["fields"].append((s["name"], value if value is not None else text.strip()))
            self._select = None


def post_form(html: str) -> dict[str, list[str]]:
    """The data of the page's main POST form (the one with most fields), name → values."""
    parser = FormParser()
    parser.feed(html)
    forms = [f for f in parser.forms if f["method"] == "post"]
    assert forms, "the page has no POST form"
    data: dict[str, list[str]] = {}
    for name, value in max(forms, key=lambda f: len(f["fields"]))["fields"]:
        data.setdefault(name, []).append(value)
    return data


# --- sample records of every registered kind (``core.sources``) ---------------------------

PAST = dt.date(2023, 10, 12)  # the date of generated records: a working day in the past


def build_sample(source, org, member, text: str):
    """Create one record of ``source`` (a ``core.sources.Source``) for organization ``org``,
    done by ``member`` (an ``orgs.Member`` of ``org``), with ``text`` in its text fields,
    through the owning app's service. Uses the source's own ``sample`` function when it
    names one, else :func:`generic_sample`. Returns the saved instance.

    Raises ``ImproperlyConfigured`` when neither can build the kind (give it ``sample=``)."""
    if source.sample:
        return import_string(source.sample)(org, member, text)
    return generic_sample(source, org, member, text)


def generic_sample(source, org, member, text: str):
    """Fill the model's fields and save through the owning app's generic service.

    Text fields (without choices) get ``text`` (cut to their length), required dates
    :data:`PAST`, a field with choices and no default its first choice, a required number 1;
    a foreign key to an organization gets ``org``; the first one to a member ``member``, each
    further one a new member of ``org`` (two parties of a talk differ). Other required
    relations cannot be guessed: ``ImproperlyConfigured`` naming the field. Saved with
    ``<app>.services.create_record(Model, actor=None, **fields)`` when the app has it (the
    records app), else validated (``full_clean``, raising ``ValidationError``) and saved."""
    from taizhang.orgs.models import Member, Organization
    from taizhang.orgs.tests.factories import MemberFactory

    model = source.model_class
    values: dict = {}
    people = 0
    for f in model._meta.concrete_fields:
        if f.primary_key or not f.editable or f.auto_created:
            continue
        required = not (f.null or f.blank or f.has_default())
        if f.is_relation:
            if f.related_model is Organization:
                values[f.name] = org
            elif f.related_model is Member:
                values[f.name] = member if people == 0 else MemberFactory(org=org, name=f"{text}{people}")
                people += 1
            elif required:
                raise ImproperlyConfigured(
                    f"{source.code}: the generic sample cannot fill {model.__name__}.{f.name}; "
                    f"give the source a sample= function")
        elif f.choices:
            if not f.has_default():
                values[f.name] = f.choices[0][0]
        elif isinstance(f, (models.CharField, models.TextField)):
            if not f.unique:
                values[f.name] = text[: f.max_length] if f.max_length else text
        elif isinstance(f, models.DateTimeField):
            continue
        elif isinstance(f, models.DateField):
            if required:
                values[f.name] = PAST
        elif isinstance(f, (models.IntegerField, models.DecimalField, models.FloatField)) and required:
            values[f.name] = 1
    try:
        service = import_module(f"taizhang.{source.app_label}.services")
    except ModuleNotFoundError:
        service = None
    if hasattr(service, "create_record"):
        return service.create_record(model, actor=None, **values)
    obj = model(**values)
    obj.full_clean()  # a sample is a valid record, or the kind needs its own sample=
    obj.save()
    return obj


def source_cases(world) -> list[Case]:
    """Scoping-walk cases of every registered kind's pages and API routes (branch B's record,
    built by :func:`build_sample` with :data:`SECRET`): list, add and export are LISTED (also
    filtered on branch B), detail, edit, delete and the API detail HIDDEN. The apps' own
    ``scope_cases`` keep only their other URLs."""
    from taizhang.core.sources import sources

    b = world.branch_b.pk
    result: list[Case] = []
    for source in sources():
        obj = build_sample(source, world.branch_b, world.member_b, SECRET)
        pk = {"pk": obj.pk}
        name = source.url_name
        add_query = source.evidence[0].add_query.lstrip("?") if source.evidence else ""
        if name("list"):
            result += [Case(name("list"), expect=LISTED),
                       Case(name("list"), expect=LISTED, query=f"org={b}&q=内部")]
        if name("add"):
            result.append(Case(name("add"), expect=LISTED, query="&".join(filter(None, [f"org={b}", add_query]))))
        if name("export"):
            result += [Case(name("export"), expect=LISTED),
                       Case(name("export"), expect=LISTED, query=f"org={b}")]
        if name("detail"):
            result.append(Case(name("detail"), pk))
        if name("edit"):
            result.append(Case(name("edit"), pk, post=True,
                               data={"org": b, source.date_field: "2023-10-13"}))
        if name("delete"):
            result.append(Case(name("delete"), pk, post=True))
        if source.api_prefix:
            result += [Case(f"{source.basename}-list", expect=LISTED),
                       Case(f"{source.basename}-detail", pk, post=True)]
    return result


def browser_login(page, base_url: str, username: str, password: str, *, landing: str | None = "/"):
    """Sign ``username`` in through the login form in ``page`` (a Playwright page) at the
    live server ``base_url``; wait for ``landing`` (a path: the home page by default), or only
    for the next page to load when ``landing`` is None (a forced password change, a refusal).
    Returns ``page``. The browser tests of every app use it."""
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    if landing is None:
        page.wait_for_load_state()
    else:
        page.wait_for_url(f"{base_url}{landing}")
    return page
