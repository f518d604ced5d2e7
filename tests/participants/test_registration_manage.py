"""The person's private registration page: see, switch mode, cancel, list publicly, get the data, renew."""

import base64
import json
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.models import AuditEntry, OutgoingEmail
from meetings.models import Meeting
from participants.models import Attendance, Registration
from participants.notifications import qr_png
from participants.services import registration as reg
from tests.factories import OnlineRoomFactory, OrganizationFactory
from tests.participants.test_public_registration import without_csrf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_meeting(published_meeting):
    Meeting.objects.filter(pk=published_meeting.pk).update(capacity_onsite=1, capacity_online=1)
    published_meeting.refresh_from_db()
    return published_meeting


@pytest.fixture
def budi(open_meeting):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu", timezone="Asia/Makassar")
    return reg.register(
        open_meeting,
        full_name="Budi Santoso",
        position="Analis Kebijakan",
        organization=kemlu,
        email="budi@example.test",
        phone="+6281234567890",
        mode="onsite",
        language="en",
        consent=True,
    ).registration


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_up(meeting, n, mode="onsite"):
    return reg.register(
        meeting, full_name=f"Peserta {n}", email=f"p{n}@example.test", mode=mode, consent=True
    ).registration


def url(registration):
    registration.refresh_from_db()
    return registration.urls.private


def test_private_page_shows_the_registration(client, budi):
    response = english(client).get(url(budi))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    body = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert f'<strong class="fs-5 registration-code" id="registration-code">{budi.code}</strong>' in body
    for text in (
        "Budi Santoso",
        "Analis Kebijakan",
        "Kementerian Luar Negeri",
        "budi@example.test",
        "+6281234567890",
    ):
        assert text in body
    # The days in the meeting's zone and in the organization's zone.
    assert (
        'Monday, 22 September 2031</span>, <span class="agenda-time">09:00–15:00 WIB / 10:00–16:00 WITA'
        in body
    )
    assert "<strong>Confirmed</strong> · On-site" in body
    qr = base64.b64encode(qr_png(budi.code)).decode()
    assert f'<img src="data:image/png;base64,{qr}"' in body


def test_private_page_of_waiting_person_has_no_code_or_qr(client, open_meeting, budi):
    waiting = sign_up(open_meeting, 1)
    assert waiting.state == "waitlisted"
    body = english(client).get(url(waiting)).content.decode()
    assert "<strong>Waiting list</strong> · On-site" in body
    assert 'id="registration-code"' not in body
    assert "data:image/png" not in body


def test_private_page_gives_a_private_room_s_link_to_confirmed_online_people_only(client, open_meeting, budi):
    OnlineRoomFactory(meeting=open_meeting, join_url="https://zoom.example.test/j/7070", passcode="rahasia5")
    online = sign_up(open_meeting, 1, mode="online")
    waiting_online = sign_up(open_meeting, 2, mode="online")
    assert [(r.state, r.mode) for r in (budi, online, waiting_online)] == [
        ("confirmed", "onsite"),
        ("confirmed", "online"),
        ("waitlisted", "online"),
    ]

    pages = {r.email: english(client).get(url(r)).content.decode() for r in (budi, online, waiting_online)}

    assert '<a href="https://zoom.example.test/j/7070" rel="noopener noreferrer">' in pages[online.email]
    assert "(passcode rahasia5)" in pages[online.email]
    for email in (budi.email, waiting_online.email):
        assert "j/7070" not in pages[email]
        assert "rahasia5" not in pages[email]


def test_private_page_of_waiting_people_shows_their_place_in_line(client, open_meeting, budi):
    first = sign_up(open_meeting, 1)
    online = sign_up(open_meeting, 2, mode="online")
    online_waiting = sign_up(open_meeting, 3, mode="online")
    second = sign_up(open_meeting, 4)
    assert [r.state for r in (first, online, online_waiting, second)] == [
        "waitlisted",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]

    def place(registration):
        body = english(client).get(url(registration)).content.decode()
        found = re.search(r'<div class="fw-semibold mt-1" id="waiting-position">([^<]+)</div>', body)
        return found and found.group(1)

    assert place(first) == "You are number 1 on the waiting list for on-site attendance."
    assert place(second) == "You are number 2 on the waiting list for on-site attendance."
    assert place(online_waiting) == "You are number 1 on the waiting list for online attendance."
    assert place(budi) is None
    reg.cancel(first)
    assert place(second) == "You are number 1 on the waiting list for on-site attendance."


def test_private_page_after_switching_online_says_no_desk_and_shows_no_qr(client, budi):
    english(client).post(url(budi), {"action": "mode", "mode": "online"})
    budi.refresh_from_db()
    assert (budi.state, budi.mode) == ("confirmed", "online")

    body = client.get(url(budi)).content.decode()

    assert "<strong>Confirmed</strong> · Online" in body
    assert (
        "You have a seat online. Join with the link below when the meeting starts; you need no QR code."
        in body
    )
    assert "registration desk" not in body
    assert "data:image/png" not in body


def test_cancelled_registration_offers_no_public_listing_and_refuses_it(client, budi):
    reg.cancel(budi)

    body = english(client).get(url(budi)).content.decode()
    response = client.post(url(budi), {"action": "listing", "listed": "on"}, follow=True)

    assert 'id="public-listing"' not in body
    assert "Show my name on the public list" not in body
    assert "This registration is no longer active." in response.content.decode()
    budi.refresh_from_db()
    assert budi.public_listing is False


def test_person_corrects_their_name_position_and_phone(client, budi):
    form = english(client).get(url(budi)).content.decode()
    assert 'id="correct-details"' in form
    assert 'name="email"' not in form

    response = client.post(
        url(budi),
        {
            "action": "details",
            "full_name": "  Budi   Santoso Wibowo ",
            "position": "Analis Kebijakan Ahli Muda",
            "phone": "0813 1111 2222",
            "email": "someone-else@example.test",
        },
        follow=True,
    )

    assert "Your details have been corrected." in response.content.decode()
    budi.refresh_from_db()
    assert (budi.full_name, budi.position, budi.phone, budi.email) == (
        "Budi Santoso Wibowo",
        "Analis Kebijakan Ahli Muda",
        "+6281311112222",
        "budi@example.test",
    )
    entry = AuditEntry.objects.filter(action="registration.details_corrected").get()
    assert entry.data == {
        "changes": {
            "full_name": ["Budi Santoso", "Budi Santoso Wibowo"],
            "position": ["Analis Kebijakan", "Analis Kebijakan Ahli Muda"],
            "phone": ["+6281234567890", "+6281311112222"],
        }
    }
    assert entry.actor is None
    assert audit.describe(entry) == (
        f"Budi Santoso Wibowo ({budi.code}) corrected their details: the name from “Budi Santoso” to “Budi Santoso "
        "Wibowo”; the position (jabatan) from “Analis Kebijakan” to “Analis Kebijakan Ahli Muda”; the mobile "
        "phone from “+6281234567890” to “+6281311112222”"
    )


def test_bad_correction_is_shown_next_to_the_field_and_changes_nothing(client, budi):
    response = english(client).post(
        url(budi), {"action": "details", "full_name": " ", "position": "Analis", "phone": "12345"}
    )

    assert response.status_code == 200
    form = response.context["details_form"]
    assert form.errors["full_name"] == ["This field is required."]
    assert form.errors["phone"] == [
        "Enter an Indonesian mobile number, for example 0812 3456 7890 or +62 812 3456 7890."
    ]
    assert 'id="correct-details" open' in response.content.decode()
    budi.refresh_from_db()
    assert (budi.full_name, budi.position, budi.phone) == (
        "Budi Santoso",
        "Analis Kebijakan",
        "+6281234567890",
    )
    assert AuditEntry.objects.filter(action="registration.details_corrected").count() == 0


@pytest.mark.parametrize("case", ["cancelled", "closed", "cancelled meeting"])
def test_correction_is_refused_for_cancelled_registrations_and_closed_meetings(client, budi, case):
    if case == "cancelled":
        reg.cancel(budi)
    else:
        status = Meeting.Status.CLOSED if case == "closed" else Meeting.Status.CANCELLED
        Meeting.objects.filter(pk=budi.meeting_id).update(status=status)

    page = english(client).get(url(budi)).content.decode()
    response = client.post(
        url(budi), {"action": "details", "full_name": "Orang Lain", "position": "", "phone": ""}, follow=True
    )

    assert 'id="correct-details"' not in page
    assert "Your registration cannot be changed." in response.content.decode()
    budi.refresh_from_db()
    assert (budi.full_name, budi.position) == ("Budi Santoso", "Analis Kebijakan")
    with pytest.raises(reg.RegistrationError):
        reg.correct_details(budi, full_name="Orang Lain")
    assert AuditEntry.objects.filter(action="registration.details_corrected").count() == 0


def test_private_page_with_tampered_token_is_404_like_an_unknown_code(client, budi):
    good = url(budi)
    token = good.rstrip("/").rsplit("/", 1)[1]
    tampered = good.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    unknown = reverse("participants:registration_manage", kwargs={"code": "ZZZZZZZZ", "token": token})
    other = sign_up(budi.meeting, 9, mode="online")
    someone_elses = reverse("participants:registration_manage", kwargs={"code": other.code, "token": token})
    responses = [client.get(u) for u in (tampered, unknown, someone_elses)]
    assert [r.status_code for r in responses] == [404, 404, 404]
    # The same page (the styled 404) for all three, but for the per-response CSRF mask.
    assert len({without_csrf(r.content.decode()) for r in responses}) == 1
    assert client.post(tampered, {"action": "cancel"}).status_code == 404
    budi.refresh_from_db()
    assert budi.state == "confirmed"


def test_renewing_the_link_revokes_the_old_one_and_emails_a_new_one(client, budi, run_tasks):
    run_tasks()
    old = url(budi)
    response = english(client).post(old, {"action": "renew"})
    assert response.status_code == 200
    assert "We have sent your new private link to budi@example.test." in response.content.decode()
    new = url(budi)
    assert new != old
    # The new link only goes to the mailbox.
    assert new not in response.content.decode()
    assert client.get(old).status_code == 404
    assert client.post(old, {"action": "cancel"}).status_code == 404
    assert client.get(new).status_code == 200
    run_tasks()
    message = mail.outbox[-1]
    assert message.to == ["budi@example.test"]
    assert message.subject == "Your new registration link: FGD Pengawasan P3MI"
    assert "http://testserver" + new in message.body
    assert old not in message.body


def test_switching_mode_moves_the_seat_and_emails(client, budi, run_tasks):
    response = english(client).post(url(budi), {"action": "mode", "mode": "online"}, follow=True)
    assert response.status_code == 200
    assert "Your attendance has been changed. We have sent you an email." in response.content.decode()
    budi.refresh_from_db()
    assert (budi.mode, budi.state) == ("online", "confirmed")
    run_tasks()
    assert "You now attend online." in mail.outbox[-1].body


def test_switching_to_a_full_mode_is_refused_and_changes_nothing(client, open_meeting, budi):
    sign_up(open_meeting, 1, mode="online")  # takes the only online seat
    emails = OutgoingEmail.objects.count()
    response = english(client).post(url(budi), {"action": "mode", "mode": "online"}, follow=True)
    assert (
        "There is no free seat for online attendance; your registration is unchanged."
        in response.content.decode()
    )
    budi.refresh_from_db()
    assert (budi.mode, budi.state) == ("onsite", "confirmed")
    assert OutgoingEmail.objects.count() == emails


def test_switching_to_a_mode_the_meeting_lacks_is_refused(client, open_meeting, budi):
    Meeting.objects.filter(pk=open_meeting.pk).update(mode=Meeting.Mode.ONSITE)
    response = english(client).post(url(budi), {"action": "mode", "mode": "online"}, follow=True)
    assert "Your registration cannot be changed." in response.content.decode()
    budi.refresh_from_db()
    assert budi.mode == "onsite"


def test_cancel_asks_for_confirmation_first(client, budi):
    page = english(client).get(url(budi)).content.decode()
    assert 'href="?cancel=1"' in page
    assert 'id="cancel-confirmation"' not in page
    confirm = client.get(url(budi) + "?cancel=1").content.decode()
    assert 'id="cancel-confirmation"' in confirm
    assert '<input type="hidden" name="action" value="cancel">' in confirm
    budi.refresh_from_db()
    assert budi.state == "confirmed"


def test_cancelling_promotes_the_first_waiting_person_and_still_shows_the_page(
    client, open_meeting, budi, run_tasks
):
    first_waiting = sign_up(open_meeting, 1)
    second_waiting = sign_up(open_meeting, 2)
    run_tasks()
    mail.outbox.clear()
    response = english(client).post(url(budi), {"action": "cancel"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your registration has been cancelled." in body
    assert "<strong>Cancelled</strong> · On-site" in body
    assert 'href="?cancel=1"' not in body
    states = dict(Registration.objects.values_list("email", "state"))
    assert states == {
        "budi@example.test": "cancelled",
        first_waiting.email: "confirmed",
        second_waiting.email: "waitlisted",
    }
    run_tasks()
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("budi@example.test", "Registration cancelled: FGD Pengawasan P3MI"),
        ("p1@example.test", "Pendaftaran terkonfirmasi: FGD Pengawasan P3MI"),
    ]


def test_cancelled_registration_cannot_be_cancelled_or_switched_again(client, budi):
    reg.cancel(budi)
    english(client).post(url(budi), {"action": "mode", "mode": "online"})
    client.post(url(budi), {"action": "cancel"})
    budi.refresh_from_db()
    assert (budi.state, budi.mode) == ("cancelled", "onsite")


def test_public_listing_opt_in_and_out(client, budi):
    english(client).post(url(budi), {"action": "listing", "listed": "on"})
    budi.refresh_from_db()
    assert budi.public_listing is True
    assert "Budi Santoso — Kemlu" in client.get(budi.meeting.urls.public).content.decode()
    client.post(url(budi), {"action": "listing"})
    budi.refresh_from_db()
    assert budi.public_listing is False
    assert "Budi Santoso" not in client.get(budi.meeting.urls.public).content.decode()


def test_data_download_contains_everything_stored_about_the_person(client, open_meeting, budi):
    day = open_meeting.days.order_by("date").first()
    seen = timezone.now().replace(microsecond=0)
    Attendance.objects.create(registration=budi, day=day, how="onsite", first_seen_at=seen)
    response = client.post(url(budi), {"action": "data"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="sinergi-registration-{budi.code}.json"'
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    budi.refresh_from_db()
    assert data == {
        "meeting": {"code": open_meeting.code, "title": "FGD Pengawasan P3MI"},
        "registration_code": budi.code,
        "full_name": "Budi Santoso",
        "position": "Analis Kebijakan",
        "organization": "Kementerian Luar Negeri",
        "email": "budi@example.test",
        "phone": "+6281234567890",
        "mode": "onsite",
        "state": "confirmed",
        "source": "public",
        "language": "en",
        "public_listing": False,
        "personal_join_url": "",
        "consent_at": budi.consent_at.isoformat(),
        "created_at": budi.created_at.isoformat(),
        "updated_at": budi.updated_at.isoformat(),
        "confirmed_at": budi.confirmed_at.isoformat(),
        "waitlisted_at": None,
        "cancelled_at": None,
        "attendance": [
            {
                "date": "2031-09-22",
                "how": "onsite",
                "first_seen_at": seen.isoformat(),
                "last_left_at": None,
                "minutes": None,
            }
        ],
    }


def test_private_page_posts_need_the_csrf_token(budi):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(budi), {"action": "cancel"}).status_code == 403
    budi.refresh_from_db()
    assert budi.state == "confirmed"


def test_private_page_posts_are_rate_limited(client, budi, settings):
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 1
    assert client.post(url(budi), {"action": "listing", "listed": "on"}).status_code == 302
    assert client.post(url(budi), {"action": "listing"}).status_code == 429
    budi.refresh_from_db()
    assert budi.public_listing is True


def test_private_link_from_the_confirmation_email_opens_the_page(client, open_meeting, run_tasks):
    response = english(client).post(
        reverse("participants:register", kwargs={"code": open_meeting.code}),
        {
            "full_name": "Sari Dewi",
            "organization_name": "Dinas Tenaga Kerja",
            "email": "sari@example.test",
            "phone": "+62 813 1111 2222",
            "mode": "online",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    run_tasks()
    link = re.search(r"http://testserver(/r/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link)
    assert page.status_code == 200
    assert "Sari Dewi" in page.content.decode()
