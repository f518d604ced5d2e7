"""Word documents as a reader sees them: converted to PDF by LibreOffice, read by pdftotext.

Both tools are installed by .ci/run; without them a test fails under CI and is skipped elsewhere.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def required() -> bool:
    return any(os.environ.get(name) for name in ("E2E_REQUIRED", "CI", "SINERGI_FORBID_SKIPS"))


def tools() -> tuple[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        message = "LibreOffice (libreoffice-writer-nogui) and pdftotext (poppler-utils) are needed"
        if required():
            pytest.fail(message + ": install them (.ci/run does)", pytrace=False)
        pytest.skip(message)
    return soffice, pdftotext


def pdf_text(data: bytes, name: str = "document") -> str:
    """The document's pages as `pdftotext -layout` prints them (pages separated by form feeds)."""
    soffice, pdftotext = tools()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(data)
        # A profile of its own, so a running LibreOffice of the user's does not take the job.
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pdf = Path(tmp) / f"{name}.pdf"
        assert pdf.exists(), "LibreOffice wrote no PDF"
        return subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
        ).stdout.decode()
