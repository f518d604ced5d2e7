"""Public registration through the real stack: the form, its refusals, the neutral answer, the box."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingEmail
from meetings.models import Meeting
from participants.models import Registration
from participants.services import registration as reg
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "FGD Pengawasan P3MI"
SENT_EN = "We have sent an email to budi@example.test."


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    # The local-memory cache outlives a test; rate counts must not leak between tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_meeting(published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=2, capacity_online=5)
    published_meeting.refresh_from_db()
    return published_meeting


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def register_url(meeting):
    return reverse("participants:register", kwargs={"code": meeting.code})


def sent_url(meeting):
    return reverse("participants:register_sent", kwargs={"code": meeting.code})


def form_data(**overrides):
    data = {
        "full_name": "Budi Santoso",
        "position": "Analis Kebijakan",
        "organization_name": "Kementerian Luar Negeri",
        "email": "Budi@Example.TEST",
        "phone": "0812-3456-7890",
        "mode": "onsite",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def sign_up(meeting, n, mode="onsite", **extra):
    return reg.register(
        meeting, full_name=f"Peserta {n}", email=f"p{n}@example.test", mode=mode, consent=True, **extra
    ).registration


def without_csrf(body: str) -> str:
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", body)


# The form page


def test_register_page_of_open_meeting_shows_the_form(client, open_meeting):
    response = english(client).get(register_url(open_meeting))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    for name in (
        "full_name",
        "position",
        "organization_name",
        "email",
        "phone",
        "mode",
        "consent",
        "public_listing",
        "website",
    ):
        assert f'name="{name}"' in body
    assert re.findall(r'name="mode" value="(\w+)"', body) == ["onsite", "online"]
    assert '<a href="/privacy/" target="_blank" rel="noopener">privacy notice</a>' in body
    assert '<datalist id="organization-suggestions"></datalist>' in body
    assert 'hx-get="/register/organizations/"' in body
    # The honeypot is out of sight, out of the tab order and hidden from screen readers.
    assert re.search(r'<div aria-hidden="true" class="honeypot">', body)
    assert re.search(r'<input type="text" name="website" tabindex="-1" autocomplete="off"', body)


def test_register_page_of_single_mode_meeting_offers_and_preselects_that_mode(client, open_meeting):
    Meeting.objects.filter(pk=open_meeting.pk).update(mode=Meeting.Mode.ONLINE)
    body = english(client).get(register_url(open_meeting)).content.decode()
    assert re.findall(r'<input type="radio" name="mode" value="(\w+)"[^>]*>', body) == ["online"]
    assert re.search(r'<input type="radio" name="mode" value="online"[^>]*checked', body)


def test_register_page_says_which_mode_is_full(client, open_meeting):
    sign_up(open_meeting, 0)
    sign_up(open_meeting, 1)

    body = english(client).get(register_url(open_meeting)).content.decode()

    labels = re.findall(r'<label class="form-check-label" for="id_mode_\d">([^<]+)</label>', body)
    assert labels == ["On-site — all seats are taken: you join the waiting list", "Online"]


def test_register_page_of_draft_is_404_and_post_creates_nothing(client, meeting, organizer):
    assert client.get(register_url(meeting)).status_code == 404
    assert client.post(register_url(meeting), form_data()).status_code == 404
    client.force_login(organizer)
    assert client.get(register_url(meeting)).status_code == 404
    assert Registration.objects.count() == 0


def test_register_page_of_unknown_meeting_is_404(client, db):
    assert client.get(reverse("participants:register", kwargs={"code": "zzzzzzzz"})).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Meeting.Status.CANCELLED}, "This meeting has been cancelled."),
        ({"status": Meeting.Status.CLOSED}, "Registration is not open for this meeting."),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "Registration has closed."),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "Registration has not opened yet."),
    ],
)
def test_register_page_outside_the_window_shows_why_and_post_creates_nothing(
    client, open_meeting, change, message
):
    Meeting.objects.filter(pk=open_meeting.pk).update(**change)
    english(client)
    response = client.get(register_url(open_meeting))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<div class="alert alert-warning" role="alert" id="registration-closed">{message}</div>' in body
    assert 'id="registration-form"' not in body
    response = client.post(register_url(open_meeting), form_data())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Registration.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_register_page_after_the_last_day_shows_the_meeting_has_ended(client, open_meeting):
    open_meeting.days.all().delete()
    from tests.factories import MeetingDayFactory

    MeetingDayFactory(meeting=open_meeting, date=timezone.localdate() - timedelta(days=2))
    body = english(client).get(register_url(open_meeting)).content.decode()
    assert "This meeting has ended." in body
    assert 'id="registration-form"' not in body


# Registering


def test_valid_registration_creates_one_confirmed_registration_and_emails_the_code(
    client, open_meeting, run_tasks
):
    english(client)
    response = client.post(register_url(open_meeting), form_data(public_listing="on"))
    assert response.status_code == 302
    assert response.url == sent_url(open_meeting)
    registration = Registration.objects.get()
    assert (
        registration.full_name,
        registration.position,
        registration.organization_name,
        registration.email,
        registration.phone,
        registration.mode,
        registration.state,
        registration.source,
        registration.language,
        registration.public_listing,
        registration.user,
    ) == (
        "Budi Santoso",
        "Analis Kebijakan",
        "Kementerian Luar Negeri",
        "budi@example.test",
        "+6281234567890",
        "onsite",
        "confirmed",
        "public",
        "en",
        True,
        None,
    )
    assert registration.consent_at is not None
    # The address is on the sent page, never in its URL.
    assert "budi" not in response.url
    page = client.get(response.url)
    assert page["Cache-Control"] == "private, no-store"
    assert f'<p class="lead" id="sent-message">{SENT_EN}</p>' in page.content.decode()

    assert run_tasks() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi@example.test"]
    assert message.subject == f"Registration confirmed: {TITLE}"
    assert "Dear Budi Santoso,\n\nYour registration is confirmed.\n" in message.body
    assert f"Registration code: {registration.code}\n" in message.body


def test_registration_in_indonesian_is_stored_and_emailed_in_indonesian(client, open_meeting, run_tasks):
    response = client.post(register_url(open_meeting), form_data())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.language == "id"
    run_tasks()
    body = mail.outbox[0].body
    assert registration.code in body
    assert "Tempat: Gedung BP2MI\n" in body


def test_registration_matches_the_directory_organization_by_acronym(client, open_meeting):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    client.post(register_url(open_meeting), form_data(organization_name="  kemlu "))
    registration = Registration.objects.get()
    assert (registration.organization, registration.organization_name) == (kemlu, "")


def test_duplicate_email_creates_nothing_answers_the_same_and_emails_already_registered(
    client, open_meeting, run_tasks
):
    english(client)
    first = client.post(register_url(open_meeting), form_data(), follow=True)
    second = client.post(
        register_url(open_meeting),
        form_data(full_name="Orang Lain", email="BUDI@example.test", mode="online"),
        follow=True,
    )
    assert second.redirect_chain == [(sent_url(open_meeting), 302)]
    assert without_csrf(second.content.decode()) == without_csrf(first.content.decode())
    assert SENT_EN in second.content.decode()
    registration = Registration.objects.get()
    assert (registration.full_name, registration.mode, registration.state) == (
        "Budi Santoso",
        "onsite",
        "confirmed",
    )
    assert run_tasks() == 2
    assert [m.to for m in mail.outbox] == [["budi@example.test"], ["budi@example.test"]]
    assert (
        "Someone (probably you) tried to register this email address again. "
        "You are already registered; nothing has changed." in mail.outbox[1].body
    )


def test_registration_for_a_full_mode_goes_on_the_waiting_list_and_answers_the_same(
    client, open_meeting, run_tasks
):
    sign_up(open_meeting, 0)
    sign_up(open_meeting, 1)
    english(client)
    response = client.post(register_url(open_meeting), form_data(), follow=True)
    assert SENT_EN in response.content.decode()
    registration = Registration.objects.get(email="budi@example.test")
    assert registration.state == "waitlisted"
    run_tasks()
    assert mail.outbox[-1].subject == f"On the waiting list: {TITLE}"
    assert (
        "All on-site seats are taken, so you are on the waiting list. "
        "We will email you as soon as a seat becomes free." in mail.outbox[-1].body
    )


def test_registration_with_moderation_is_pending(client, open_meeting, run_tasks):
    Meeting.objects.filter(pk=open_meeting.pk).update(moderation=True)
    english(client)
    response = client.post(register_url(open_meeting), form_data(), follow=True)
    assert SENT_EN in response.content.decode()
    assert Registration.objects.get().state == "pending"
    run_tasks()
    assert mail.outbox[0].subject == f"Registration received, awaiting approval: {TITLE}"


def test_declined_person_registering_again_stays_declined(client, open_meeting, run_tasks):
    declined = reg.decline(sign_up(open_meeting, 0), actor=None)
    english(client)
    client.post(register_url(open_meeting), form_data(email="P0@example.test"))
    declined.refresh_from_db()
    assert Registration.objects.count() == 1
    assert declined.state == "declined"
    run_tasks()
    assert (
        "Penyelenggara telah menolak pendaftaran Anda sebelumnya; tidak ada yang berubah."
        in mail.outbox[-1].body
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"phone": "12345"},
            "phone",
            "Enter an Indonesian mobile number, for example 0812 3456 7890 or +62 812 3456 7890.",
        ),
        (
            {"phone": "021 5790 1234"},
            "phone",
            "Please give a mobile number (it starts with 08 or +62 8), not a landline.",
        ),
        (
            {"phone": "0812 345"},
            "phone",
            "This number is too short or too long for an Indonesian mobile number.",
        ),
        ({"phone": None}, "phone", "This field is required."),
        ({"email": "budi@"}, "email", "Enter a valid email address."),
        ({"consent": None}, "consent", "Please agree to the processing of your personal data."),
        ({"mode": None}, "mode", "Choose how you will attend."),
        ({"full_name": "  "}, "full_name", "This field is required."),
        ({"organization_name": None}, "organization_name", "This field is required."),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_creates_nothing(
    client, open_meeting, overrides, field, message
):
    response = english(client).post(register_url(open_meeting), form_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    body = response.content.decode()
    assert f'<div id="id_{field}_errors"><div class="invalid-feedback d-block">{message}</div></div>' in body
    assert Registration.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_mode_not_offered_by_the_meeting_is_refused_next_to_the_field(client, open_meeting):
    Meeting.objects.filter(pk=open_meeting.pk).update(mode=Meeting.Mode.ONSITE)
    response = english(client).post(register_url(open_meeting), form_data(mode="online"))
    assert response.context["form"].errors == {"mode": ["This meeting has no such attendance mode."]}
    assert Registration.objects.count() == 0


def test_filled_honeypot_pretends_success_and_creates_nothing(client, open_meeting, run_tasks):
    english(client)
    response = client.post(register_url(open_meeting), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response.url == sent_url(open_meeting)
    assert SENT_EN in client.get(response.url).content.decode()
    assert Registration.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert run_tasks() == 0


def test_rate_limit_answers_429_above_the_limit_and_creates_nothing(client, open_meeting, settings):
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 2
    english(client)
    statuses = [
        client.post(register_url(open_meeting), form_data(email=f"p{n}@example.test")).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "p0@example.test",
        "p1@example.test",
    ]
    # A forged X-Forwarded-For does not make a new client.
    response = client.post(
        register_url(open_meeting), form_data(email="p9@example.test"), HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Please wait a minute and try again." in response.content.decode()
    assert Registration.objects.count() == 2
    # Another address has its own count.
    response = client.post(
        register_url(open_meeting), form_data(email="p3@example.test"), REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 3


def test_rate_limit_page_is_in_indonesian_by_default(client, open_meeting, settings):
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 1
    client.post(register_url(open_meeting), form_data(email="p0@example.test"))
    response = client.post(register_url(open_meeting), form_data(email="p1@example.test"))
    assert response.status_code == 429
    assert '<html lang="id">' in response.content.decode()
    assert Registration.objects.count() == 1


def test_logged_in_user_gets_the_form_prefilled_and_linked(client, open_meeting):
    user = UserFactory(email="lismia@bp2mi.example", full_name="Lismia Elita", position="Kepala Bagian")
    client.force_login(user)
    response = client.get(register_url(open_meeting))
    assert response.context["form"].initial == {
        "full_name": "Lismia Elita",
        "email": "lismia@bp2mi.example",
        "position": "Kepala Bagian",
    }
    body = response.content.decode()
    assert 'value="lismia@bp2mi.example"' in body
    assert 'value="Kepala Bagian"' in body
    client.post(register_url(open_meeting), form_data(email="lismia@bp2mi.example"))
    assert Registration.objects.get().user == user


def test_sent_page_without_a_registration_in_the_session_is_generic(client, open_meeting):
    body = english(client).get(sent_url(open_meeting)).content.decode()
    assert '<p class="lead" id="sent-message">We have sent an email to the address you gave.</p>' in body


def test_organization_suggestions_match_name_or_acronym_up_to_ten(client, db):
    OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    for n in range(12):
        OrganizationFactory(name=f"UPT Wilayah {n:02d}", acronym="")
    url = reverse("participants:organization_suggestions")
    body = client.get(url, {"q": "kemlu"}).content.decode()
    assert re.findall(r'<option value="([^"]*)">([^<]*)</option>', body) == [
        ("Kementerian Luar Negeri", "Kemlu")
    ]
    assert len(re.findall("<option", client.get(url, {"q": "UPT"}).content.decode())) == 10
    assert "<option" not in client.get(url, {"q": "U"}).content.decode()
    # htmx sends the input's own name.
    body = client.get(url, {"organization_name": "bp2"}).content.decode()
    assert re.findall(r'<option value="([^"]*)">', body) == ["Badan Pelindungan Pekerja Migran Indonesia"]


def test_privacy_page_in_both_languages(client, db, settings):
    settings.SINERGI_PURGE_AFTER_DAYS = 180
    response = english(client).get(reverse("participants:privacy"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Personal Data Protection Law (Law No. 27 of 2022, UU PDP)" in body
    assert "Your personal data is deleted 180 days after the meeting is closed" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert '<html lang="id">' in client.get(reverse("participants:privacy")).content.decode()


# The public page's registration box


def test_public_page_has_a_register_button_and_counts_when_open(client, open_meeting):
    sign_up(open_meeting, 0)
    sign_up(open_meeting, 1, mode="online")
    sign_up(open_meeting, 2, mode="online")
    reg.cancel(sign_up(open_meeting, 3, mode="online"))
    body = english(client).get(open_meeting.urls.public).content.decode()
    assert f'href="{register_url(open_meeting)}" id="register-button">Register</a>' in body
    counts = re.search(r'<ul class="list-unstyled mb-2" id="seat-counts">(.*?)</ul>', body, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", counts).split()) == (
        "On-site: 1 / 2 confirmed (1 seat left) Online: 2 / 5 confirmed (3 seats left)"
    )
    assert 'id="waiting-list-note"' not in body


def test_public_page_of_full_meeting_shows_full_and_the_waiting_list_note(client, open_meeting):
    sign_up(open_meeting, 0)
    sign_up(open_meeting, 1)
    sign_up(open_meeting, 2)  # waiting
    body = english(client).get(open_meeting.urls.public).content.decode()
    assert "2 / 2 confirmed" in body
    assert '<span class="text-danger">full</span>' in body
    assert 'id="waiting-list-note"' in body
    assert 'id="register-button"' in body


def test_public_page_shows_why_registration_is_closed_instead_of_the_button(client, open_meeting):
    Meeting.objects.filter(pk=open_meeting.pk).update(
        registration_closes_at=timezone.now() - timedelta(hours=1)
    )
    body = english(client).get(open_meeting.urls.public).content.decode()
    assert (
        '<p class="card-text" role="status" id="registration-closed-reason">Registration has closed.</p>'
        in body
    )
    assert 'id="register-button"' not in body


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CLOSED])
def test_public_page_of_a_past_meeting_shows_no_seats_left(client, open_meeting, status):
    sign_up(open_meeting, 0)
    sign_up(open_meeting, 1, mode="online")
    Meeting.objects.filter(pk=open_meeting.pk).update(status=status)

    body = english(client).get(open_meeting.urls.public).content.decode()

    counts = re.search(r'<ul class="list-unstyled mb-2" id="seat-counts">(.*?)</ul>', body, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", counts).split()) == "On-site: 1 confirmed Online: 1 confirmed"
    assert "left" not in counts


def test_public_page_lists_only_confirmed_people_who_opted_in_and_never_emails(client, open_meeting):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    sign_up(open_meeting, 0, public_listing=True, organization=kemlu)
    reg.register(
        open_meeting,
        full_name="Zulkarnaen Tersembunyi",
        email="hidden@example.test",
        mode="online",
        consent=True,
        organization_name="Instansi Rahasia",
    )
    sign_up(open_meeting, 2, mode="online", public_listing=True, organization_name="Dinas Baru")
    reg.cancel(sign_up(open_meeting, 3, mode="online", public_listing=True))
    assert Registration.objects.filter(full_name="Zulkarnaen Tersembunyi", public_listing=False).exists()
    body = english(client).get(open_meeting.urls.public).content.decode()
    listed = re.search(r'<ul class="small mb-0" id="public-participants">(.*?)</ul>', body, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == ["Peserta 0 — Kemlu", "Peserta 2 — Dinas Baru"]
    assert "Zulkarnaen" not in body
    assert "Instansi Rahasia" not in body
    assert "Peserta 3" not in body
    assert "@example.test" not in body


def test_public_page_of_cancelled_meeting_shows_no_button_counts_or_names(client, open_meeting):
    sign_up(open_meeting, 0, public_listing=True)
    Meeting.objects.filter(pk=open_meeting.pk).update(status=Meeting.Status.CANCELLED)
    body = english(client).get(open_meeting.urls.public).content.decode()
    assert 'id="registration-closed-reason">This meeting has been cancelled.</p>' in body
    assert 'id="seat-counts"' not in body
    assert "Peserta 0" not in body


def test_public_page_box_runs_a_fixed_number_of_queries(client, open_meeting):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(open_meeting.urls.public).status_code == 200
        return len(ctx.captured_queries)

    sign_up(open_meeting, 0, public_listing=True)
    few = queries()
    Meeting.objects.filter(pk=open_meeting.pk).update(capacity_onsite=None, capacity_online=None)
    for n in range(1, 40):
        sign_up(open_meeting, n, mode="onsite" if n % 2 else "online", public_listing=True)
    many = queries()
    assert few == many


def statements(ctx) -> list[str]:
    """The captured statements as "VERB table" (savepoints of the test's transaction left out)."""
    found = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            continue
        verb = sql.split()[0]
        # INSERT INTO "table"; SELECT "table"."column" (or an aggregate of one) first
        table = re.search(r'INTO "(\w+)"|"(\w+)"\."', sql).group(1, 2)
        table = table[0] or table[1]
        found.append(f"{verb} {table}")
    return found


def test_a_registration_takes_its_seat_in_few_statements(client, open_meeting):
    """A burst of registrations waits on the meeting's lock: each one's statements are few, and
    those under the lock fewer (the directory match and the room come with the lock's query)."""
    Meeting.objects.filter(pk=open_meeting.pk).update(capacity_onsite=100)
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    assert client.post(register_url(open_meeting), form_data(email="first@example.test")).status_code == 302

    with CaptureQueriesContext(connection) as ctx:
        response = client.post(register_url(open_meeting), form_data(email="second@example.test"))

    assert response.status_code == 302
    assert statements(ctx) == [
        "SELECT meetings_meeting",  # the public page's meeting
        "SELECT meetings_meeting",  # locked, with its room and the organization's match
        "SELECT participants_registration",  # the email registered already? the seats taken
        "INSERT participants_registration",
        "INSERT core_auditentry",
        "INSERT core_outgoingemail",
        "INSERT django_tasks_database_dbtaskresult",
        "SELECT django_tasks_database_dbtaskresult",  # a sweep waiting? (then known for a while)
    ]
    second = Registration.objects.get(email="second@example.test")
    assert (second.state, second.organization, second.organization_name) == ("confirmed", kemlu, "")

    with CaptureQueriesContext(connection) as ctx:
        client.post(register_url(open_meeting), form_data(email="third@example.test", mode="online"))
    assert statements(ctx)[-1] == "INSERT django_tasks_database_dbtaskresult"
    assert len(statements(ctx)) == 7
