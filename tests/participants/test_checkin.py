"""The check-in desk: codes, search, undo, walk-ins, and who may use it."""

from datetime import time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting, MeetingDay
from participants.models import Attendance, Registration
from participants.services import attendance as attendance_services
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory
from tests.participants.conftest import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def day(published_meeting):
    """The meeting's first day, today in the meeting's zone: the desk is open on the day only."""
    first = published_meeting.days.order_by("date").first()
    today = timezone.localtime(timezone.now(), published_meeting.tz).date()
    MeetingDay.objects.filter(pk=first.pk).update(date=today, start_time=time(0, 0), end_time=time(23, 59))
    first.refresh_from_db()
    return first


@pytest.fixture
def bp2mi(db):
    return OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")


def sign_up(meeting, name, email, mode="onsite", **extra):
    return reg.register(
        meeting, full_name=name, email=email, mode=mode, consent=True, check_window=False, **extra
    ).registration


@pytest.fixture
def budi(published_meeting, bp2mi):
    return sign_up(
        published_meeting, "Budi Santoso", "budi@example.test", organization=bp2mi, position="Direktur"
    )


def desk_url(meeting, day):
    return reverse("participants:checkin", kwargs={"code": meeting.code, "day_id": day.pk})


def attendance_rows():
    return list(Attendance.objects.values_list("registration_id", "day_id", "how", "recorded_by_id"))


# Check-in by code ---------------------------------------------------------------------------


def test_checkin_by_code_records_one_onsite_attendance(en_client, organizer, published_meeting, day, budi):
    en_client.force_login(organizer)
    response = en_client.post(desk_url(published_meeting, day), {"code": budi.code})
    assert response.status_code == 302
    assert response.url == f"{desk_url(published_meeting, day)}?last={budi.pk}&outcome=checked_in"
    assert attendance_rows() == [(budi.pk, day.pk, "onsite", organizer.pk)]
    assert list(
        AuditEntry.objects.filter(action="attendance.checked_in").values_list("object_id", "actor")
    ) == [(str(budi.pk), organizer.pk)]
    page = en_client.get(response.url).content.decode()
    assert "Budi Santoso is checked in." in page
    assert "Direktur" in page
    assert "BP2MI" in page


def test_checkin_code_ignores_case_spaces_and_dashes(client, organizer, published_meeting, day, budi):
    client.force_login(organizer)
    typed = f" {budi.code[:4].lower()} - {budi.code[4:].lower()} "
    response = client.post(desk_url(published_meeting, day), {"code": typed})
    assert response.status_code == 302
    assert attendance_rows() == [(budi.pk, day.pk, "onsite", organizer.pk)]


def test_checkin_unknown_code_says_not_found(en_client, organizer, published_meeting, day, budi):
    en_client.force_login(organizer)
    response = en_client.post(desk_url(published_meeting, day), {"code": "zzzz-zzzz"})
    assert response.status_code == 200
    assert "No registration with code ZZZZZZZZ for this meeting." in response.content.decode()
    assert attendance_rows() == []


def test_checkin_code_of_another_meeting_is_not_found(en_client, organizer, published_meeting, day):
    other = MeetingFactory(status=Meeting.Status.PUBLISHED, organizers=[organizer])
    MeetingDayFactory(meeting=other)
    stranger = sign_up(other, "Orang Lain Sekali", "lain@example.test")
    en_client.force_login(organizer)
    response = en_client.post(desk_url(published_meeting, day), {"code": stranger.code})
    page = response.content.decode()
    assert f"No registration with code {stranger.code} for this meeting." in page
    assert "Orang Lain Sekali" not in page
    assert attendance_rows() == []


@pytest.mark.parametrize("state", ["waitlisted", "cancelled", "pending"])
def test_checkin_refuses_unconfirmed_registration(en_client, organizer, published_meeting, day, budi, state):
    Registration.objects.filter(pk=budi.pk).update(state=state)
    en_client.force_login(organizer)
    response = en_client.post(desk_url(published_meeting, day), {"code": budi.code})
    assert response.status_code == 200
    label = Registration.State(state).label
    assert (
        f"Budi Santoso cannot be checked in: the registration is “{label}”. "
        "Only confirmed registrations can be checked in." in response.content.decode()
    )
    assert attendance_rows() == []
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 0


def test_checkin_twice_keeps_one_row_and_says_already(en_client, organizer, published_meeting, day, budi):
    en_client.force_login(organizer)
    en_client.post(desk_url(published_meeting, day), {"code": budi.code})
    response = en_client.post(desk_url(published_meeting, day), {"code": budi.code}, follow=True)
    assert attendance_rows() == [(budi.pk, day.pk, "onsite", organizer.pk)]
    assert response.redirect_chain[0][0].endswith("outcome=already")
    assert "Budi Santoso was already checked in at" in response.content.decode()
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


def test_checkin_service_twice_returns_the_existing_row(organizer, day, budi):
    first = attendance_services.check_in(budi, day, actor=organizer)
    second = attendance_services.check_in(budi, day, actor=organizer)
    assert (first.created, second.created) == (True, False)
    assert second.attendance.pk == first.attendance.pk
    assert Attendance.objects.count() == 1


def test_checkin_on_the_second_day_is_its_own_row(organizer, published_meeting, budi):
    day1, day2 = published_meeting.days.order_by("date")
    attendance_services.check_in(budi, day1, actor=organizer, at=day1.starts_at())
    attendance_services.check_in(budi, day2, actor=organizer, at=day2.starts_at())
    assert sorted(Attendance.objects.values_list("day_id", flat=True)) == [day1.pk, day2.pk]


def test_checkin_online_registrant_is_recorded_onsite(organizer, published_meeting, day):
    online = sign_up(published_meeting, "Dewi Daring", "dewi@example.test", mode="online")
    attendance_services.check_in(online, day, actor=organizer)
    online.refresh_from_db()
    assert (online.mode, attendance_rows()) == ("online", [(online.pk, day.pk, "onsite", organizer.pk)])


def test_checkin_refused_when_meeting_closed(en_client, organizer, published_meeting, day, budi):
    Meeting.objects.filter(pk=published_meeting.pk).update(status=Meeting.Status.CLOSED)
    en_client.force_login(organizer)
    response = en_client.post(
        reverse("participants:checkin_registration", args=[published_meeting.code, day.pk, budi.pk])
    )
    assert response.status_code == 200
    assert "Check-in is open only while the meeting is published or held" in response.content.decode()
    assert attendance_rows() == []


def test_checkin_htmx_answers_with_the_live_fragment(en_client, organizer, published_meeting, day, budi):
    en_client.force_login(organizer)
    response = en_client.post(desk_url(published_meeting, day), {"code": budi.code}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="checkin-live"')
    assert "Budi Santoso is checked in." in page
    assert response.context["counts"] == {"confirmed_onsite": 1, "checked_in": 1, "not_yet": 0}


def test_desk_counts_confirmed_checked_in_and_not_yet(client, organizer, published_meeting, day, budi):
    sign_up(published_meeting, "Citra", "citra@example.test")
    waiting = sign_up(published_meeting, "Wati", "wati@example.test")
    Registration.objects.filter(pk=waiting.pk).update(state="waitlisted")
    online = sign_up(published_meeting, "Dewi Daring", "dewi@example.test", mode="online")
    attendance_services.check_in(budi, day, actor=organizer)
    attendance_services.check_in(online, day, actor=organizer)
    client.force_login(organizer)
    response = client.get(desk_url(published_meeting, day))
    assert response.context["counts"] == {"confirmed_onsite": 2, "checked_in": 2, "not_yet": 1}
    assert [a.registration.full_name for a in response.context["recent"]] == ["Dewi Daring", "Budi Santoso"]


# Undo ---------------------------------------------------------------------------------------


def test_undo_deletes_the_checkin(en_client, organizer, published_meeting, day, budi):
    attendance = attendance_services.check_in(budi, day, actor=organizer).attendance
    en_client.force_login(organizer)
    url = reverse("participants:checkin_undo", args=[published_meeting.code, day.pk, attendance.pk])
    response = en_client.post(url, follow=True)
    assert response.redirect_chain == [(desk_url(published_meeting, day), 302)]
    assert attendance_rows() == []
    assert "Check-in of Budi Santoso undone." in response.content.decode()
    assert AuditEntry.objects.filter(action="attendance.check_in_undone").count() == 1


def test_undo_by_secretary_is_allowed(client, organizer, secretary, published_meeting, day, budi):
    attendance = attendance_services.check_in(budi, day, actor=organizer).attendance
    client.force_login(secretary)
    url = reverse("participants:checkin_undo", args=[published_meeting.code, day.pk, attendance.pk])
    assert client.post(url).status_code == 302
    assert attendance_rows() == []


def test_undo_with_another_days_url_is_404(client, organizer, published_meeting, budi):
    day1, day2 = published_meeting.days.order_by("date")
    attendance = attendance_services.check_in(budi, day1, actor=organizer, at=day1.starts_at()).attendance
    client.force_login(organizer)
    url = reverse("participants:checkin_undo", args=[published_meeting.code, day2.pk, attendance.pk])
    assert client.post(url).status_code == 404
    assert attendance_rows() == [(budi.pk, day1.pk, "onsite", organizer.pk)]


# Search -------------------------------------------------------------------------------------


def test_search_finds_by_name_and_not_people_of_another_meeting(
    client, organizer, published_meeting, day, budi
):
    other = MeetingFactory(status=Meeting.Status.PUBLISHED, organizers=[organizer])
    MeetingDayFactory(meeting=other)
    sign_up(other, "Budi Zulkarnaen", "budi-z@example.test")
    client.force_login(organizer)
    url = reverse("participants:checkin_search", args=[published_meeting.code, day.pk])
    response = client.get(url, {"q": "budi"}, HTTP_HX_REQUEST="true")
    assert [r.full_name for r in response.context["matches"]] == ["Budi Santoso"]
    page = response.content.decode()
    assert "Budi Santoso" in page
    assert "Zulkarnaen" not in page


def test_search_finds_by_organization(client, organizer, published_meeting, day, budi):
    sign_up(
        published_meeting, "Siti Aminah", "siti@example.test", organization_name="Dinas Tenaga Kerja Sulsel"
    )
    client.force_login(organizer)
    url = reverse("participants:checkin_search", args=[published_meeting.code, day.pk])
    by_acronym = client.get(url, {"q": "bp2mi"}, HTTP_HX_REQUEST="true").context["matches"]
    by_typed = client.get(url, {"q": "tenaga kerja"}, HTTP_HX_REQUEST="true").context["matches"]
    assert ([r.full_name for r in by_acronym], [r.full_name for r in by_typed]) == (
        ["Budi Santoso"],
        ["Siti Aminah"],
    )


def test_search_without_js_renders_the_desk_with_results(client, organizer, published_meeting, day, budi):
    client.force_login(organizer)
    url = reverse("participants:checkin_search", args=[published_meeting.code, day.pk])
    response = client.get(url, {"q": "Budi"}, follow=True)
    assert response.redirect_chain == [(f"{desk_url(published_meeting, day)}?q=Budi", 302)]
    assert [r.full_name for r in response.context["matches"]] == ["Budi Santoso"]
    assert reverse("participants:checkin_registration", args=[published_meeting.code, day.pk, budi.pk]) in (
        response.content.decode()
    )


def test_search_button_checks_in_and_refreshes_the_row(client, organizer, published_meeting, day, budi):
    client.force_login(organizer)
    url = reverse("participants:checkin_registration", args=[published_meeting.code, day.pk, budi.pk])
    response = client.post(url, {"from": "search"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert attendance_rows() == [(budi.pk, day.pk, "onsite", organizer.pk)]
    assert f'id="checkin-row-{budi.pk}" class="list-group-item d-flex justify-content-between' in page
    assert 'hx-swap-oob="true"' in page


def test_checkin_registration_of_another_meeting_is_404(client, organizer, published_meeting, day):
    other = MeetingFactory(status=Meeting.Status.PUBLISHED, organizers=[organizer])
    MeetingDayFactory(meeting=other)
    stranger = sign_up(other, "Orang Lain", "lain@example.test")
    client.force_login(organizer)
    url = reverse("participants:checkin_registration", args=[published_meeting.code, day.pk, stranger.pk])
    assert client.post(url).status_code == 404
    assert attendance_rows() == []


# Walk-ins -----------------------------------------------------------------------------------


def walk_in_url(meeting, day):
    return reverse("participants:checkin_walk_in", args=[meeting.code, day.pk])


WALK_IN = {
    "full_name": "Rahmat Hidayat",
    "position": "Kepala Seksi",
    "organization_name": "bp2mi",
    "email": "Rahmat@Example.test",
    "phone": "0812-3456-7890",
    "consent": "on",
}


def test_walk_in_is_registered_confirmed_and_checked_in(client, organizer, published_meeting, day, bp2mi):
    client.force_login(organizer)
    response = client.post(walk_in_url(published_meeting, day), WALK_IN)
    walk_in = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == f"{desk_url(published_meeting, day)}?last={walk_in.pk}&outcome=walk_in"
    assert (
        walk_in.full_name,
        walk_in.position,
        walk_in.organization,
        walk_in.email,
        walk_in.phone,
        walk_in.mode,
        walk_in.state,
        walk_in.source,
    ) == (
        "Rahmat Hidayat",
        "Kepala Seksi",
        bp2mi,
        "rahmat@example.test",
        "+6281234567890",
        "onsite",
        "confirmed",
        "walk_in",
    )
    assert walk_in.consent_at is not None
    assert attendance_rows() == [(walk_in.pk, day.pk, "onsite", organizer.pk)]


def test_walk_in_htmx_returns_fresh_form_and_live_desk(client, organizer, published_meeting, day):
    client.force_login(organizer)
    response = client.post(walk_in_url(published_meeting, day), WALK_IN, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="walk-in"')
    assert '<div id="checkin-live" hx-swap-oob="true">' in page
    assert response.context["walk_in_form"].is_bound is False
    assert Attendance.objects.count() == 1


def test_walk_in_in_full_room_refused_without_override(en_client, organizer, published_meeting, day, budi):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=1)
    en_client.force_login(organizer)
    response = en_client.post(walk_in_url(published_meeting, day), WALK_IN)
    assert response.status_code == 200
    form = response.context["walk_in_form"]
    assert form.errors["admit_over_capacity"] == [
        "All 1 on-site seats are taken. An organizer can admit this person anyway by ticking “admit over capacity”."
    ]
    assert list(Registration.objects.values_list("full_name", flat=True)) == ["Budi Santoso"]
    assert attendance_rows() == []


def test_walk_in_in_full_room_admitted_with_override(client, organizer, published_meeting, day, budi):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=1)
    client.force_login(organizer)
    response = client.post(walk_in_url(published_meeting, day), {**WALK_IN, "admit_over_capacity": "on"})
    assert response.status_code == 302
    walk_in = Registration.objects.get(email="rahmat@example.test")
    assert walk_in.state == "confirmed"
    assert reg.confirmed_counts(published_meeting) == {"onsite": 2, "online": 0}
    assert attendance_rows() == [(walk_in.pk, day.pk, "onsite", organizer.pk)]
    assert list(
        AuditEntry.objects.filter(action="registration.created", object_id=str(walk_in.pk)).values_list(
            "data", flat=True
        )
    ) == [{"state": "confirmed", "mode": "onsite", "source": "walk_in", "over_capacity": True}]
    # One email, the confirmation: no waiting-list email first.
    keys = [e.key for e in OutgoingEmail.objects.all() if e.to == [walk_in.email]]
    assert [k.split(":")[0] for k in keys] == ["registration-confirmed"]


def test_walk_in_override_is_ignored_for_secretary(client, secretary, published_meeting, day, budi):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=1)
    client.force_login(secretary)
    response = client.post(walk_in_url(published_meeting, day), {**WALK_IN, "admit_over_capacity": "on"})
    assert response.status_code == 200
    assert "admit_over_capacity" not in response.context["walk_in_form"].fields
    assert Registration.objects.count() == 1


def test_walk_in_without_consent_or_email_is_refused(en_client, organizer, published_meeting, day):
    en_client.force_login(organizer)
    data = {**WALK_IN, "email": "", "consent": ""}
    response = en_client.post(walk_in_url(published_meeting, day), data)
    errors = response.context["walk_in_form"].errors
    assert sorted(errors) == ["consent", "email"]
    assert Registration.objects.count() == 0


def test_walk_in_with_registered_email_points_to_search(en_client, organizer, published_meeting, day, budi):
    en_client.force_login(organizer)
    response = en_client.post(walk_in_url(published_meeting, day), {**WALK_IN, "email": "budi@example.test"})
    assert response.context["walk_in_form"].errors["email"] == [
        f"This address is already registered (Budi Santoso, code {budi.code}, Confirmed). "
        "Find the person by name or code instead."
    ]
    assert (Registration.objects.count(), attendance_rows()) == (1, [])


# Permissions and CSRF -----------------------------------------------------------------------


def test_desk_anonymous_goes_to_login(client, published_meeting, day):
    response = client.get(desk_url(published_meeting, day))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_desk_other_organizer_gets_404_without_names(client, other_organizer, published_meeting, day, budi):
    client.force_login(other_organizer)
    search = reverse("participants:checkin_search", args=[published_meeting.code, day.pk])
    responses = [
        client.get(desk_url(published_meeting, day)),
        client.get(f"{desk_url(published_meeting, day)}?last={budi.pk}&outcome=checked_in"),
        client.get(search, {"q": "Budi"}, HTTP_HX_REQUEST="true"),
        client.post(desk_url(published_meeting, day), {"code": budi.code}),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all("Budi Santoso" not in r.content.decode() for r in responses)
    assert attendance_rows() == []


def test_desk_plain_user_gets_404(client, plain_user, published_meeting, day, budi):
    client.force_login(plain_user)
    assert client.get(desk_url(published_meeting, day)).status_code == 404
    assert client.post(desk_url(published_meeting, day), {"code": budi.code}).status_code == 404
    assert attendance_rows() == []


def test_desk_secretary_may_check_in(client, secretary, published_meeting, day, budi):
    client.force_login(secretary)
    assert client.get(desk_url(published_meeting, day)).status_code == 200
    assert client.post(desk_url(published_meeting, day), {"code": budi.code}).status_code == 302
    assert attendance_rows() == [(budi.pk, day.pk, "onsite", secretary.pk)]


def test_desk_day_of_another_meeting_is_404(client, organizer, published_meeting):
    other = MeetingFactory(status=Meeting.Status.PUBLISHED, organizers=[organizer])
    other_day = MeetingDayFactory(meeting=other)
    client.force_login(organizer)
    assert client.get(desk_url(published_meeting, other_day)).status_code == 404


def test_checkin_post_without_csrf_token_is_403(organizer, published_meeting, day, budi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)
    response = client.post(desk_url(published_meeting, day), {"code": budi.code})
    assert response.status_code == 403
    assert attendance_rows() == []


def test_checkin_start_redirects_to_the_next_day(client, organizer, published_meeting, day):
    client.force_login(organizer)
    response = client.get(reverse("participants:checkin_start", args=[published_meeting.code]))
    assert response.status_code == 302
    assert response.url == desk_url(published_meeting, day)


def test_desk_page_has_code_field_scanner_and_walk_in_form(en_client, organizer, published_meeting, day):
    en_client.force_login(organizer)
    page = en_client.get(desk_url(published_meeting, day)).content.decode()
    assert 'name="code"' in page
    assert "autofocus" in page
    assert 'id="checkin-scan" hidden' in page
    assert "js/checkin-scanner.js" in page
    assert 'id="walk-in"' in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres_only")
def test_concurrent_checkins_of_one_person_record_one_row(organizer, published_meeting, day, budi):
    outcome = run_at_once(lambda: attendance_services.check_in(budi, day, actor=organizer).created, [()] * 8)
    assert outcome.failures == []
    assert sorted(outcome.results) == [False] * 7 + [True]
    assert attendance_rows() == [(budi.pk, day.pk, "onsite", organizer.pk)]
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


# The day itself only, with an organizer's override --------------------------------------------


@pytest.fixture
def later_day(published_meeting):
    """The second day, still weeks ahead (2031)."""
    return published_meeting.days.order_by("date").last()


def test_checkin_before_the_day_is_refused(en_client, organizer, published_meeting, later_day, budi):
    en_client.force_login(organizer)
    page = en_client.get(desk_url(published_meeting, later_day)).content.decode()
    assert "Check-in for Tuesday, 23 September 2031 opens on that day; it is not that day yet." in page
    assert 'id="checkin-code-form"' not in page
    response = en_client.post(desk_url(published_meeting, later_day), {"code": budi.code})
    assert response.status_code == 200
    assert "Check-in for Tuesday, 23 September 2031 opens on that day" in response.content.decode()
    assert attendance_rows() == []


def test_checkin_after_the_day_is_refused(organizer, published_meeting, budi):
    day1 = published_meeting.days.order_by("date").first()
    with pytest.raises(attendance_services.CheckInError) as refused:
        attendance_services.check_in(budi, day1, actor=organizer, at=day1.ends_at() + timedelta(days=1))
    assert (
        str(refused.value) == "Senin, 22 September 2031 sudah lewat; registrasi ulang untuk hari itu ditutup."
    )
    assert attendance_rows() == []


def test_organizer_override_records_a_checkin_outside_the_day(
    en_client, organizer, published_meeting, later_day, budi
):
    en_client.force_login(organizer)
    page = en_client.get(desk_url(published_meeting, later_day)).content.decode()
    assert f"{desk_url(published_meeting, later_day)}?override=1" in page
    response = en_client.post(desk_url(published_meeting, later_day), {"code": budi.code, "override": "1"})
    assert response.status_code == 302
    assert response.url == (
        f"{desk_url(published_meeting, later_day)}?last={budi.pk}&outcome=checked_in&override=1"
    )
    assert attendance_rows() == [(budi.pk, later_day.pk, "onsite", organizer.pk)]
    entry = AuditEntry.objects.get(action="attendance.checked_in")
    assert entry.data == {"day": "2031-09-23", "mode": "onsite", "outside_day": True}


def test_secretary_cannot_override_the_day(client, secretary, published_meeting, later_day, budi):
    client.force_login(secretary)
    page = client.get(desk_url(published_meeting, later_day) + "?override=1").content.decode()
    main = page.split("<main", 1)[1]
    assert "override" not in main
    assert "Penyelenggara dapat membuka meja registrasi di luar hari tersebut." in main
    client.post(desk_url(published_meeting, later_day), {"code": budi.code, "override": "1"})
    assert attendance_rows() == []


def test_walk_in_before_the_day_is_refused(client, organizer, published_meeting, later_day):
    client.force_login(organizer)
    response = client.post(walk_in_url(published_meeting, later_day), WALK_IN)
    assert response.status_code == 200
    assert Registration.objects.count() == 0


# Mode mismatch ---------------------------------------------------------------------------------


def test_online_registrant_at_the_desk_is_checked_in_with_a_warning(
    en_client, organizer, published_meeting, day
):
    online = sign_up(published_meeting, "Dewi Daring", "dewi@example.test", mode="online")
    en_client.force_login(organizer)
    response = en_client.post(desk_url(published_meeting, day), {"code": online.code}, follow=True)
    assert attendance_rows() == [(online.pk, day.pk, "onsite", organizer.pk)]
    result = response.context["result"]
    assert (result.level, result.kind, result.message) == (
        "warning",
        "mode_mismatch",
        "Dewi Daring registered to attend online and is now checked in on-site. "
        "Undo if they will follow online instead.",
    )
    assert 'data-result="mode_mismatch"' in response.content.decode()


def test_desk_says_not_yet_arrived_during_the_day(client, organizer, published_meeting, day, budi):
    client.force_login(organizer)
    page = client.get(desk_url(published_meeting, day)).content.decode()
    assert "belum datang" in page
