"""English is available: the catalogue is complete, current and compiled, and users can switch.

The catalogue is ``src/taizhang/locale/en/LC_MESSAGES/django.po`` (the msgids are the Chinese UI
strings). After changing UI text::

    cd src/taizhang && taizhang makemessages -l en --ignore=.venv   # new msgids, empty msgstr
    # translate them in django.po (no empty msgstr, no "#, fuzzy")
    taizhang compilemessages                                        # django.mo, committed too

Chinese stays the default: a request without the language cookie or Accept-Language gets
zh-hans (LANGUAGE_CODE), which the rest of the suite relies on.
"""

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from taizhang.core.context_processors import GROUPS, NAV, SOURCES
from taizhang.core.sources import sources
from taizhang.orgs.tests.factories import UserFactory, build_tree, grant

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/taizhang
LOCALE_DIR = PACKAGE_DIR / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{ *\w+ *\}\}")


@dataclass
class Entry:
    """One message of a .po file; ``msgstr`` maps the plural index (0 when singular) to text."""

    line: int
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def read_po(path: Path) -> list[Entry]:
    """The live entries of the .po file at ``path`` (obsolete ``#~`` entries are left out; the
    header, msgid "", is the first entry). Raises ValueError on a line it does not understand."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    pending_flags: set[str] = set()
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = keyword.match(line)
        if match:
            word, index, literal = match.groups()
            text = ast.literal_eval(literal)
            if word in ("msgctxt", "msgid") and (current is None or current.msgstr):
                current = Entry(line=number, flags=pending_flags)
                entries.append(current)
                pending_flags = set()
            if current is None:
                raise ValueError(f"{path}:{number}: {word} before msgid")
            if word == "msgstr":
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = text
            else:
                target = (word, 0)
                setattr(current, word, text)
        elif line.startswith('"') and current is not None and target is not None:
            text = ast.literal_eval(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += text
            else:
                setattr(current, target[0], getattr(current, target[0]) + text)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def where(entry: Entry) -> str:
    return f"{PO_FILE.name}:{entry.line} {entry.msgid[:40]!r}"


# (a) complete and clean ------------------------------------------------------------------------

def test_every_message_is_translated_and_none_is_fuzzy():
    entries = read_po(PO_FILE)
    assert entries and entries[0].msgid == "", "the .po has no header"
    assert "fuzzy" not in entries[0].flags, "the header is marked fuzzy (msgfmt would drop it)"
    messages = entries[1:]
    assert len(messages) > 500  # the whole UI, not a stub
    empty = [where(e) for e in messages if not e.msgstr or any(not s for s in e.msgstr.values())]
    fuzzy = [where(e) for e in messages if "fuzzy" in e.flags]
    assert not empty, f"untranslated (empty msgstr): {empty}"
    assert not fuzzy, f"fuzzy entries (check the translation, then remove the flag): {fuzzy}"


def test_plurals_have_both_english_forms_and_placeholders_are_kept():
    problems = []
    for entry in read_po(PO_FILE)[1:]:
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1]:
            problems.append(f"{where(entry)}: plural forms {sorted(entry.msgstr)}, expected [0, 1]")
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for index, text in entry.msgstr.items():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{where(entry)}: msgstr[{index}] {text!r} changes the placeholders {wanted}")
    assert not problems, "\n".join(problems)


# (b) covers the code ---------------------------------------------------------------------------

def test_the_catalogue_covers_every_msgid_of_the_code(tmp_path, settings, monkeypatch):
    """Runs makemessages on a copy of the sources into a scratch locale folder and expects every
    msgid it finds in the committed .po (extra entries there are allowed: menu labels
    translated from variables)."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed: apt-get install gettext")
    copy = tmp_path / "taizhang"
    for source in PACKAGE_DIR.rglob("*"):
        relative = source.relative_to(PACKAGE_DIR)
        if (source.suffix in {".py", ".html", ".txt"} and source.is_file()
                and not {"locale", "vendor", "__pycache__", "node_modules"} & set(relative.parts)):
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy / relative)
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], ignore_patterns=[".venv"], verbosity=0)
    fresh = {e.key for e in read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")[1:]}
    committed = {e.key for e in read_po(PO_FILE)[1:]}
    missing = sorted(fresh - committed, key=lambda k: k[1])
    assert not missing, (
        f"{len(missing)} msgids of the code are not in {PO_FILE} — run "
        f"`cd src/taizhang && taizhang makemessages -l en --ignore=.venv`, translate, "
        f"`taizhang compilemessages`: {[m[1] for m in missing]}")


# (c) compiled ----------------------------------------------------------------------------------

def test_the_committed_mo_matches_the_po(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed: apt-get install gettext")
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run `taizhang compilemessages`"
    fresh_mo = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh_mo), str(PO_FILE)], check=True)
    with fresh_mo.open("rb") as fresh, MO_FILE.open("rb") as committed:
        expected = dict(gettext.GNUTranslations(fresh)._catalog)
        actual = dict(gettext.GNUTranslations(committed)._catalog)
    expected.pop("", None)
    actual.pop("", None)
    differing = {k for k in expected.keys() & actual.keys() if expected[k] != actual[k]}
    stale = sorted(str(k) for k in (expected.keys() ^ actual.keys()) | differing)
    assert not stale, f"{MO_FILE.name} is older than {PO_FILE.name} (run `taizhang compilemessages`): {stale[:20]}"


def test_english_is_offered_and_chinese_is_the_default():
    assert django_settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in django_settings.LANGUAGES] == ["zh-hans", "en"]
    assert LOCALE_DIR in [Path(p) for p in django_settings.LOCALE_PATHS]
    with translation.override("en"):
        assert translation.gettext("退出") == "Log out"
        assert translation.ngettext("%(n)s 条未读通知", "%(n)s 条未读通知", 1) == "%(n)s unread notification"
        assert translation.ngettext("%(n)s 条未读通知", "%(n)s 条未读通知", 3) == "%(n)s unread notifications"


def _is_english(text: str) -> bool:
    return not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_menu_label_has_an_english_translation():
    """The menu labels are translated from variables, which makemessages cannot see: a label
    missing from the catalogue would stay Chinese in the English menu."""
    labels = [entry[1] for entry in NAV if entry is not SOURCES] + sorted(set(GROUPS.values()))
    with translation.override("en"):
        untranslated = [label for label in labels if translation.gettext(label) == label]
        # The registered record kinds' menu labels (lazy translations of their sources).
        untranslated += [str(s.menu) for s in sources() if s.menu and not _is_english(str(s.menu))]
    assert not untranslated, f"menu labels without an English translation in {PO_FILE.name}: {untranslated}"


# (d), (e) pages --------------------------------------------------------------------------------

@pytest.fixture
def secretary(db):
    user = UserFactory(username="i18n_sec")
    grant(user, build_tree(branches=1, groups=0)["branches"][0], "branch_secretary")
    return user


# A branch secretary's menu: 任务清单 stands alone (审核把关, the rest of the 主题教育 group, is
# only offered to reviewers, issue 15 §2).
ENGLISH_MENU = ["Home", "Task list", "Work records",
                "Three meetings and one lecture", "Problem list", "Log out"]
CHINESE_MENU = ["首页", "任务清单", "工作记录", "三会一课", "问题清单", "退出"]


def page_text(client, **headers) -> str:
    response = client.get(reverse("home"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_is_chinese_without_a_language_choice(client, secretary):
    client.force_login(secretary)
    html = page_text(client)
    assert '<html lang="zh-hans">' in html
    for label in CHINESE_MENU:
        assert f">{label}<" in html, label
    assert ">Task list<" not in html and ">Log out<" not in html


def test_the_home_page_is_english_with_the_cookie(client, secretary):
    client.force_login(secretary)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page_text(client)
    assert '<html lang="en">' in html
    for label in ENGLISH_MENU:
        assert f">{label}<" in html, label
    assert ">任务清单<" not in html and ">退出<" not in html


def test_the_home_page_follows_accept_language(client, secretary):
    client.force_login(secretary)
    html = page_text(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in html and ">Work records<" in html
    html = page_text(client, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert '<html lang="zh-hans">' in html and ">工作记录<" in html


def test_the_login_page_offers_the_switch_too(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="language-switch"' in html and "Log in to Ledger" in html


def language_form(html: str) -> tuple[str, str]:
    """The switch in the header: (its CSRF token, the code of the language it offers). It
    offers the other language, named in itself ("English" on a Chinese page)."""
    form = re.search(r'<form[^>]*id="language-switch".*?</form>', html, re.S)
    assert form, "no language switch in the page"
    assert f'action="{reverse("set_language")}"' in form.group(0)
    offered = re.findall(r'<button type="submit" name="language" value="([^"]+)"[^>]*>([^<]+)</button>',
                         form.group(0))
    assert len(offered) == 1 and offered[0] in [("en", "English"), ("zh-hans", "简体中文")], offered
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    return token, offered[0][0]


def test_the_switch_in_the_header_changes_the_language_with_csrf(secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    url = reverse("set_language")
    assert url == "/i18n/setlang/"
    # Without the token the post is refused.
    assert client.post(url, {"language": "en", "next": "/"}).status_code == 403
    token, offered = language_form(page_text(client))
    assert offered == "en"
    response = client.post(url, {"language": offered, "next": reverse("records:meeting_list"),
                                 "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == reverse("records:meeting_list")
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = page_text(client)
    assert ">Work records<" in html
    # And back to Chinese; a foreign "next" is not followed.
    token, offered = language_form(html)
    assert offered == "zh-hans"
    response = client.post(url, {"language": offered, "next": "https://example.com/",
                                 "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == "/"
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert ">工作记录<" in page_text(client)


def test_an_unknown_language_is_ignored(client, secretary):
    client.force_login(secretary)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="zh-hans">' in page_text(client)
