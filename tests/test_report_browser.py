"""The report opens in a real browser (headless Chromium): not blank, every section there.

`make test` installs Chromium first where it can. In CI (`CI` set) a missing Chromium fails
this test; elsewhere it is skipped with the reason shown by `pytest -rs`.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib import image

from planner.outputs.report import SECTIONS

pytestmark = pytest.mark.slow  # end-to-end runs and long searches: not in `make test-quick`

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


@pytest.fixture(autouse=True)
def _needs_chromium():
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("Chromium not installed in CI: `make browser` should have installed it")
        pytest.skip("Chromium not installed (make test installs it where it can; in CI this fails)")


@pytest.fixture(scope="module")
def report(planned):
    return planned / "report.html"


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_report_renders_every_section(report, tmp_path):
    done = chromium(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    for heading in (*SECTIONS, "Rosters", "Outreach calendar and routes", "Costs", "Cost against access",
                    "Violations and unmet demand"):
        assert heading in done.stdout
    assert done.stdout.count("<img") >= 11


def test_report_screenshot_is_not_blank(report, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2400", report.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    pixels = image.imread(shot)
    assert pixels.shape[0] >= 2000
    assert float(np.std(pixels[..., :3])) > 0.05  # text and charts, not an empty page
