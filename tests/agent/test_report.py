"""`idsynth report` renders in a real headless Chromium (Debian's chromium + chromium-driver)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from idsynth.agent.policies.scripted import ScriptedPolicy, load_script
from idsynth.agent.report import write_report
from idsynth.agent.run import start_run
from idsynth.agent.types import Budget

ROOT = Path(__file__).resolve().parents[2]


def _chrome(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.fail("chromium and chromium-driver are missing: ./setup.sh installs them")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: Selenium Manager must not try to download one.
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


@pytest.mark.slow
def test_the_report_of_a_two_branch_run_renders_with_its_plots(tmp_path):
    script = ROOT / "tests" / "data" / "scripts" / "finite_map_pivot.json"
    policy = ScriptedPolicy(load_script(script), str(script))
    start_run(ROOT / "specs" / "warmup" / "finite_map", lambda spec, cfg: policy, runs_dir=tmp_path,
              budget=Budget(stall_after=3), run_id="pivot")
    out = write_report([tmp_path / "pivot"], tmp_path / "report.html")
    driver = _chrome(tmp_path)
    try:
        driver.get(out.as_uri())
        assert driver.title == "idsynth report"
        text = driver.find_element("tag name", "body").text
        assert "closure-no-write" in text and "assoc-list" in text and "ACCEPTED" in text
        assert "scripted" in text
        plots = driver.find_elements("css selector", "img.plot")
        assert plots and all(driver.execute_script("return arguments[0].naturalWidth", p) > 100 for p in plots)
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        assert driver.save_screenshot(str(tmp_path / "report.png"))  # tests never write into the repository
    finally:
        driver.quit()
