"""`govnews status`: per-site run history from the manifests, as text and as a self-contained
HTML page rendered in real headless Chromium (skips, saying why, where Chromium cannot run)."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from flows.status import add_status_arguments, run_status, site_runs, status_html
from storage.history import run_manifests
from storage.store import Store

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")
LINK_BLUE = (0x4E, 0x79, 0xA7)
"""The colour of the chart's "article links" line."""


def flag(code: str, severity: str = "unhealthy") -> dict[str, str]:
    return {"code": code, "severity": severity, "message": f"{code} happened"}


def write_history(root: Path, *, broken_last: bool) -> None:
    """Six runs of two sites; `alpha` loses its articles in the last run when `broken_last`."""
    with Store(str(root)) as store:
        for number in range(6):
            broken = broken_last and number == 5
            counts = {
                "alpha": {"pages_fetched": 3 if broken else 30 + number, "lists_fetched": 3,
                          "article_links": 0 if broken else 28 + number,
                          "articles_extracted": 0 if broken else 27 + number,
                          "skipped": {"already stored": 2},
                          "health": [flag("no_articles")] if broken else []},
                "beta": {"pages_fetched": 12, "lists_fetched": 2, "article_links": 10,
                         "articles_extracted": 10 - number % 2,
                         "health": [flag("anti_bot", "warning")] if number == 2 else []},
            }
            rejects = [{"url": f"http://alpha.example/{number}", "site": "alpha",
                        "stage": "fetch", "reason": "http 404"}]
            store.write_run(f"2024010{number + 1}T060000Z-00000{number}", [], rejects,
                            counts=counts)


def status(root: Path, *extra: str) -> int:
    parser = argparse.ArgumentParser()
    add_status_arguments(parser)
    return run_status(parser.parse_args(["--out", str(root), *extra]))


def test_status_lists_each_sites_last_runs_newest_first(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_history(tmp_path, broken_last=True)
    assert status(tmp_path, "--runs", "3") == 1, "the newest run of alpha is unhealthy"
    out = capsys.readouterr().out
    alpha = out[out.index("alpha"):out.index("beta")]
    assert "alpha  (6 runs, last 3 shown)" in alpha
    run_ids = re.findall(r"2024010\dT060000Z-00000\d", alpha)
    assert run_ids[:3] == ["20240106T060000Z-000005", "20240105T060000Z-000004",
                           "20240104T060000Z-000003"]
    newest = next(line for line in alpha.splitlines() if "20240106" in line)
    assert newest.split()[3:9] == ["3", "0", "0", "1", "2", "NO_ARTICLES"]
    assert "! 20240106T060000Z-000005: no_articles: no_articles happened" in alpha
    assert "beta  (6 runs, last 3 shown)" in out


def test_status_of_a_healthy_root_exits_0(tmp_path: Path) -> None:
    write_history(tmp_path, broken_last=False)
    assert status(tmp_path) == 0


def test_the_page_is_self_contained_with_one_chart_per_site(tmp_path: Path) -> None:
    write_history(tmp_path, broken_last=True)
    page = tmp_path / "status.html"
    assert status(tmp_path, "--html", str(page)) == 1
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") == 2 and text.count("<polyline") == 8
    assert "<script" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "no external asset"
    assert 'class="unhealthy"' in text and "20240106T060000Z-000005" in text


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    pytest.skip("no chromium on PATH (.ci/run installs Debian's package where apt-get works)")


def screenshot(page: Path, png: Path, profile: Path) -> None:
    profile.mkdir()
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
               "--window-size=1000,1400", f"--screenshot={png}", page.as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish a screenshot in 120 s")
    if not png.exists():
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        pytest.skip(f"chromium could not run here (exit {done.returncode}): {tail}")


def test_the_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    image_module = pytest.importorskip("PIL.Image")
    write_history(tmp_path / "data", broken_last=True)
    page = tmp_path / "status.html"
    runs = site_runs(run_manifests(str(tmp_path / "data")))
    page.write_text(status_html(runs, 10, "data"), encoding="utf-8")
    png = tmp_path / "status.png"
    screenshot(page, png, tmp_path / "profile")
    image = image_module.open(png).convert("RGB")
    pixels = list(image.getdata())
    inked = sum(1 for pixel in pixels if pixel != (255, 255, 255)) / len(pixels)
    assert inked > 0.02, f"the screenshot is blank ({inked:.1%} of pixels not white)"
    assert len(set(pixels)) > 50
    line = sum(1 for pixel in pixels
               if all(abs(a - b) <= 12 for a, b in zip(pixel, LINK_BLUE, strict=True)))
    assert line > 500, "the charts' article-links lines are drawn"
