"""Pages behind private links, submitted in a real browser (CSRF checks the Origin Chromium sends)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from participants.models import Registration
from participants.services import invitations as inv
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory, OrganizerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def published_meeting():
    meeting = MeetingFactory(
        title="Rapat Koordinasi Pengawasan P3MI",
        status=Meeting.Status.PUBLISHED,
        mode=Meeting.Mode.HYBRID,
        capacity_onsite=30,
        capacity_online=100,
        registration_closes_at=timezone.now() + timedelta(days=3),
    )
    MeetingDayFactory(
        meeting=meeting, date=timezone.localdate() + timedelta(days=7), start_time=time(9), end_time=time(15)
    )
    return meeting


def fill_delegate(page, form, name, email):
    form.locator("input[name=full_name]").fill(name)
    form.locator("input[name=position]").fill("Analis Kebijakan")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=phone]").fill("0812 3456 7890")
    form.locator("select[name=mode]").select_option("onsite")
    form.locator("input[name=authorised]").check()


def test_focal_point_nominates_replaces_and_withdraws_a_delegate(page):
    organizer = OrganizerFactory()
    meeting = published_meeting()
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    invitation = inv.invite(
        meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="tu@kkp.example.go.id"
    )

    page.goto(invitation.urls.focal_point)
    form = page.locator("#nominate-form")
    fill_delegate(page, form, "Sari Dewi", "sari.dewi@kkp.example.go.id")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#delegate-table tbody")).to_contain_text("Sari Dewi")

    page.locator("#delegate-table a", has_text="Ganti").first.click()
    form = page.locator("#replace-form")
    fill_delegate(page, form, "Bayu Pratama", "bayu.pratama@kkp.example.go.id")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#delegate-table tbody")).to_contain_text("Bayu Pratama")

    page.locator("#delegate-table tr", has_text="Bayu Pratama").locator("a", has_text="Tarik").click()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#seats")).to_contain_text("0 dari 2")

    assert list(
        Registration.objects.filter(meeting=meeting).order_by("email").values_list("email", "state")
    ) == [
        ("bayu.pratama@kkp.example.go.id", "cancelled"),
        ("sari.dewi@kkp.example.go.id", "cancelled"),
    ]


def test_participant_switches_mode_and_cancels_on_their_private_page(page):
    meeting = published_meeting()
    outcome = reg.register(
        meeting,
        full_name="Ni Made Ayu Lestari",
        email="ayu@example.test",
        mode="onsite",
        consent=True,
    )
    registration = outcome.registration

    response = page.goto(registration.urls.private)
    # A policy that keeps the token out of other sites' logs yet lets the page's forms through.
    assert response.headers["referrer-policy"] == "same-origin"
    with page.expect_navigation():
        page.locator("form:has(input[name=action][value=mode]) button[type=submit]").click()
    registration.refresh_from_db()
    assert (registration.mode, registration.state) == ("online", "confirmed")

    page.goto(registration.urls.private + "?cancel=1")
    with page.expect_navigation():
        page.locator("form:has(input[name=action][value=cancel]) button[type=submit]").click()
    registration.refresh_from_db()
    assert registration.state == "cancelled"


def test_organizer_copies_a_focal_points_current_link(page, live_server):
    from allauth.account.models import EmailAddress

    from tests.e2e.test_plan_meeting import log_in

    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = published_meeting()
    meeting.organizers.add(organizer)
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    invitation = inv.invite(
        meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="tu@kkp.example.go.id"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    log_in(page, organizer.email, "secret-pass-123")
    page.goto(meeting.urls.invitations)
    button = page.locator(f"#invitation-{invitation.pk} button[data-copy-link]")
    button.click()

    expect(button).to_contain_text("Disalin")
    assert page.evaluate("navigator.clipboard.readText()") == invitation.urls.absolute.focal_point


def test_registered_person_accepts_an_agency_nomination_in_the_browser(page):
    organizer = OrganizerFactory()
    meeting = published_meeting()
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    invitation = inv.invite(
        meeting, actor=organizer, organization=kkp, quota=2, focal_point_email="tu@kkp.example.go.id"
    )
    registration = reg.register(
        meeting, full_name="Siti Rahayu", email="siti@example.test", mode="online", consent=True
    ).registration
    nomination = inv.nominate(
        invitation,
        full_name="Siti R.",
        email="siti@example.test",
        mode="onsite",
        phone="0812 3456 7890",
        authorised=True,
    )

    page.goto(nomination.urls.accept)
    with page.expect_navigation():
        page.locator("#nomination-accept form button[type=submit]").click()

    expect(page.locator("main")).to_contain_text("Kementerian Kelautan dan Perikanan")
    registration.refresh_from_db()
    assert (registration.invitation, registration.mode, registration.full_name) == (
        invitation,
        "online",
        "Siti Rahayu",
    )


def test_organizer_extends_a_nomination_deadline_in_the_browser(page, live_server):
    from allauth.account.models import EmailAddress

    from tests.e2e.test_plan_meeting import log_in

    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = published_meeting()
    meeting.organizers.add(organizer)
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")
    invitation = inv.invite(
        meeting,
        actor=organizer,
        organization=kkp,
        quota=2,
        focal_point_email="tu@kkp.example.go.id",
        nomination_deadline=timezone.now() + timedelta(days=1),
    )
    new_deadline = (timezone.localtime(timezone.now()) + timedelta(days=3)).replace(second=0, microsecond=0)

    log_in(page, organizer.email, "secret-pass-123")
    page.goto(meeting.urls.invitations)
    page.locator(f"#invitation-{invitation.pk} [data-deadline] a").click()
    page.fill("#deadline-form input[name=nomination_deadline]", new_deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.locator("#deadline-form button[type=submit]").click()

    expect(page.locator(f"#invitation-{invitation.pk} [data-deadline]")).to_contain_text("usulan sampai")
    invitation.refresh_from_db()
    assert invitation.nomination_deadline == new_deadline
