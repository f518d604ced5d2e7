"""Page benchmark: response time and query count of the organizer's meeting list and a public page.

Run from the repository root:

    .venv/bin/python benchmarks/pages.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/pages.py

With DATABASE_URL the script creates (and afterwards drops) a dedicated database `sinergi_bench`
on that server; the database named in the URL is only used to connect. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402  (needs ROOT on sys.path)
    RESULT_HEADER,
    django_on_throwaway_database,
    measure_page,
    result_columns,
)

BENCH_DB = "sinergi_bench"
SQLITE_FILE = ROOT / "var" / "bench-pages.sqlite3"
TARGET_MEDIAN_MS = 40.0
WARM_UP = 20


# Data -----------------------------------------------------------------------------------------


def seed(meeting_count: int):
    """`meeting_count` meetings organized by one user; returns (organizer, the big meeting)."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from directory.models import Organization, Person
    from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost, new_meeting_code

    organizer = User.objects.create_user(
        "bench-organizer@example.test", "bench-pass-123", full_name="Bench Organizer", can_organize=True
    )
    secretary = User.objects.create_user(
        "bench-secretary@example.test", "bench-pass-123", full_name="Notulis"
    )
    today = timezone.localdate()
    kinds, modes = list(Meeting.Kind.values), list(Meeting.Mode.values)
    statuses = [Meeting.Status.PUBLISHED] * 6 + [
        Meeting.Status.DRAFT,
        Meeting.Status.HELD,
        Meeting.Status.CLOSED,
        Meeting.Status.CANCELLED,
    ]
    # The public page shows a published upcoming meeting with 2 days and 30 agenda items.
    big_index = min(meeting_count - 1, meeting_count // 2 + 10)
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(name=f"Instansi Uji {i}", acronym=f"IU{i}", kind=Organization.Kind.MINISTRY)
            for i in range(20)
        )
        people = Person.objects.bulk_create(
            Person(
                full_name=f"Narasumber {i}",
                position="Direktur",
                organization=orgs[i % len(orgs)],
                email=f"narasumber{i}@example.test",
            )
            for i in range(50)
        )
        codes = set()
        while len(codes) < meeting_count:
            codes.add(new_meeting_code())
        meetings = Meeting.objects.bulk_create(
            Meeting(
                code=code,
                title=f"Rapat Uji {i:04d}: Koordinasi Pengawasan P3MI",
                theme="Peningkatan sinergi dan koordinasi multi stakeholder",
                kind=kinds[i % len(kinds)],
                mode=modes[i % len(modes)],
                description="Deskripsi rapat uji. " * 20,
                status=Meeting.Status.PUBLISHED if i == big_index else statuses[i % len(statuses)],
                venue_name="Kantor BP2MI",
                venue_address="Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan",
                capacity_onsite=50,
                capacity_online=300,
                starts_on=today + timedelta(days=i - meeting_count // 2),
                ends_on=today + timedelta(days=i - meeting_count // 2 + (1 if i == big_index else 0)),
                created_by=organizer,
            )
            for i, code in enumerate(sorted(codes))
        )
        through = Meeting.organizers.through
        through.objects.bulk_create(through(meeting_id=m.pk, user_id=organizer.pk) for m in meetings)
        sec_through = Meeting.secretaries.through
        sec_through.objects.bulk_create(sec_through(meeting_id=m.pk, user_id=secretary.pk) for m in meetings)
        MeetingHost.objects.bulk_create(
            MeetingHost(meeting=m, organization=orgs[i % len(orgs)], order=1) for i, m in enumerate(meetings)
        )

        big = meetings[big_index]
        days = [
            MeetingDay(meeting=m, date=m.starts_on, start_time=dtime(8), end_time=dtime(17)) for m in meetings
        ]
        days.append(MeetingDay(meeting=big, date=big.ends_on, start_time=dtime(8), end_time=dtime(17)))
        days = MeetingDay.objects.bulk_create(days)

        items = []
        for day in days:
            count = 15 if day.meeting_id == big.pk else 5
            for n in range(count):
                start = 8 * 60 + n * 30
                items.append(
                    AgendaItem(
                        day=day,
                        start_time=dtime(start // 60, start % 60),
                        end_time=dtime((start + 30) // 60, (start + 30) % 60),
                        title=f"Sesi {n + 1}: Paparan dan diskusi",
                        description="Uraian sesi. " * 5,
                        order=n + 1,
                    )
                )
        items = AgendaItem.objects.bulk_create(items)
        roles = []
        for i, item in enumerate(items):
            if item.order in (2, 3):
                roles.append(AgendaRole(agenda_item=item, person=people[i % len(people)], order=1))
            if item.order == 4:
                roles.append(
                    AgendaRole(
                        agenda_item=item, person=people[(i + 7) % len(people)], role=AgendaRole.Role.MODERATOR
                    )
                )
        AgendaRole.objects.bulk_create(roles)
    return organizer, big


# Measurement ----------------------------------------------------------------------------------


def measure(client, url: str, n: int) -> dict:
    try:
        client.get(url)
    except Exception:
        return {"status": "error", "error": traceback.format_exc(limit=3)}
    return measure_page(client, url, n, WARM_UP)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--meetings", type=int, default=1000, help="meetings to create (default 1000)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        print(f"Database: {where}; DEBUG={settings.DEBUG}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        organizer, big = seed(args.meetings)
        print(
            f"Migrated and seeded {args.meetings} meetings in {time.perf_counter() - started:.1f} s "
            f"(the public page shows one with {big.days.count()} days and "
            f"{sum(d.items.count() for d in big.days.all())} agenda items)"
        )

        client = Client()
        client.force_login(organizer)
        pages = [
            ("organizer meeting list", reverse("meetings:list")),
            ("public meeting page", reverse("meetings:public", kwargs={"code": big.code})),
        ]
        print(
            f"\n{args.n} requests per page after {WARM_UP} warm-up requests; target median < {TARGET_MEDIAN_MS:.0f} ms\n"
        )
        print(f"{'page':<24} {'url':<22} {RESULT_HEADER}")
        failed = False
        for name, url in pages:
            result = measure(client, url, args.n)
            if result["status"] == "error":
                print(f"{name:<24} {url:<22} {'error':>6}\n{result['error']}")
                failed = True
                continue
            verdict = "ok" if result["median"] < TARGET_MEDIAN_MS else "OVER"
            if result["status"] != 200:
                verdict = "no target (page not ready: timings are of the placeholder)"
            print(f"{name:<24} {url:<22} {result_columns(result, verdict)}")
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
