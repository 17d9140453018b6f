"""The report opens in a real browser (headless Chromium): not blank, every section there.

`make test` installs Chromium first where it can. In CI (`CI` set) a missing Chromium fails
this test; elsewhere it is skipped with the reason shown by `pytest -rs`.
"""

from __future__ import annotations

import os
import re
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
    for heading in (*SECTIONS, "Week rosters to publish", "Rosters", "Outreach calendar and routes", "Costs",
                    "Cost against access", "Violations and unmet demand"):
        assert heading in done.stdout
    assert done.stdout.count("<img") >= 11


def test_report_screenshot_is_not_blank(report, tmp_path):
    shot = tmp_path / "report.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2400", report.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    pixels = image.imread(shot)
    assert pixels.shape[0] >= 2000
    assert float(np.std(pixels[..., :3])) > 0.05  # text and charts, not an empty page


PROBE = """<script>
window.addEventListener('load', () => {
  const width = document.documentElement.clientWidth;
  const headline = document.getElementById('headline').getBoundingClientRect();
  const outside = [...document.querySelectorAll('body *')].filter(e => !e.closest('.scroll') && !e.closest('script')
      && e.getBoundingClientRect().right > width + 1).map(e => e.tagName + '.' + e.className);
  const map = document.querySelector('figure.map img');
  const points = {};
  document.querySelectorAll('.grid-page').forEach(g => { points[g.dataset.point] = (points[g.dataset.point] || 0) + 1; });
  const probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = JSON.stringify({width, scrollWidth: document.documentElement.scrollWidth,
    headline: [headline.left, headline.right, headline.top], outside, points,
    map: map ? [map.naturalWidth, map.naturalHeight] : null, pages: document.querySelectorAll('.grid-page').length});
  document.body.appendChild(probe);
});
</script>"""


def test_headline_fits_1366_without_horizontal_scroll_and_grids_and_map_are_there(report, tmp_path):
    import json

    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = chromium(tmp_path, "--window-size=1366,768", "--virtual-time-budget=10000", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, flags=re.S)
    assert found, done.stderr[-2000:]
    metrics = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert metrics["scrollWidth"] <= metrics["width"], metrics  # no horizontal scroll at 1366 × 768
    left, right, top = metrics["headline"]
    assert 0 <= left and right <= metrics["width"] and top < 768, metrics  # the headline is on the first screen
    assert metrics["outside"] == [], metrics["outside"][:10]  # no text runs out of the page
    assert set(metrics["points"]) == {"mikkeli", "kiiminki", "parainen", "pelkosenniemi", "saarijarvi"}
    assert metrics["map"] and metrics["map"][0] > 800


def test_print_gives_a_page_per_point_week(report, tmp_path):
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri())
    assert pdf.is_file()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    weeks = report.read_text(encoding="utf-8").count('class="grid-page"')
    assert pages >= weeks > 0
