"""In the browser, with the Content-Security-Policy enforced: key pages of every role, the admin
and allauth's pages load, and Chromium reports no violation (no inline script or style refused,
nothing loaded from elsewhere). tests/config/test_csp.py reads the HTML of many more pages."""

from datetime import date, time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from core.tokens import make_token
from meetings.models import Meeting
from minutes.models import Minutes, Section
from minutes.services.preparation import prepare_minutes
from participants.models import Registration
from policy.models import FocalPoint, PolicyBrief
from tests.factories import AgendaItemFactory, MeetingDayFactory, MeetingFactory

from .conftest import log_in, wait_for_htmx
from .test_private_links import published_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "sinergi-demo-2021"
# Each violation is also written to the console, so that one listener sees them all, whatever
# page they happen on (the browser's own console message is not always passed to Playwright).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`);
});
"""


def held_meeting():
    """A meeting of the demo's secretary, without minutes yet."""
    meeting = MeetingFactory(
        title="Rapat Teknis Pengawasan",
        status=Meeting.Status.PUBLISHED,
        secretaries=[User.objects.get(email="notulis@sinergi.test")],
    )
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(10), title="Pembahasan", order=1)
    return meeting


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def watch(browser, live_server):
    """A new page whose CSP violations are collected; the list is checked after each visit."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.add_init_script(REPORT_VIOLATIONS)
        page.violations = []

        def on_console(message):
            if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
                page.violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        return page

    yield open_page
    for context in contexts:
        context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    if page.evaluate("!!window.htmx"):  # not in the admin
        wait_for_htmx(page)
    # Nothing inline reached the page (htmx's indicator style among them).
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0, url
    return response


def test_key_pages_raise_no_csp_violation(watch, demo):
    fgd = Meeting.objects.get(kind=Meeting.Kind.FGD, starts_on=date(2021, 9, 20))
    minutes = Minutes.objects.filter(meeting=fgd).first() or Minutes.objects.first()
    brief = PolicyBrief.objects.first()
    open_meeting = published_meeting()

    # Anyone: the public page, the registration form (its honeypot out of sight without a style
    # attribute) and a registration's private page.
    page = watch()
    visit(page, "/")
    visit(page, fgd.urls.public)
    visit(page, f"/m/{open_meeting.code}/register/")
    honeypot = page.locator("input[name=website]")
    expect(honeypot).to_have_count(1)
    assert page.evaluate("el => el.getBoundingClientRect().right", honeypot.element_handle()) < 0
    registration = Registration.objects.filter(state=Registration.State.CONFIRMED).first()
    visit(page, registration.urls.private)
    expect(page.locator("#registration-code")).to_have_css("letter-spacing", "2px")  # 0.1em of fs-5 (20px)
    fp = FocalPoint.objects.first()
    visit(page, f"/follow-up/{fp.pk}/{make_token('focal_point', fp.pk, fp.token_version)}/")
    assert page.violations == []

    # The organizer: dashboard, the meeting's staff pages, the registrations list's select-all.
    page = watch()
    log_in(page, "penyelenggara@sinergi.test", DEMO_PASSWORD)
    for url in (
        "/dashboard/",
        fgd.urls.detail,
        fgd.urls.staff,
        fgd.urls.agenda,
        f"/meetings/{fgd.code}/invitations/",
        f"/meetings/{fgd.code}/minutes/",
        "/statistics/",
    ):
        visit(page, url)
    visit(page, f"/meetings/{fgd.code}/registrations/")
    rows = page.locator("input.row-select")
    assert rows.count() > 0
    page.locator("#select-all").check()
    assert all(box.is_checked() for box in rows.all())
    page.locator("#select-all").uncheck()
    assert not any(box.is_checked() for box in rows.all())
    assert page.violations == []

    # The secretary's minutes editor: the demo's minutes, and a draft that saves itself (htmx).
    page = watch()
    log_in(page, "notulis@sinergi.test", DEMO_PASSWORD)
    visit(page, f"/meetings/{minutes.meeting.code}/minutes/")
    draft = prepare_minutes(held_meeting(), author=User.objects.get(email="notulis@sinergi.test"))
    visit(page, f"/meetings/{draft.meeting.code}/minutes/")
    summary = page.locator("textarea[name=summary]").first
    summary.fill("Peserta sepakat membentuk **Tim Pengawasan P3MI**.")
    page.wait_for_timeout(1500)  # the autosave's delay
    wait_for_htmx(page)
    assert (
        "Tim Pengawasan P3MI" in (Section.objects.filter(minutes=draft).values_list("summary", flat=True)[0])
    )
    assert page.violations == []

    # The policy analyst: the registry, the statistics' SVG charts, a policy-input document.
    page = watch()
    log_in(page, "analis@sinergi.test", DEMO_PASSWORD)
    for url in ("/recommendations/", "/statistics/", f"/policy-input/{brief.pk}/"):
        visit(page, url)
    assert page.violations == []

    # The administrator: the admin (a change form with its autocomplete) and allauth's pages.
    page = watch()
    log_in(page, "admin@sinergi.test", DEMO_PASSWORD)
    for url in ("/admin/", "/admin/directory/organization/", "/accounts/email/", "/accounts/2fa/"):
        visit(page, url)
    page.goto("/admin/directory/person/add/")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    assert page.violations == []

    # The watcher does see a violation when there is one.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in page.violations), page.violations
