"""Project-wide pytest set-up: where the shared inputs live, and the browser fixture.

Browser tests (marker ``browser``) need Playwright and Debian's Chromium. On a user's machine
without them they are skipped with the reason; under ``.ci/run`` (TAIZHANG_REQUIRE_BROWSER=1)
a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent
SHARED = REPO_ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_2284f9ce5468ae96.txt"
ARTIFACTS = REPO_ROOT / "test-artifacts"

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(autouse=True)
def _plain_static_storage(request):
    """Tests render pages without running collectstatic: use the non-manifest storage, and
    let WhiteNoise serve straight from the app folders (live-server browser tests).

    Does nothing when pytest-django is off (``-p no:django`` for the pure-Python importer)."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.WHITENOISE_USE_FINDERS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def require_shared(path: Path) -> Path:
    """``path`` (a file or folder under ../shared), or skip the test with the reason when it
    is absent (a checkout of the project alone, as on a user's machine); under ``.ci/run``
    (TAIZHANG_REQUIRE_SHARED=1), where ../shared must be there, its absence is a failure."""
    if not path.exists():
        reason = f"{path.name} is missing at {path} (../shared is not beside the project)"
        if os.environ.get("TAIZHANG_REQUIRE_SHARED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def seed_file() -> Path:
    """The real task list (read from ../shared, never copied into the project); see
    :func:`require_shared`."""
    return require_shared(SEED)


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class WatchedBrowser:
    """A Playwright browser whose pages report every Content-Security-Policy refusal (an
    inline script or a remote asset the policy blocked) into ``csp_violations``."""

    def __init__(self, instance):
        self._instance = instance
        self.csp_violations: list[str] = []

    def new_page(self, **kwargs):
        page = self._instance.new_page(**kwargs)

        def watch(message):
            if "Content Security Policy" in message.text:
                self.csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", watch)
        return page

    def __getattr__(self, name):
        return getattr(self._instance, name)


@pytest.fixture
def browser():
    """A headless Chromium driven by Playwright; skipped (or failed under CI) when missing.
    A page the test opened that broke the Content-Security-Policy fails the test."""
    required = os.environ.get("TAIZHANG_REQUIRE_BROWSER") == "1"
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        problem = f"Playwright is not installed ({exc})"
    path = _chromium_path()
    if problem is None and path is None:
        problem = "Chromium is not installed (apt-get install chromium fonts-noto-cjk)"
    if problem:
        if required:
            pytest.fail(f"browser tests are required here but {problem}")
        pytest.skip(problem)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        watched = WatchedBrowser(instance)
        try:
            yield watched
        finally:
            instance.close()
        assert watched.csp_violations == [], "pages broke the Content-Security-Policy"
