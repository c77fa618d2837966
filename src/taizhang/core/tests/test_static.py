"""Static files: collected with the production storage, and nothing from another host."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

import taizhang

PACKAGE = Path(taizhang.__file__).resolve().parent
# A URL to another host in markup or code: src/href to http(s) or protocol-relative, CDNs,
# CSS @import/url() of a remote file.
REMOTE = re.compile(
    r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|"""
    # Well-known CDN hosts, spelled in pieces so this file does not match itself in greps.
    + "|".join(["fonts" + r"\.google" + "apis", "cdn" + r"\.js" + "delivr", "un" + r"pkg\.com", "cdn" + "js"])
)


def test_no_page_loads_anything_from_another_host():
    offenders = []
    for path in PACKAGE.rglob("*"):
        if path.suffix not in {".html", ".css", ".js", ".py"} or "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if REMOTE.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()[:120]}")
    assert not offenders, "\n".join(offenders)


def test_vendor_css_references_no_remote_files():
    vendor = PACKAGE / "static" / "vendor"
    if not vendor.exists():
        pytest.fail("front-end assets are not installed: run `make install`")
    for css in vendor.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        assert not REMOTE.search(text), f"{css.name} loads a remote resource"


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ("vendor/tabler/tabler.min.css", "vendor/htmx/htmx.min.js",
                 "vendor/echarts/echarts.min.js", "taizhang/app.css"):
        assert f'"{name}"' in manifest


def test_the_remote_pattern_catches_what_it_should():
    # Samples split so that this file itself never matches a grep for remote URLs.
    for sample in ('<script src=' '"https://example.org/x.js">', "<link href=" "'//example.org/a.css'>",
                   "@import url(https://example.org/f.css)", "background: url(//example.org/i.png)",
                   "fonts." "googleapis.com/css", "cdn." "jsdelivr.net/npm/x"):
        assert REMOTE.search(sample), sample
    for sample in ('<script src="/static/vendor/htmx/htmx.min.js">', "url(data:image/svg+xml,x)"):
        assert not REMOTE.search(sample), sample
