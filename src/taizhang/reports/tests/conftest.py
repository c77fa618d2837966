"""Fixtures of the reports tests: the project's sample data (``taizhang load_sample``)."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.fixture
def sample(db, settings, tmp_path):
    """The sample unit (committee DW, six branches, records, problems, survey) and its
    published campaign; media go to a temporary folder."""
    from taizhang.plans.models import Campaign

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_sample", stdout=io.StringIO())
    return Campaign.objects.get()


def pdf_text(content: bytes, tmp_path: Path, layout: bool = True) -> str:
    """pdftotext of a PDF: with ``layout`` a table row stays on one line (label beside its
    value); without, each cell's text is kept together."""
    source = tmp_path / "r.pdf"
    source.write_bytes(content)
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(source), "-"],
                          capture_output=True, check=True, text=True).stdout


def screenshot_page_one(content: bytes, name: str, tmp_path: Path) -> Path:
    """Page 1 of a PDF as a PNG in test-artifacts/ (git-ignored), for people to look at."""
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(ARTIFACTS / f"report-{name}")], check=True, capture_output=True)
    return ARTIFACTS / f"report-{name}.png"
