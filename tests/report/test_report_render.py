"""Render the report in headless Chromium: main sections and a Chinese label present and visible.

Needs Debian's ``chromium`` (and ``fonts-wqy-microhei`` for readable screenshots; the page
itself embeds its font).  The test installs them with apt-get when they are missing and it
runs as root; otherwise it skips with the reason.  The screenshot is kept as a test
artefact in ``tests/artifacts/report.png`` (git-ignored).
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from textqca.report import SECTIONS

APT_PACKAGES = ("chromium", "fonts-wqy-microhei")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--hide-scrollbars", "--mute-audio"]


def _find() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _find()
    if path:
        return path
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("headless Chromium is not installed and apt-get is unavailable or not root; "
                    f"install it with: apt-get install {' '.join(APT_PACKAGES)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", *APT_PACKAGES], check=True, env=env,
                       capture_output=True, timeout=1200)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"could not install {' '.join(APT_PACKAGES)} with apt-get: {exc}")
    path = _find()
    if not path:
        pytest.skip("apt-get installed chromium but no chromium binary is on PATH")
    return path


_CHECK = """
<script>
(async () => {
  const out = {sections: {}};
  const faces = await document.fonts.load("16px 'TextQCA CJK'", "协同成效生成逻辑");
  out.faces = faces.map(f => f.family + ":" + f.status);
  for (const id of IDS) {
    const el = document.getElementById(id);
    if (!el) { out.sections[id] = "missing"; continue; }
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    out.sections[id] = (r.width > 0 && r.height > 0 && cs.visibility === "visible" && cs.display !== "none")
      ? "visible" : "hidden";
  }
  const h = document.querySelector("#overview h2");
  const r = h.getBoundingClientRect();
  out.label = h.firstChild.textContent.trim();
  out.labelVisible = r.width > 0 && r.height > 0 && getComputedStyle(h).visibility === "visible";
  out.labelFont = getComputedStyle(h).fontFamily;
  out.svgText = [...document.querySelectorAll("#xyplots svg text")].map(t => t.textContent).join(" ");
  document.body.setAttribute("data-check", JSON.stringify(out));
})();
</script>
"""


def _run(chromium: str, args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=180)


def test_report_renders_in_headless_chromium(chromium, analysed, tmp_path):
    _, res, _ = analysed
    report = res / "report" / "report.html"
    page = report.read_text(encoding="utf-8")
    ids = [i for i, _, _ in SECTIONS]
    check = tmp_path / "check.html"
    check.write_text(page.replace("</body>", _CHECK.replace("IDS", json.dumps(ids)) + "</body>"), encoding="utf-8")
    proc = _run(chromium, ["--virtual-time-budget=15000", "--dump-dom", check.as_uri()], tmp_path)
    m = re.search(r'data-check="([^"]*)"', proc.stdout)
    assert m, f"no result from the page check; chromium said: {proc.stderr[-2000:]}"
    out = json.loads(htmllib.unescape(m.group(1)))
    assert out["sections"] == {i: "visible" for i in ids}
    assert out["label"] == "概览" and out["labelVisible"]
    assert out["labelFont"].startswith('"TextQCA CJK"') or out["labelFont"].startswith("'TextQCA CJK'") \
        or out["labelFont"].startswith("TextQCA CJK")
    # the embedded face is loaded and covers the Chinese label (no system font needed)
    assert any(f.startswith("TextQCA CJK:loaded") for f in out["faces"]), out["faces"]
    # the plots' labels are text (case names in Chinese)
    assert "L县" in out["svgText"]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    proc = _run(chromium, ["--window-size=1280,2400", f"--screenshot={shot}", report.as_uri()], tmp_path)
    assert shot.is_file() and shot.stat().st_size > 20_000, proc.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1280, 2400)
        colours = im.convert("L").resize((64, 120)).getextrema()
        assert colours[1] - colours[0] > 100        # not a blank page
