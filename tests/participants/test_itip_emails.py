"""Registration emails with calendar invitations (iTIP), as a real SMTP server receives them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from meetings import calendar as meeting_calendar
from meetings.models import Meeting, OnlineRoom
from participants.models import Registration
from participants.services import registration as reg
from tests.core.test_mail_calendar import structure
from tests.factories import OnlineRoomFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROOM_URL = "https://zoom.example.test/j/111222333"
INVITATION = ("multipart/alternative", ["text/plain", "text/html", "text/calendar"])
INVITATION_WITH_QR = (
    "multipart/alternative",
    ["text/plain", ("multipart/related", ["text/html", "image/png"]), "text/calendar"],
)


# Helpers shared with test_schedule_change_emails --------------------------------------------------


def messages_to(smtp_server, address: str) -> list:
    return [m["message"] for m in smtp_server.messages if m["to"] == [address]]


def parts(message) -> dict:
    """The text, HTML, calendar part and attached invite.ics of a received message."""
    found = {"text": None, "html": None, "calendar": None, "ics": None}
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            found["text"] = part.get_content().replace("\r\n", "\n")
        elif kind == "text/html":
            found["html"] = part.get_content().replace("\r\n", "\n")
        elif kind == "text/calendar":
            found["calendar"] = part
        elif part.get_filename() == "invite.ics":
            found["ics"] = part.get_payload(decode=True)
    return found


def itip(message) -> Calendar:
    """The calendar of an invitation email; the text/calendar part and invite.ics are the same."""
    found = parts(message)
    data = found["calendar"].get_payload(decode=True)
    assert found["ics"] == data
    parsed = Calendar.from_ical(data)
    assert found["calendar"].get_param("method") == str(parsed["method"])
    return parsed


def events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def public_uids(meeting: Meeting) -> set[str]:
    meeting = meeting_calendar.with_schedule(Meeting.objects.filter(pk=meeting.pk)).get()
    return {str(e["uid"]) for e in Calendar.from_ical(meeting_calendar.meeting_ics(meeting)).walk("VEVENT")}


def attendees(cal: Calendar) -> set[tuple[str, str]]:
    return {(str(e["attendee"]), str(e["attendee"].params["CN"])) for e in events(cal)}


def sign_up(meeting, name, email, mode="onsite", **extra) -> Registration:
    return reg.register(meeting, full_name=name, email=email, mode=mode, consent=True, **extra).registration


# Fixtures -------------------------------------------------------------------------------------------


@pytest.fixture
def fgd(published_meeting):
    OnlineRoomFactory(meeting=published_meeting, join_url=ROOM_URL, passcode="fgd2031")
    return published_meeting


# Confirmation ---------------------------------------------------------------------------------------


def test_confirmation_carries_request_with_the_person_as_attendee(fgd, smtp_server, run_tasks):
    registration = sign_up(fgd, "Siti Rahmawati", "siti@example.test")
    run_tasks()

    [message] = messages_to(smtp_server, "siti@example.test")
    assert structure(message) == ("multipart/mixed", [INVITATION_WITH_QR, "application/ics"])
    cal = itip(message)
    assert str(cal["method"]) == "REQUEST"
    assert {str(e["uid"]) for e in events(cal)} == public_uids(fgd)
    assert len(events(cal)) == 2
    assert attendees(cal) == {("mailto:siti@example.test", "Siti Rahmawati")}
    assert {int(e["sequence"]) for e in events(cal)} == {0}
    assert {str(e["status"]) for e in events(cal)} == {"CONFIRMED"}
    assert [e.decoded("dtstart") for e in events(cal)] == [
        datetime(2031, 9, 22, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
        datetime(2031, 9, 23, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
    ]
    text = parts(message)["text"]
    assert registration.code in text
    assert "invite.ics" in text


def test_promoted_person_gets_the_invitation(fgd, smtp_server, run_tasks):
    Meeting.objects.filter(pk=fgd.pk).update(capacity_onsite=1)
    first = sign_up(fgd, "Peserta Satu", "satu@example.test")
    sign_up(fgd, "Peserta Dua", "dua@example.test")
    reg.cancel(first)
    run_tasks()

    waiting, promoted = messages_to(smtp_server, "dua@example.test")
    assert structure(waiting) == ("multipart/alternative", ["text/plain", "text/html"])
    assert structure(promoted) == ("multipart/mixed", [INVITATION_WITH_QR, "application/ics"])
    cal = itip(promoted)
    assert (str(cal["method"]), attendees(cal)) == ("REQUEST", {("mailto:dua@example.test", "Peserta Dua")})


def test_mode_change_and_repeated_registration_resend_the_invitation(fgd, smtp_server, run_tasks):
    registration = sign_up(fgd, "Siti Rahmawati", "siti@example.test")
    reg.change_mode(registration, "online")
    again = reg.register(fgd, full_name="Siti", email="siti@example.test", mode="onsite", consent=True)
    assert again.result == "existing"
    run_tasks()

    messages = messages_to(smtp_server, "siti@example.test")
    assert len(messages) == 3
    for message in messages:
        assert structure(message) == ("multipart/mixed", [INVITATION_WITH_QR, "application/ics"])
        cal = itip(message)
        assert (str(cal["method"]), attendees(cal)) == (
            "REQUEST",
            {("mailto:siti@example.test", "Siti Rahmawati")},
        )
        assert {str(e["conference"]) for e in events(cal)} == {ROOM_URL}


def test_pending_and_waitlisted_people_get_no_calendar(fgd, smtp_server, run_tasks):
    Meeting.objects.filter(pk=fgd.pk).update(capacity_onsite=1)
    sign_up(fgd, "Peserta Satu", "satu@example.test")
    sign_up(fgd, "Peserta Dua", "dua@example.test")
    Meeting.objects.filter(pk=fgd.pk).update(moderation=True)
    sign_up(fgd, "Peserta Tiga", "tiga@example.test", mode="online")
    run_tasks()

    assert Registration.objects.get(email="dua@example.test").state == "waitlisted"
    assert Registration.objects.get(email="tiga@example.test").state == "pending"
    for address in ("dua@example.test", "tiga@example.test"):
        [message] = messages_to(smtp_server, address)
        assert structure(message) == ("multipart/alternative", ["text/plain", "text/html"])


def test_registration_for_a_draft_meeting_has_no_calendar(meeting, smtp_server, run_tasks):
    sign_up(meeting, "Peserta Draf", "draf@example.test", check_window=False)
    run_tasks()
    [message] = messages_to(smtp_server, "draf@example.test")
    assert Registration.objects.get().state == "confirmed"
    assert structure(message) == (
        "multipart/related",
        [("multipart/alternative", ["text/plain", "text/html"]), "image/png"],
    )


# Personal join links ----------------------------------------------------------------------------------


def test_personal_join_link_appears_only_in_that_persons_invitation(fgd, smtp_server, run_tasks):
    links = {
        "ani@example.test": "https://zoom.example.test/w/111?tk=ANI-SECRET",
        "budi@example.test": "https://zoom.example.test/w/111?tk=BUDI-SECRET",
    }
    for address in links:
        sign_up(fgd, address.split("@")[0].title(), address, mode="online")
    sign_up(fgd, "Citra", "citra@example.test", mode="online")
    for address, url in links.items():
        Registration.objects.filter(email=address).update(personal_join_url=url)
    run_tasks()

    for address, own in links.items():
        [message] = messages_to(smtp_server, address)
        other = next(url for a, url in links.items() if a != address)
        found = parts(message)
        calendar_text = found["calendar"].get_payload(decode=True).decode()
        for content in (found["text"], found["html"], calendar_text.replace("\r\n ", "")):
            assert own in content
            assert other not in content
            assert ROOM_URL not in content
        cal = itip(message)
        assert {str(e["conference"]) for e in events(cal)} == {own}

    [message] = messages_to(smtp_server, "citra@example.test")
    cal = itip(message)
    assert {str(e["conference"]) for e in events(cal)} == {ROOM_URL}
    for secret in links.values():
        assert secret not in str(message)
    public = meeting_calendar.meeting_ics(
        meeting_calendar.with_schedule(Meeting.objects.filter(pk=fgd.pk)).get()
    )
    assert b"SECRET" not in public


# A private room's link -------------------------------------------------------------------------------


def test_private_room_link_reaches_confirmed_online_registrants_only(fgd, smtp_server, run_tasks):
    assert fgd.online_room.open_to_public is False
    Meeting.objects.filter(pk=fgd.pk).update(capacity_online=1)
    sign_up(fgd, "Daring Satu", "daring@example.test", mode="online")
    sign_up(fgd, "Daring Dua", "menunggu@example.test", mode="online")
    sign_up(fgd, "Luring", "luring@example.test")
    Meeting.objects.filter(pk=fgd.pk).update(moderation=True)
    sign_up(fgd, "Tertunda", "tertunda@example.test", mode="online")
    run_tasks()
    assert dict(Registration.objects.values_list("email", "state")) == {
        "daring@example.test": "confirmed",
        "menunggu@example.test": "waitlisted",
        "luring@example.test": "confirmed",
        "tertunda@example.test": "pending",
    }

    [online] = messages_to(smtp_server, "daring@example.test")
    assert {str(e["conference"]) for e in events(itip(online))} == {ROOM_URL}
    assert f"{ROOM_URL} (kode sandi fgd2031)" in parts(online)["text"]
    [onsite] = messages_to(smtp_server, "luring@example.test")
    assert [e.get("conference") for e in events(itip(onsite))] == [None, None]
    for address in ("luring@example.test", "menunggu@example.test", "tertunda@example.test"):
        [message] = messages_to(smtp_server, address)
        assert "111222333" not in str(message)
        assert "fgd2031" not in str(message)


def test_public_room_link_is_in_every_confirmed_invitation(fgd, smtp_server, run_tasks):
    OnlineRoom.objects.filter(meeting=fgd).update(open_to_public=True)
    sign_up(fgd, "Luring", "luring@example.test")
    run_tasks()

    [onsite] = messages_to(smtp_server, "luring@example.test")
    assert {str(e["conference"]) for e in events(itip(onsite))} == {ROOM_URL}


# Losing the seat ------------------------------------------------------------------------------------


def test_person_who_cancels_gets_cancel_for_their_copy(fgd, smtp_server, run_tasks):
    registration = sign_up(fgd, "Siti Rahmawati", "siti@example.test", mode="online")
    Registration.objects.filter(pk=registration.pk).update(
        personal_join_url="https://zoom.example.test/w/1?tk=S"
    )
    run_tasks()
    Meeting.objects.filter(pk=fgd.pk).update(calendar_sequence=4)
    reg.cancel(registration)
    run_tasks()

    confirmation, cancellation = messages_to(smtp_server, "siti@example.test")
    assert structure(cancellation) == ("multipart/mixed", [INVITATION, "application/ics"])
    cal = itip(cancellation)
    assert str(cal["method"]) == "CANCEL"
    assert {str(e["uid"]) for e in events(cal)} == public_uids(fgd)
    assert {int(e["sequence"]) for e in events(cal)} == {4}
    assert {str(e["status"]) for e in events(cal)} == {"CANCELLED"}
    assert attendees(cal) == {("mailto:siti@example.test", "Siti Rahmawati")}
    assert [e.get("conference") for e in events(cal)] == [None, None]
    assert "tk=S" not in str(cancellation)
    assert {str(e["uid"]) for e in events(itip(confirmation))} == {str(e["uid"]) for e in events(cal)}


def test_person_declined_after_confirmation_gets_cancel(fgd, organizer, smtp_server, run_tasks):
    registration = sign_up(fgd, "Budi Santoso", "budi@example.test")
    run_tasks()
    reg.decline(registration, actor=organizer)
    run_tasks()

    _confirmation, declined = messages_to(smtp_server, "budi@example.test")
    cal = itip(declined)
    assert (str(cal["method"]), attendees(cal)) == ("CANCEL", {("mailto:budi@example.test", "Budi Santoso")})


def test_person_declined_while_pending_gets_no_calendar(fgd, organizer, smtp_server, run_tasks):
    Meeting.objects.filter(pk=fgd.pk).update(moderation=True)
    registration = sign_up(fgd, "Budi Santoso", "budi@example.test")
    reg.decline(registration, actor=organizer)
    run_tasks()

    for message in messages_to(smtp_server, "budi@example.test"):
        assert structure(message) == ("multipart/alternative", ["text/plain", "text/html"])
    assert len(messages_to(smtp_server, "budi@example.test")) == 2


# Text, language, escaping, footer ----------------------------------------------------------------------


def test_markup_in_the_title_is_escaped_in_html_and_round_trips_in_the_calendar(fgd, smtp_server, run_tasks):
    title = 'FGD <script>alert("x")</script> & P3MI; Jakarta, 2031'
    Meeting.objects.filter(pk=fgd.pk).update(title=title)
    sign_up(fgd, "Siti <b>Rahma</b>", "siti@example.test")
    run_tasks()

    [message] = messages_to(smtp_server, "siti@example.test")
    found = parts(message)
    assert "<script>" not in found["html"]
    assert "<b>Rahma" not in found["html"]
    assert "FGD &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; P3MI; Jakarta, 2031" in found["html"]
    assert "Siti &lt;b&gt;Rahma&lt;/b&gt;" in found["html"]
    assert title in found["text"]
    cal = itip(message)
    assert [str(e["summary"]) for e in events(cal)] == [title, title]
    assert attendees(cal) == {("mailto:siti@example.test", "Siti <b>Rahma</b>")}
    assert message["Subject"] == f"Pendaftaran terkonfirmasi: {title}"


def test_email_is_in_the_persons_language_with_their_own_zone(fgd, smtp_server, run_tasks):
    makassar = OrganizationFactory(name="Kantor Wilayah Makassar", timezone="Asia/Makassar")
    sign_up(fgd, "Andi Makkasau", "andi@example.test", organization=makassar, language="en")
    run_tasks()

    [message] = messages_to(smtp_server, "andi@example.test")
    text = parts(message)["text"]
    assert message["Subject"] == "Registration confirmed: FGD Pengawasan P3MI"
    assert "- Monday, 22 September 2031, 09:00–15:00 WIB / 10:00–16:00 WITA\n" in text
    assert "- Tuesday, 23 September 2031, 09:00–12:00 WIB / 10:00–13:00 WITA\n" in text
    cal = itip(message)
    assert {e["dtstart"].params["TZID"] for e in events(cal)} == {"Asia/Jakarta"}
    assert "Online" in str(events(cal)[0]["location"])


def test_footer_says_who_sends_and_why(fgd, settings, smtp_server, run_tasks):
    settings.SINERGI_EMAIL_FOOTER = "Sekretariat FGD BP2MI\nJl. MT Haryono Kav. 52, Jakarta"
    sign_up(fgd, "Andi", "andi@example.test", language="en")
    run_tasks()

    found = parts(messages_to(smtp_server, "andi@example.test")[0])
    assert found["text"].endswith(
        "\n-- \nSekretariat FGD BP2MI\nJl. MT Haryono Kav. 52, Jakarta\n"
        "You receive this email because this address was registered for “FGD Pengawasan P3MI”.\n\n"
    )
    assert "Sekretariat FGD BP2MI<br>Jl. MT Haryono Kav. 52, Jakarta<br>" in found["html"]
    assert (
        "You receive this email because this address was registered for “FGD Pengawasan P3MI”."
        in found["html"]
    )


def test_footer_defaults_to_the_site_name(fgd, settings, smtp_server, run_tasks):
    settings.SINERGI_SITE_NAME = "Sinergi BP2MI"
    sign_up(fgd, "Andi", "andi@example.test", language="en")
    run_tasks()
    text = parts(messages_to(smtp_server, "andi@example.test")[0])["text"]
    assert "\n-- \nSinergi BP2MI\nYou receive this email because" in text


def test_agency_invitation_shows_the_agencys_zone_and_why_it_was_sent(
    published_meeting, organizer, smtp_server, run_tasks
):
    from participants.services import invitations

    jayapura = OrganizationFactory(
        name="UPT BP2MI Jayapura", acronym="UPT Jayapura", timezone="Asia/Jayapura"
    )
    invitations.invite(
        published_meeting,
        actor=organizer,
        organization=jayapura,
        quota=2,
        focal_point_email="upt.jayapura@example.go.id",
        language="en",
    )
    run_tasks()

    [message] = messages_to(smtp_server, "upt.jayapura@example.go.id")
    assert structure(message) == ("multipart/alternative", ["text/plain", "text/html"])
    found = parts(message)
    assert "- Monday, 22 September 2031, 09:00–15:00 WIB / 11:00–17:00 WIT\n" in found["text"]
    assert found["text"].endswith(
        "\n-- \nSinergi\nYou receive this email because this address was given as the focal point of "
        "UPT BP2MI Jayapura for “FGD Pengawasan P3MI”.\n\n"
    )
    assert "Monday, 22 September 2031, 09:00–15:00 WIB / 11:00–17:00 WIT" in found["html"]
