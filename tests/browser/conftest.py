import os
from pathlib import Path

import pytest

from tests.conftest import chromium_paths

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1000",
]


def start_chromium(tmp_path, **capabilities):
    """Headless Debian Chromium with the project's flags; skips when it is not installed."""
    browser_path, driver_path = chromium_paths()
    if not browser_path or not driver_path:
        pytest.skip("Chromium and chromedriver are not installed (make test installs them where it can)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    for name, value in capabilities.items():
        options.set_capability(name, value)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.implicitly_wait(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return driver


@pytest.fixture
def browser(tmp_path):
    driver = start_chromium(tmp_path)
    yield driver
    driver.quit()


@pytest.fixture
def axe_source():
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does it when npm is available)")
    return AXE.read_text()


AXE_RUN = (
    "const done = arguments[arguments.length - 1];"
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))))"
    ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));"
)


def serious_violations(browser, axe_source, label: str) -> list[tuple]:
    """axe's serious and critical findings on the page the browser shows, as (label, id, impact, nodes)."""
    browser.execute_script(axe_source)
    return [(label, v["id"], v["impact"], v["nodes"]) for v in browser.execute_async_script(AXE_RUN)
            if v["impact"] in {"serious", "critical"}]
