"""In real headless Chromium: the interactive API docs under the site's strict Content-Security-Policy,
and the token page of the workspace."""

import json
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import SCREENSHOTS, start_chromium
from tests.factories import make_partner, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium(tmp_path):
    """Chromium that keeps its console log, so CSP refusals can be read back."""
    driver = start_chromium(tmp_path, **{"goog:loggingPrefs": {"browser": "ALL"}})
    yield driver
    driver.quit()


def test_docs_page_renders_every_operation_without_csp_errors(chromium, live_server):
    chromium.get(live_server.url + "/api/docs")
    wait = WebDriverWait(chromium, 20)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock")))
    operations = chromium.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")
    with urllib.request.urlopen(live_server.url + "/api/openapi.json") as answer:
        document = json.load(answer)
    methods = {"get", "post", "put", "patch", "delete"}
    # Swagger UI shows an operation once under each of its tags.
    shown = sum(len(op.get("tags") or ["default"]) for path in document["paths"].values() for method, op in path.items() if method in methods)
    assert len(operations) == shown == 22
    assert "Partnerpost API" in chromium.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    assert chromium.find_element(By.CSS_SELECTOR, ".api-docs-bar").value_of_css_property("background-color") == "rgba(8, 58, 102, 1)"
    chromium.save_screenshot(str(SCREENSHOTS / "api-docs.png"))

    # Open one operation: its parameters and responses come from /api/openapi.json.
    chromium.find_element(By.CSS_SELECTOR, "#operations-Public_reads-partnerpost_api_endpoints_list_events .opblock-summary").click()
    parameters = wait.until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, "#operations-Public_reads-partnerpost_api_endpoints_list_events .parameters")))
    assert {"start", "end", "partner", "format", "cursor"} <= {
        cell.text.split()[0] for cell in parameters.find_elements(By.CSS_SELECTOR, ".parameter__name")}
    chromium.execute_script("arguments[0].scrollIntoView({block: 'start'})", parameters)
    chromium.save_screenshot(str(SCREENSHOTS / "api-docs-operation.png"))

    problems = [entry["message"] for entry in chromium.get_log("browser")
                if entry["level"] in {"SEVERE", "WARNING"} or "Content Security Policy" in entry["message"]]
    assert problems == []


def _api_status(base, path, secret):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_partner_editor_makes_uses_and_revokes_a_token(chromium, live_server):
    partner = make_partner("ICAP", "Instituto Centroamericano de Administración Pública")
    make_user("pablo", partner=partner, role="editor")
    wait = WebDriverWait(chromium, 15)
    chromium.get(live_server.url + "/accounts/login/")
    chromium.find_element(By.NAME, "username").send_keys("pablo")
    chromium.find_element(By.NAME, "password").send_keys("test-pass-123")
    chromium.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".workspace-bar")))

    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "API tokens"))).click()
    wait.until(EC.presence_of_element_located((By.NAME, "name"))).send_keys("Website CMS sync")
    chromium.find_element(By.XPATH, "//button[normalize-space()='Make a token']").click()
    secret = wait.until(EC.presence_of_element_located((By.ID, "new-token"))).get_attribute("value")
    assert secret.startswith("pp_")
    chromium.save_screenshot(str(SCREENSHOTS / "api-token-made.png"))
    assert _api_status(live_server.url, "/api/v1/partner", secret) == 200

    chromium.get(live_server.url + "/workspace/tokens/")
    assert secret not in chromium.page_source
    chromium.find_element(By.XPATH, "//button[normalize-space()='Revoke']").click()
    revoked = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".state-withdrawn")))
    chromium.execute_script("arguments[0].scrollIntoView({block: 'center'})", revoked)
    chromium.save_screenshot(str(SCREENSHOTS / "api-token-revoked.png"))
    assert _api_status(live_server.url, "/api/v1/partner", secret) == 401
    problems = [e["message"] for e in chromium.get_log("browser") if "Content Security Policy" in e["message"]]
    assert problems == []
