"""meetings.calendar: every file parsed back with icalendar, exact properties compared.

Golden files (tests/meetings/golden/) hold the 2021 FGD as `seed_demo` builds it. The meeting's
code is set to a fixed value, day and item ids become their position (DAY1, ITEM3) and DTSTAMP a
fixed time; everything else is compared byte for byte. Rewrite them after an intended change with
`UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/meetings/test_calendar.py` and review the diff.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar.parser.property import unescape_backslash

from core import audit
from meetings import calendar, services
from meetings.models import Meeting, OnlineRoom
from participants.models import Registration
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OnlineRoomFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
JAKARTA = ZoneInfo("Asia/Jakarta")


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(data: bytes) -> list:
    return parse(data).walk("VEVENT")


def ics(meeting: Meeting, **kwargs) -> bytes:
    """The public file, built from a freshly loaded meeting (as the view does)."""
    return calendar.meeting_ics(calendar.with_schedule().get(pk=meeting.pk), **kwargs)


def props(event) -> dict:
    """The properties a test compares, decoded."""
    conference = event.get("CONFERENCE")
    return {
        "uid": str(event["UID"]),
        "sequence": event["SEQUENCE"],
        "dtstart": event["DTSTART"].dt,
        "dtstart_tzid": event["DTSTART"].params.get("TZID"),
        "dtend": event["DTEND"].dt,
        "dtend_tzid": event["DTEND"].params.get("TZID"),
        "summary": str(event["SUMMARY"]),
        "location": str(event.get("LOCATION", "")),
        "url": str(event.get("URL", "")),
        "status": str(event["STATUS"]),
        "organizer": str(event["ORGANIZER"]),
        "organizer_cn": str(event["ORGANIZER"].params.get("CN", "")),
        "conference": str(conference) if conference else None,
    }


@pytest.fixture
def room(published_meeting):
    """A room open to the public (a webinar): its link belongs in the public file."""
    return OnlineRoomFactory(
        meeting=published_meeting,
        join_url="https://zoom.example.test/j/555000111",
        passcode="fgd2031",
        open_to_public=True,
    )


@pytest.fixture
def private_room(published_meeting):
    return OnlineRoomFactory(
        meeting=published_meeting, join_url="https://zoom.example.test/j/555000222", passcode="rahasia9"
    )


# Events of a meeting ---------------------------------------------------------------------------


def test_meeting_ics_has_one_exact_event_per_day(published_meeting, room):
    meeting = published_meeting
    day1, day2 = meeting.days.order_by("date")
    url = f"http://testserver/m/{meeting.code}/"
    common = {
        "sequence": 0,
        "dtstart_tzid": "Asia/Jakarta",
        "dtend_tzid": "Asia/Jakarta",
        "summary": "FGD Pengawasan P3MI",
        "location": "Gedung BP2MI, Daring",
        "url": url,
        "status": "CONFIRMED",
        "organizer": "mailto:noreply@sinergi.test",
        "organizer_cn": "Sinergi",
        "conference": "https://zoom.example.test/j/555000111",
    }

    found = events(ics(meeting))

    assert [props(e) for e in found] == [
        {
            **common,
            "uid": f"sinergi-{meeting.code}-{day1.pk}@testserver",
            "dtstart": datetime(2031, 9, 22, 9, 0, tzinfo=JAKARTA),
            "dtend": datetime(2031, 9, 22, 15, 0, tzinfo=JAKARTA),
        },
        {
            **common,
            "uid": f"sinergi-{meeting.code}-{day2.pk}@testserver",
            "dtstart": datetime(2031, 9, 23, 9, 0, tzinfo=JAKARTA),
            "dtend": datetime(2031, 9, 23, 12, 0, tzinfo=JAKARTA),
        },
    ]


def test_meeting_ics_description_lists_the_days_agenda_and_how_to_join(published_meeting, room):
    day1_event, day2_event = events(ics(published_meeting))
    url = f"http://testserver/m/{published_meeting.code}/"
    # The labels come from the catalogue, in the site's language.
    with translation.override("id"):
        join_line = _("Join online: %(url)s") % {"url": "https://zoom.example.test/j/555000111"}
        passcode_line = _("Passcode: %(code)s") % {"code": "fgd2031"}
    assert str(day1_event["DESCRIPTION"]) == "\n".join(
        [
            "Pengawasan P3MI",
            "",
            "09.00–10.00 WIB Pembukaan",
            "10.00–12.00 WIB Paparan Narasumber",
            "",
            join_line,
            passcode_line,
            "",
            url,
        ]
    )
    assert str(day2_event["DESCRIPTION"]) == "\n".join(
        ["Pengawasan P3MI", "", "", join_line, passcode_line, "", url]
    )


def test_meeting_ics_per_item_adds_one_event_per_agenda_item(published_meeting):
    meeting = published_meeting
    day1, day2 = meeting.days.order_by("date")
    opening, talk = day1.items.order_by("start_time")
    AgendaRoleFactory(agenda_item=talk, person=PersonFactory(full_name="Rendra Setiawan"))

    found = events(ics(meeting, per_item=True))

    assert [
        (str(e["UID"]), e["DTSTART"].dt, e["DTEND"].dt, str(e["SUMMARY"]), e["SEQUENCE"]) for e in found
    ] == [
        (
            f"sinergi-{meeting.code}-{day1.pk}@testserver",
            datetime(2031, 9, 22, 9, tzinfo=JAKARTA),
            datetime(2031, 9, 22, 15, tzinfo=JAKARTA),
            "FGD Pengawasan P3MI",
            0,
        ),
        (
            f"sinergi-{meeting.code}-item-{opening.pk}@testserver",
            datetime(2031, 9, 22, 9, tzinfo=JAKARTA),
            datetime(2031, 9, 22, 10, tzinfo=JAKARTA),
            "Pembukaan — FGD Pengawasan P3MI",
            0,
        ),
        (
            f"sinergi-{meeting.code}-item-{talk.pk}@testserver",
            datetime(2031, 9, 22, 10, tzinfo=JAKARTA),
            datetime(2031, 9, 22, 12, tzinfo=JAKARTA),
            "Paparan Narasumber — FGD Pengawasan P3MI",
            0,
        ),
        (
            f"sinergi-{meeting.code}-{day2.pk}@testserver",
            datetime(2031, 9, 23, 9, tzinfo=JAKARTA),
            datetime(2031, 9, 23, 12, tzinfo=JAKARTA),
            "FGD Pengawasan P3MI",
            0,
        ),
    ]
    assert (
        str(found[2]["DESCRIPTION"]).split("\n")[2] == "10.00–12.00 WIB Paparan Narasumber (Rendra Setiawan)"
    )


@pytest.mark.parametrize(
    ("zone", "offset", "label"),
    [
        ("Asia/Jakarta", timedelta(hours=7), "WIB"),
        ("Asia/Makassar", timedelta(hours=8), "WITA"),
        ("Asia/Jayapura", timedelta(hours=9), "WIT"),
    ],
)
def test_meeting_ics_carries_the_zone_with_a_narrow_vtimezone(organizer, zone, offset, label):
    meeting = MeetingFactory(timezone=zone, status=Meeting.Status.PUBLISHED, organizers=[organizer])
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 3, 10), start_time=time(9), end_time=time(12))
    MeetingDayFactory(meeting=meeting, date=date(2031, 3, 12), start_time=time(8), end_time=time(11))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(10), title="Pembukaan")

    cal = parse(ics(meeting, per_item=True))

    (vtimezone,) = cal.walk("VTIMEZONE")
    (standard,) = vtimezone.walk("STANDARD")
    assert vtimezone.walk("DAYLIGHT") == []
    assert (str(vtimezone["TZID"]), str(standard["TZNAME"])) == (zone, label)
    assert (standard["TZOFFSETFROM"].td, standard["TZOFFSETTO"].td) == (offset, offset)
    # Trimmed to the dates used: the observance starts on the first day, not in 1970.
    # A VTIMEZONE observance starts at a wall-clock time of its own zone: naive by definition.
    assert standard["DTSTART"].dt == datetime(2031, 3, 10, 0, 0)  # noqa: DTZ001
    first = cal.walk("VEVENT")[0]
    assert (first["DTSTART"].params["TZID"], first["DTEND"].params["TZID"]) == (zone, zone)
    assert first["DTSTART"].dt.utcoffset() == offset
    assert first["DTSTART"].dt.astimezone(ZoneInfo("UTC")) == datetime(2031, 3, 10, 9, tzinfo=ZoneInfo(zone))
    assert [str(e["DESCRIPTION"]).split("\n")[2] for e in cal.walk("VEVENT")][:2] == [
        f"09.00–10.00 {label} Pembukaan",
        f"09.00–10.00 {label} Pembukaan",
    ]
    assert b"DTSTART:1970" not in ics(meeting)


def test_feed_with_several_zones_has_one_vtimezone_per_zone(organizer):
    meetings = []
    for zone, day in (("Asia/Jayapura", 5), ("Asia/Jakarta", 1), ("Asia/Jakarta", 20)):
        m = MeetingFactory(timezone=zone, status=Meeting.Status.PUBLISHED)
        MeetingDayFactory(meeting=m, date=date(2031, 4, day))
        meetings.append(m)

    cal = parse(calendar.feed_ics(calendar.with_schedule().filter(pk__in=[m.pk for m in meetings]), name="x"))

    assert [
        (str(tz["TZID"]), tz.walk("STANDARD")[0]["DTSTART"].dt, str(tz["COMMENT"]))
        for tz in cal.walk("VTIMEZONE")
    ] == [
        # Observance starts are wall-clock times of their own zone (naive by definition).
        ("Asia/Jakarta", datetime(2031, 4, 1), "This timezone only works from 2031-04-01 to 2031-04-21."),  # noqa: DTZ001
        ("Asia/Jayapura", datetime(2031, 4, 5), "This timezone only works from 2031-04-05 to 2031-04-06."),  # noqa: DTZ001
    ]


def test_load_builds_the_same_file_as_the_prefetch(published_meeting, room):
    day1 = published_meeting.days.order_by("date").first()
    opening, talk = day1.items.order_by("start_time")
    AgendaItemFactory.create(
        day=day1, start_time=time(13), end_time=time(14), title="Diskusi", description="Tanya jawab"
    )
    AgendaRoleFactory(agenda_item=talk, person=PersonFactory(full_name="Rendra Setiawan"), order=2)
    AgendaRoleFactory(agenda_item=talk, person=PersonFactory(full_name="F.X. Watratan"), order=1)
    AgendaRoleFactory(agenda_item=talk, person=PersonFactory(full_name="Moderator Satu"), role="moderator")

    (loaded,) = calendar.load(Meeting.objects.filter(pk=published_meeting.pk))

    for per_item in (False, True):
        assert calendar.meeting_ics(loaded, per_item=per_item) == ics(published_meeting, per_item=per_item)
    assert str(events(ics(published_meeting))[0]["DESCRIPTION"]).split("\n")[3] == (
        "10.00–12.00 WIB Paparan Narasumber (F.X. Watratan, Rendra Setiawan)"
    )
    assert calendar.load(Meeting.objects.none()) == []


# Updates: SEQUENCE rises, UIDs stay ------------------------------------------------------------


def test_update_day_raises_sequence_by_one_and_keeps_uids(published_meeting, organizer):
    before = events(ics(published_meeting, per_item=True))
    day1 = published_meeting.days.order_by("date").first()

    services.update_day(day1, actor=organizer, date=date(2031, 9, 22), start_time=time(8), end_time=time(15))

    after = events(ics(published_meeting, per_item=True))
    assert [str(e["UID"]) for e in after] == [str(e["UID"]) for e in before]
    assert [e["SEQUENCE"] for e in before] == [0, 0, 0, 0]
    assert [e["SEQUENCE"] for e in after] == [1, 1, 1, 1]
    assert after[0]["DTSTART"].dt == datetime(2031, 9, 22, 8, tzinfo=JAKARTA)


def test_venue_change_raises_sequence_by_one_and_keeps_uids(published_meeting, organizer):
    before = events(ics(published_meeting))

    services.update_meeting(published_meeting, actor=organizer, venue_name="Hotel Grand Sahid")

    after = events(ics(published_meeting))
    assert [(str(e["UID"]), e["SEQUENCE"], str(e["LOCATION"])) for e in after] == [
        (str(e["UID"]), 1, "Hotel Grand Sahid, Daring") for e in before
    ]


def test_cancelled_meeting_events_are_cancelled_with_a_higher_sequence(published_meeting, organizer):
    services.cancel(published_meeting, actor=organizer, reason="Ditunda")

    found = events(ics(published_meeting))

    assert [(e["SEQUENCE"], str(e["STATUS"])) for e in found] == [(1, "CANCELLED"), (1, "CANCELLED")]


def test_draft_events_are_tentative_and_point_to_the_staff_page(meeting):
    found = events(ics(meeting))

    assert [(str(e["STATUS"]), str(e["URL"])) for e in found] == [
        ("TENTATIVE", f"http://testserver/meetings/{meeting.code}/"),
    ] * 2


def test_dtstamp_is_the_last_change_and_moves_with_an_agenda_edit(published_meeting, organizer):
    an_hour_ago = published_meeting.updated_at - timedelta(hours=1)
    Meeting.objects.filter(pk=published_meeting.pk).update(updated_at=an_hour_ago)
    first = events(ics(published_meeting))[0]["DTSTAMP"].dt
    day1 = published_meeting.days.order_by("date").first()

    # Adding an item changes neither the meeting row nor its sequence; its audit entry counts.
    services.add_agenda_item(day1, actor=organizer, start_time=time(13), end_time=time(14), title="Diskusi")

    later = events(ics(published_meeting))[0]["DTSTAMP"].dt
    entry = audit.entries_for(published_meeting).first()
    assert first == an_hour_ago.replace(microsecond=0)
    assert (entry.action, later) == ("agenda.item_added", entry.created_at.replace(microsecond=0))


# Links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "conference"),
    [
        (Meeting.Mode.ONLINE, "https://zoom.example.test/j/555000111"),
        (Meeting.Mode.HYBRID, "https://zoom.example.test/j/555000111"),
        (Meeting.Mode.ONSITE, None),
    ],
)
def test_conference_only_for_online_and_hybrid_meetings(published_meeting, room, mode, conference):
    Meeting.objects.filter(pk=published_meeting.pk).update(mode=mode)

    found = events(ics(published_meeting))

    assert [e.get("CONFERENCE") and str(e["CONFERENCE"]) for e in found] == [conference, conference]
    if conference:
        assert dict(found[0]["CONFERENCE"].params) == {"FEATURE": "AUDIO,VIDEO", "VALUE": "URI"}
        assert conference in str(found[0]["DESCRIPTION"])
    else:
        assert b"zoom.example.test" not in ics(published_meeting)


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CLOSED, Meeting.Status.CANCELLED])
def test_join_link_only_while_the_meeting_is_published(published_meeting, room, status):
    Meeting.objects.filter(pk=published_meeting.pk).update(status=status)

    data = ics(published_meeting)

    assert [e.get("CONFERENCE") for e in events(data)] == [None, None]
    assert b"zoom.example.test" not in data


def test_public_file_never_carries_a_personal_join_link(published_meeting, room):
    Registration.objects.create(
        meeting=published_meeting,
        full_name="Peserta Daring",
        email="peserta@example.test",
        mode=Registration.Mode.ONLINE,
        state=Registration.State.CONFIRMED,
        personal_join_url="https://zoom.example.test/w/555000111?tk=PERSONAL-SECRET-7781",
    )
    assert Registration.objects.filter(personal_join_url__contains="PERSONAL-SECRET-7781").count() == 1

    for per_item in (False, True):
        data = ics(published_meeting, per_item=per_item)
        assert b"PERSONAL-SECRET" not in data
        assert [str(e["CONFERENCE"]) for e in events(data)][:1] == ["https://zoom.example.test/j/555000111"]


@pytest.mark.parametrize("per_item", [False, True])
def test_public_file_leaves_a_private_room_s_link_and_passcode_out(published_meeting, private_room, per_item):
    assert private_room.open_to_public is False

    data = ics(published_meeting, per_item=per_item)

    found = events(data)
    assert len(found) == (4 if per_item else 2)
    assert [e.get("CONFERENCE") for e in found] == [None] * len(found)
    assert b"555000222" not in data
    assert b"rahasia9" not in data


def test_public_file_carries_the_link_once_the_room_is_opened(published_meeting, private_room):
    OnlineRoom.objects.filter(pk=private_room.pk).update(open_to_public=True)

    found = events(ics(published_meeting))

    assert [str(e["CONFERENCE"]) for e in found] == ["https://zoom.example.test/j/555000222"] * 2
    assert "rahasia9" in str(found[0]["DESCRIPTION"])


def test_organizer_is_the_configured_sender(published_meeting, settings):
    settings.DEFAULT_FROM_EMAIL = "Panitia FGD BP2MI <panitia@bp2mi.example.test>"

    found = events(ics(published_meeting))

    assert [(str(e["ORGANIZER"]), dict(e["ORGANIZER"].params)) for e in found] == [
        ("mailto:panitia@bp2mi.example.test", {"CN": "Panitia FGD BP2MI"}),
    ] * 2


def test_uid_host_follows_the_base_url(published_meeting, settings):
    settings.SINERGI_BASE_URL = "https://sinergi.bp2mi.example.test"
    day1 = published_meeting.days.order_by("date").first()

    found = events(ics(published_meeting))

    assert str(found[0]["UID"]) == f"sinergi-{published_meeting.code}-{day1.pk}@sinergi.bp2mi.example.test"
    assert str(found[0]["URL"]) == f"https://sinergi.bp2mi.example.test/m/{published_meeting.code}/"


# Text ------------------------------------------------------------------------------------------

TRICKY = [
    ("Rapat, koordinasi; evaluasi", "Rapat, koordinasi; evaluasi"),
    ("Baris satu\nbaris dua", "Baris satu\nbaris dua"),
    ("Windows\r\nbaris", "Windows\nbaris"),
    ("Pelindungan PMI 🇮🇩 🤝 ✅", "Pelindungan PMI 🇮🇩 🤝 ✅"),
    ("Pengawasan P3MI: “peraturan” & ‘alur’ — Kementerian Ketenagakerjaan", None),
    # NUL cannot be stored by PostgreSQL at all; test_clean_strips_control_characters_only covers it.
    ("Kontrol\x01\x07\x1b[31m\x7f\x85 dibuang\ttab", "Kontrol[31m dibuang\ttab"),
    ("Backslash \\ dan titik dua: 10:00", "Backslash \\ dan titik dua: 10:00"),
]


@pytest.mark.parametrize(("title", "expected"), TRICKY)
def test_text_round_trips_exactly_without_control_characters(organizer, title, expected):
    expected = title if expected is None else expected
    meeting = MeetingFactory(
        title=title,
        theme=title,
        venue_name=title,
        mode=Meeting.Mode.ONSITE,
        status=Meeting.Status.PUBLISHED,
    )
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 5, 5), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(10), title=title)

    data = ics(meeting, per_item=True)
    day_event, item_event = events(data)

    assert str(day_event["SUMMARY"]) == expected
    assert str(day_event["LOCATION"]) == expected
    assert str(day_event["DESCRIPTION"]).split("\n\n")[0] == expected
    assert str(item_event["SUMMARY"]) == f"{expected} — {expected}"
    # icalendar does not know X-WR-CALNAME; clients read it as TEXT, like SUMMARY.
    assert unescape_backslash(str(parse(data)["X-WR-CALNAME"])) == expected
    # Folded at 75 octets, never inside a character; no bare control character survives.
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") for line in lines if line)
    assert re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data.replace(b"\r\n", b"")) is None


def test_clean_strips_control_characters_only():
    assert calendar.clean("a\x00b\x08c\x0bd\x1fe\x7ff\x9fg\th\ni\r\nj\rk") == "abcdefg\th\ni\nj\nk"
    assert calendar.clean(None) == ""


# Golden files: the 2021 FGD -------------------------------------------------------------------

FIXED_CODE = "fgd2021x"
FIXED_STAMP = b"DTSTAMP:20210901T000000Z"


@pytest.fixture
def fgd_2021(seeded_demo, db):
    """The FGD as seed_demo builds it (seeded once for this module, see tests/conftest.py)."""
    meeting = Meeting.objects.get(title="Focus Group Discussion Pengawasan P3MI")
    Meeting.objects.filter(pk=meeting.pk).update(code=FIXED_CODE)
    return Meeting.objects.get(pk=meeting.pk)


def normalise(data: bytes, meeting: Meeting) -> bytes:
    """Ids become positions (DAY1, ITEM3) and DTSTAMP a fixed time; the rest stays as built."""
    days = {str(pk): n for n, pk in enumerate(meeting.days.order_by("date").values_list("pk", flat=True), 1)}
    items = {
        str(pk): n
        for n, pk in enumerate(
            meeting.days.order_by("date")
            .values_list("items__pk", flat=True)
            .order_by("date", "items__start_time"),
            1,
        )
    }

    def uid(match):
        if match.group(1):
            return f"UID:sinergi-{FIXED_CODE}-ITEM{items[match.group(2).decode()]}@".encode()
        return f"UID:sinergi-{FIXED_CODE}-DAY{days[match.group(2).decode()]}@".encode()

    data = re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", FIXED_STAMP, data)
    return re.sub(rb"UID:sinergi-" + FIXED_CODE.encode() + rb"-(item-)?(\d+)@", uid, data)


def compare_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes()
    # The golden file itself is a valid calendar.
    assert parse(path.read_bytes()).walk("VEVENT")


def test_golden_fgd_2021_days(fgd_2021):
    assert fgd_2021.status == Meeting.Status.CLOSED
    compare_golden("fgd-2021.ics", normalise(ics(fgd_2021), fgd_2021))


def test_golden_fgd_2021_items(fgd_2021):
    compare_golden("fgd-2021-items.ics", normalise(ics(fgd_2021, per_item=True), fgd_2021))


def test_golden_fgd_2021_while_published(fgd_2021):
    """As it was before it was held: its room is private, so no link in CONFERENCE or DESCRIPTION."""
    Meeting.objects.filter(pk=fgd_2021.pk).update(status=Meeting.Status.PUBLISHED)
    fgd_2021.refresh_from_db()
    compare_golden("fgd-2021-published.ics", normalise(ics(fgd_2021), fgd_2021))
