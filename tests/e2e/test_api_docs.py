"""The API's browsable description (/api/v1/docs/, Swagger UI from the vendored sidecar) in
Chromium with the Content-Security-Policy enforced: it loads without a violation, lists every
operation, and a request made from it with a personal token answers."""

import pytest
from playwright.sync_api import expect

from api.services import create_token
from meetings.models import Meeting
from tests.factories import MeetingDayFactory, MeetingFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def test_the_docs_page_shows_the_operations_under_the_csp(page, live_server):
    meeting = MeetingFactory(title="FGD Pengawasan P3MI", status=Meeting.Status.PUBLISHED)
    MeetingDayFactory(meeting=meeting)
    _token, secret = create_token(UserFactory(email="sistem@example.test"), name="Sistem informasi kebijakan")
    violations, requests = [], []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda m: (
            violations.append(m.text) if "CSP violation" in m.text or "Content Security" in m.text else None
        ),
    )
    page.on("request", lambda r: requests.append(r.url))

    response = page.goto("/api/v1/docs/")

    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".opblock")).to_have_count(6)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {p.replace("\u200b", "") for p in paths} >= {"/api/v1/meetings/", "/api/v1/recommendations/{key}/"}

    # Authorize with the token and try the meetings list from the page.
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux input[type=text], .modal-ux input[type=password]").first.fill(secret)
    page.locator(".modal-ux button.authorize").first.click()
    page.locator(".modal-ux button.btn-done, .modal-ux .close-modal").first.click()
    operation = page.locator("#operations-meetings-meetings_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("FGD Pengawasan P3MI")

    assert violations == []
    # Everything came from the site itself: the vendored Swagger UI, no CDN.
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), requests
