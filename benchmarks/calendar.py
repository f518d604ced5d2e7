"""Calendar benchmark: the per-item .ics of a 3-day, 60-item meeting and a personal feed of 500 meetings.

Run from the repository root:

    .venv/bin/python benchmarks/calendar.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/calendar.py

Each build is compared with a bare icalendar script (the floor) that builds the same events with
the same properties from plain Python values, without Django; the script checks that both give
the same bytes. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import django_on_throwaway_database, timings_ms  # noqa: E402  (needs ROOT on sys.path)

BENCH_DB = "sinergi_bench_calendar"
SQLITE_FILE = ROOT / "var" / "bench-calendar.sqlite3"
TARGET_RATIO = 1.5
TARGET_FEED_MS = 300.0
TARGET_ICS_MS = 30.0
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


# Data -----------------------------------------------------------------------------------------


def seed(feed_size: int):
    """A 3-day hybrid meeting with 60 agenda items, and a user organizing `feed_size` meetings."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from directory.models import Organization, Person
    from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay, OnlineRoom, new_meeting_code

    with transaction.atomic():
        organizer = User.objects.create_user(
            "bench-organizer@example.test", "bench-pass-123", full_name="Bench Organizer", can_organize=True
        )
        org = Organization.objects.create(name="Kementerian Uji", acronym="KU")
        people = Person.objects.bulk_create(
            Person(full_name=f"Narasumber Uji {i}", position="Direktur", organization=org) for i in range(40)
        )
        codes = set()
        while len(codes) < feed_size:
            codes.add(new_meeting_code())
        codes = sorted(codes)
        today = timezone.localdate()

        big = Meeting.objects.create(
            code=codes[0],
            title="FGD Pengawasan P3MI: Sinergi dan Koordinasi Multi Stakeholder",
            theme="Peningkatan Sinergi dan Koordinasi Multi Stakeholder Melalui Pengawasan P3MI",
            mode=Meeting.Mode.HYBRID,
            status=Meeting.Status.PUBLISHED,
            venue_name="Kantor BP2MI",
            venue_room="Ruang Rapat Lantai 2",
            venue_address="Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan",
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=32),
        )
        OnlineRoom.objects.create(
            meeting=big, join_url="https://zoom.example.test/j/81234567890", passcode="P3MI"
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                code=code,
                title=f"Rapat Koordinasi {i:03d}: Penanganan Pengaduan PMI",
                theme="Penguatan koordinasi BP2MI, UPT dan pemerintah daerah",
                mode=[Meeting.Mode.HYBRID, Meeting.Mode.ONSITE, Meeting.Mode.ONLINE][i % 3],
                timezone=ZONES[i % 3],
                status=Meeting.Status.CANCELLED if i % 25 == 0 else Meeting.Status.PUBLISHED,
                venue_name="Kantor BP3MI",
                venue_address="Jl. Uji No. 1",
                starts_on=today + timedelta(days=i - 60),
                ends_on=today + timedelta(days=i - 60),
            )
            for i, code in enumerate(codes[1:])
        )
        through = Meeting.organizers.through
        through.objects.bulk_create(through(meeting_id=m.pk, user_id=organizer.pk) for m in [big, *meetings])
        OnlineRoom.objects.bulk_create(
            OnlineRoom(meeting=m, join_url=f"https://zoom.example.test/j/9{m.pk:010d}")
            for m in meetings
            if m.mode != Meeting.Mode.ONSITE
        )
        days = [
            MeetingDay(
                meeting=big, date=big.starts_on + timedelta(days=n), start_time=dtime(7), end_time=dtime(19)
            )
            for n in range(3)
        ]
        days += [
            MeetingDay(meeting=m, date=m.starts_on, start_time=dtime(9), end_time=dtime(15)) for m in meetings
        ]
        days = MeetingDay.objects.bulk_create(days)
        items = []
        for day in days:
            count = 20 if day.meeting_id == big.pk else 3
            for n in range(count):
                start = (7 if count == 20 else 9) * 60 + n * 35
                items.append(
                    AgendaItem(
                        day=day,
                        start_time=dtime(start // 60, start % 60),
                        end_time=dtime((start + 30) // 60, (start + 30) % 60),
                        title=f"Sesi {n + 1}: Paparan, diskusi; tanya jawab",
                        description="Uraian sesi tentang pengawasan P3MI. " * 3,
                        order=n + 1,
                    )
                )
        items = AgendaItem.objects.bulk_create(items)
        AgendaRole.objects.bulk_create(
            AgendaRole(agenda_item=item, person=people[i % len(people)], order=1)
            for i, item in enumerate(items)
        )
    return organizer, big


# The floor: the same events from plain values, icalendar only ----------------------------------


def plain_events(data: bytes) -> list[dict]:
    """Plain Python values of every event of a calendar (extracted once, outside the timings)."""
    from icalendar import Calendar

    events = []
    for event in Calendar.from_ical(data).walk("VEVENT"):
        organizer = event["ORGANIZER"]
        events.append(
            {
                "uid": str(event["UID"]),
                "dtstamp": event["DTSTAMP"].dt,
                "sequence": int(event["SEQUENCE"]),
                "start": event["DTSTART"].dt,
                "end": event["DTEND"].dt,
                "summary": str(event["SUMMARY"]),
                "description": str(event.get("DESCRIPTION", "")),
                "location": str(event.get("LOCATION", "")),
                "url": str(event.get("URL", "")),
                "status": str(event["STATUS"]),
                "organizer": (str(organizer), str(organizer.params.get("CN", ""))),
                "conference": str(event["CONFERENCE"]) if "CONFERENCE" in event else "",
            }
        )
    return events


def floor_timezones(events: list[dict]) -> list:
    """One VTIMEZONE per zone, covering the dates its events use (and the day after)."""
    from icalendar import Timezone

    ranges: dict[str, list[date]] = {}
    for e in events:
        for value in (e["start"], e["end"]):
            first_last = ranges.setdefault(value.tzinfo.key, [value.date(), value.date()])
            first_last[0], first_last[1] = min(first_last[0], value.date()), max(first_last[1], value.date())
    return [
        Timezone.from_tzid(tzid, first_date=first, last_date=last + timedelta(days=1))
        for tzid, (first, last) in sorted(ranges.items())
    ]


def floor_ics(events: list[dict], name: str, timezones: list | None = None) -> bytes:
    """What a bare icalendar script does: the events and one VTIMEZONE per zone for the dates used.

    `timezones`: VTIMEZONE components built beforehand (the strict floor), else built here.
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    calendar = Calendar()
    calendar.add("prodid", "-//Sinergi//Sinergi meetings//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(name))
    for timezone in floor_timezones(events) if timezones is None else timezones:
        calendar.add_component(timezone)
    for e in events:
        event = Event()
        event.add("uid", e["uid"])
        event.add("dtstamp", e["dtstamp"])
        event.add("sequence", e["sequence"])
        event.add("dtstart", e["start"])
        event.add("dtend", e["end"])
        event.add("summary", e["summary"])
        if e["description"]:
            event.add("description", e["description"])
        if e["location"]:
            event.add("location", e["location"])
        if e["url"]:
            event.add("url", e["url"])
        event.add("status", e["status"])
        organizer = vCalAddress(e["organizer"][0])
        organizer.params["cn"] = vText(e["organizer"][1])
        event.add("organizer", organizer)
        if e["conference"]:
            event.add("conference", e["conference"], parameters={"VALUE": "URI", "FEATURE": "AUDIO,VIDEO"})
        calendar.add_component(event)
    return calendar.to_ical()


# Measurement ----------------------------------------------------------------------------------


def timed(fn: Callable[[], object], n: int, warm_up: int = 3) -> float:
    """Median wall time of `fn` in milliseconds."""
    return statistics.median(timings_ms(fn, n, warm_up))


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="timed runs per figure (default 50)")
    parser.add_argument("--feed", type=int, default=500, help="meetings in the personal feed (default 500)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from core.tokens import make_token
        from meetings import calendar
        from meetings.models import Meeting

        print(f"Database: {where}; DEBUG={settings.DEBUG}; median of {args.n} runs each")
        call_command("migrate", verbosity=0, interactive=False)
        organizer, big = seed(args.feed)
        client = Client()
        failed = False

        # 1. The per-item .ics of the 3-day, 60-item meeting.
        (meeting,) = calendar.load(Meeting.objects.filter(pk=big.pk))
        ours = calendar.meeting_ics(meeting, per_item=True)
        events = plain_events(ours)
        timezones = floor_timezones(events)
        assert floor_ics(events, meeting.title) == ours, "the floor must build the very same file"
        assert floor_ics(events, meeting.title, timezones) == ours
        ics = {
            "build": timed(lambda: calendar.meeting_ics(meeting, per_item=True), args.n),
            "floor": timed(lambda: floor_ics(events, meeting.title), args.n),
            "strict": timed(lambda: floor_ics(events, meeting.title, timezones), args.n),
            "queries": timed(
                lambda: calendar.meeting_ics(
                    calendar.load(Meeting.objects.filter(pk=big.pk))[0], per_item=True
                ),
                args.n,
            ),
        }
        url = f"/m/{big.code}/calendar.ics?items=1"
        ics["served"] = timed(lambda: client.get(url), args.n, warm_up=10)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Counted at once: the log is cleared when the connection is next closed.
        ics_queries = len(captured)
        assert response.status_code == 200
        assert response.content == ours

        # 2. The personal feed: every meeting the organizer organizes.
        mine = Meeting.objects.filter(organizers=organizer).order_by("starts_on", "id")
        feed_meetings = calendar.load(mine)
        name = "Sinergi — Bench Organizer"
        feed = calendar.feed_ics(feed_meetings, name=name)
        feed_events = plain_events(feed)
        feed_timezones = floor_timezones(feed_events)
        assert floor_ics(feed_events, name) == feed, "the floor must build the very same feed"
        runs = max(5, args.n // 3)
        token = make_token("calendar", organizer.pk, organizer.calendar_token_version)
        feed_url = f"/calendar/u/{organizer.pk}/{token}.ics"
        response = client.get(feed_url)
        assert response.status_code == 200
        assert response.content == feed
        etag = response["ETag"]
        with CaptureQueriesContext(connection) as captured:
            client.get(feed_url)
        feed_queries = len(captured)
        fd = {
            "build": timed(lambda: calendar.feed_ics(feed_meetings, name=name), runs),
            "floor": timed(lambda: floor_ics(feed_events, name), runs),
            "strict": timed(lambda: floor_ics(feed_events, name, feed_timezones), runs),
            "queries": timed(lambda: calendar.feed_ics(calendar.load(mine), name=name), runs),
            "served": timed(lambda: client.get(feed_url), runs),
            "304": timed(lambda: client.get(feed_url, HTTP_IF_NONE_MATCH=etag), args.n),
        }

        def ratios(figures):
            return figures["build"] / figures["floor"], figures["build"] / figures["strict"]

        ics_ratio, ics_strict = ratios(ics)
        feed_ratio, feed_strict = ratios(fd)
        rows = [
            (f"per-item .ics (3 days, 60 items, {len(events)} events): build", ics["build"], "", ""),
            (
                "  floor: bare icalendar, VTIMEZONE built per file",
                ics["floor"],
                f"ratio {ics_ratio:.2f}x",
                "",
            ),
            (
                "  strict floor: bare icalendar, VTIMEZONE built beforehand",
                ics["strict"],
                f"ratio {ics_strict:.2f}x",
                verdict(ics_strict <= TARGET_RATIO),
            ),
            (f"  build with its {ics_queries} queries", ics["queries"], "", ""),
            (
                f"  served by django.test.Client ({len(ours) / 1024:.0f} kB)",
                ics["served"],
                f"target < {TARGET_ICS_MS:.0f} ms",
                verdict(ics["served"] < TARGET_ICS_MS),
            ),
            (
                f"personal feed ({len(feed_meetings)} meetings, {len(feed_events)} events): build",
                fd["build"],
                "",
                "",
            ),
            (
                "  floor: bare icalendar, VTIMEZONE built per file",
                fd["floor"],
                f"ratio {feed_ratio:.2f}x",
                "",
            ),
            (
                "  strict floor: bare icalendar, VTIMEZONE built beforehand",
                fd["strict"],
                f"ratio {feed_strict:.2f}x",
                verdict(feed_strict <= TARGET_RATIO),
            ),
            ("  build with its queries", fd["queries"], "", ""),
            (
                f"  served by django.test.Client ({feed_queries} queries, {len(feed) / 1024:.0f} kB)",
                fd["served"],
                f"target < {TARGET_FEED_MS:.0f} ms",
                verdict(fd["served"] < TARGET_FEED_MS),
            ),
            ("  answered 304 (If-None-Match)", fd["304"], "", ""),
        ]
        print()
        for label, ms, note, result in rows:
            print(f"{label:<68} {ms:>8.1f} ms  {note:<16} {result}")
            failed = failed or result == "OVER"
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
