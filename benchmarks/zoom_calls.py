"""Zoom calls benchmark: how many Zoom API calls publishing, 100 registrants and a reschedule cost.

Run from the repository root:

    .venv/bin/python benchmarks/zoom_calls.py                 # throwaway SQLite file in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/zoom_calls.py

(`.venv/bin/python -m benchmarks.zoom_calls` works as well.) With DATABASE_URL the script creates
(and afterwards drops) a dedicated database `sinergi_bench_zoom_calls` on that server; the
database named in the URL is only used to connect. Zoom is the fake server of the tests
(tests/zoomfake.py: the real zoomus client talking to it over HTTP); the calls are counted from
what the fake received, the OAuth token requests apart. The queued tasks run as
`manage.py db_worker --batch` runs them (the `run_tasks` fixture of tests/conftest.py).

Three scenarios, one after the other on the same meeting (a draft two-day hybrid FGD, the days
with different hours):

a. `use_zoom_room` (personal join links on), then `publish`, then the tasks;
b. 100 confirmed online registrations (`register`), then the tasks: expected 4 batch calls
   (30, 30, 30, 10 registrants);
c. the second day's hours changed (`update_day`), then the tasks: expected one PATCH of that
   day's occurrence (`occurrence_id`).

Exits non-zero when an expectation fails. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import time as clock
from collections import Counter
from datetime import date
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not this folder itself (sys.path[0] when run as a script): its calendar.py would hide the
# standard library's, which requests needs.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

from benchmarks.common import django_on_throwaway_database  # noqa: E402  (needs ROOT on sys.path)

BENCH_DB = "sinergi_bench_zoom_calls"
SQLITE_FILE = ROOT / "var" / "bench-zoom-calls.sqlite3"
REGISTRANTS = 100
FIRST_DAY, SECOND_DAY = date(2031, 9, 22), date(2031, 9, 23)
TOKEN_PATH = "/oauth/token"


# Zoom and the worker --------------------------------------------------------------------------


def zoom_settings(fake) -> dict:
    """The settings the tests' `fake_zoom` fixture sets (credentials set: Zoom is on)."""
    from tests.zoomfake import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET

    return {
        "ZOOM_ACCOUNT_ID": ACCOUNT_ID,
        "ZOOM_CLIENT_ID": CLIENT_ID,
        "ZOOM_CLIENT_SECRET": CLIENT_SECRET,
        "ZOOM_HOST_USER": "me",
        "ZOOM_API_BASE_URL": fake.api_url,
        "ZOOM_OAUTH_URL": fake.oauth_url,
        "ZOOM_TIMEOUT_SECONDS": 2,
        "ZOOM_BACKOFF_SECONDS": 0.01,
        "ZOOM_WEBHOOK_SECRET": "webhook-secret",
    }


def run_tasks() -> int:
    """Run the queued tasks that are due, as `manage.py db_worker --batch` does, until none is
    left (a task may queue others: the emails); returns how many ran."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for _ in range(20):
        due = DBTaskResult.objects.ready().count()
        if not due:
            break
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        ran += due
    return ran


def call_label(request) -> str:
    """ "METHOD path" with the Zoom meeting id as {id}, and the query's names (not its values)."""
    path = re.sub(r"/meetings/\d+", "/meetings/{id}", request.path)
    names = sorted(request.query)
    return f"{request.method} {path}" + (f"?{'&'.join(names)}" if names else "")


# Scenarios ------------------------------------------------------------------------------------


def seed():
    """An organizer and a draft two-day hybrid FGD (09.00–15.00, then 09.00–12.00, WIB)."""
    from accounts.models import User
    from meetings import services
    from meetings.models import Meeting

    user = User.objects.create_user(
        "bench-organizer@example.test", "bench-pass-123", full_name="Lismia Elita"
    )
    meeting = services.create_meeting(
        actor=user,
        title="FGD Pengawasan P3MI",
        theme="Peningkatan Sinergi dan Koordinasi Multi Stakeholder Melalui Pengawasan P3MI",
        kind=Meeting.Kind.FGD,
        mode=Meeting.Mode.HYBRID,
        venue_name="Gedung BP2MI",
        capacity_onsite=50,
        capacity_online=300,
        days=[
            {"date": FIRST_DAY, "start_time": dtime(9), "end_time": dtime(15)},
            {"date": SECOND_DAY, "start_time": dtime(9), "end_time": dtime(12)},
        ],
    )
    return user, meeting


def publish_with_zoom(user, meeting) -> None:
    from meetings import services

    services.use_zoom_room(meeting, actor=user, settings={"registration": True})
    services.publish(meeting, actor=user)


def register_online(user, meeting) -> None:
    from participants.services import registration

    for n in range(REGISTRANTS):
        registration.register(
            meeting,
            full_name=f"Peserta Daring {n:03d}",
            email=f"daring{n:03d}@example.test",
            mode="online",
            consent=True,
        )


def reschedule_second_day(user, meeting) -> None:
    from meetings import services

    day = meeting.days.get(date=SECOND_DAY)
    services.update_day(day, actor=user, date=SECOND_DAY, start_time=dtime(13), end_time=dtime(16))


def run_scenario(fake, label: str, action, user, meeting) -> dict:
    """Do `action`, then run the tasks; what Zoom received, the tasks and the wall times."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    fake.requests.clear()
    since = timezone.now()
    started = clock.perf_counter()
    action(user, meeting)
    acted = clock.perf_counter()
    run_tasks()
    finished = clock.perf_counter()
    received = list(fake.requests)
    tasks, task_ms = Counter(), Counter()
    for path, status, began, ended in DBTaskResult.objects.filter(started_at__gte=since).values_list(
        "task_path", "status", "started_at", "finished_at"
    ):
        key = (path.rsplit(".", 1)[-1], status)
        tasks[key] += 1
        task_ms[key] += ((ended or timezone.now()) - began).total_seconds() * 1000
    return {
        "label": label,
        "received": received,
        "calls": Counter(call_label(r) for r in received if r.path != TOKEN_PATH),
        "tokens": sum(1 for r in received if r.path == TOKEN_PATH),
        "tasks": tasks,
        "task_ms": task_ms,
        "action_ms": (acted - started) * 1000,
        "tasks_ms": (finished - acted) * 1000,
    }


# Expectations ---------------------------------------------------------------------------------


def check_publish(fake, meeting, result) -> list[str]:
    from meetings.models import OnlineRoom

    room = OnlineRoom.objects.get(meeting=meeting)
    problems = []
    if room.state != OnlineRoom.State.READY:
        problems.append(f"the room is {room.state}, not ready ({room.last_error})")
    if fake.created != 1:
        problems.append(f"{fake.created} Zoom meetings created, not 1")
    return problems


def check_registrants(fake, meeting, result) -> list[str]:
    from participants.models import Registration

    batches = [r for r in result["received"] if r.path.endswith("/batch_registrants")]
    sizes = [len(r.body["registrants"]) for r in batches]
    links = set(
        Registration.objects.filter(meeting=meeting)
        .exclude(personal_join_url="")
        .values_list("personal_join_url", flat=True)
    )
    problems = []
    if sizes != [30, 30, 30, 10]:
        problems.append(f"batch sizes {sizes}, not [30, 30, 30, 10]")
    if len(links) != REGISTRANTS:
        problems.append(f"{len(links)} distinct personal links, not {REGISTRANTS}")
    return problems


def check_reschedule(fake, meeting, result) -> list[str]:
    from meetings.models import OnlineRoom

    room = OnlineRoom.objects.get(meeting=meeting)
    occurrence = room.remote["days"][SECOND_DAY.isoformat()]["id"]
    patched = [r for r in result["received"] if r.method == "PATCH" and "occurrence_id" in r.query]
    wanted = [({"occurrence_id": occurrence}, {"start_time": "2031-09-23T06:00:00Z", "duration": 180})]
    problems = []
    if [(r.query, r.body) for r in patched] != wanted:
        problems.append(f"occurrence PATCHes {[(r.query, r.body) for r in patched]}, not {wanted}")
    if room.state != OnlineRoom.State.READY:
        problems.append(f"the room is {room.state}, not ready ({room.last_error})")
    return problems


# Report ---------------------------------------------------------------------------------------


def print_table(results: list[dict]) -> None:
    width = max(len(label) for r in results for label in r["calls"]) + 2
    print(f"{'scenario':<34} {'call':<{width}} {'count':>5}")
    for result in results:
        first = True
        for label, count in result["calls"].items():  # in the order Zoom first received them
            print(f"{result['label'] if first else '':<34} {label:<{width}} {count:>5}")
            first = False
        print(f"{'':<34} {'total Zoom API calls':<{width}} {sum(result['calls'].values()):>5}")
        print(f"{'':<34} {'(OAuth token requests, apart)':<{width}} {result['tokens']:>5}")
    print(
        f"\n{'scenario':<34} {'service':>9} {'tasks':>9} {'wall time':>10}  "
        "tasks run: task × count (time inside them)"
    )
    for result in results:
        tasks = ", ".join(
            f"{name}{'' if status == 'SUCCESSFUL' else ' ' + status} × {count} "
            f"({result['task_ms'][name, status]:.0f} ms)"
            for (name, status), count in sorted(result["tasks"].items())
        )
        print(
            f"{result['label']:<34} {result['action_ms']:>7.0f}ms {result['tasks_ms']:>7.0f}ms "
            f"{result['action_ms'] + result['tasks_ms']:>8.0f}ms  {tasks}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()

    with django_on_throwaway_database(BENCH_DB, SQLITE_FILE, args.keep) as where:
        import warnings

        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import override_settings

        from tests.zoomfake import FakeZoom

        # openapi-core warns once about the spec's OAuth scheme; nothing to do with the counts.
        warnings.filterwarnings("ignore", "Unsupported scheme type", UserWarning)
        print(f"Database: {where}; DEBUG={settings.DEBUG}")
        started = clock.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        fake = FakeZoom().start()
        try:
            with override_settings(**zoom_settings(fake)):
                cache.clear()  # no token cached: the first scenario fetches it
                user, meeting = seed()
                print(
                    f"Migrated and seeded in {clock.perf_counter() - started:.1f} s; Zoom: {fake.base_url}\n"
                )
                scenarios = (
                    ("a. use_zoom_room + publish", publish_with_zoom, check_publish),
                    (f"b. {REGISTRANTS} online registrations", register_online, check_registrants),
                    ("c. reschedule the second day", reschedule_second_day, check_reschedule),
                )
                results, problems = [], []
                for label, action, check in scenarios:
                    result = run_scenario(fake, label, action, user, meeting)
                    meeting.refresh_from_db()
                    results.append(result)
                    problems += [f"{label}: {p}" for p in check(fake, meeting, result)]
        finally:
            fake.stop()

        print_table(results)
        print()
        for problem in problems:
            print(f"UNEXPECTED {problem}")
        if not problems:
            print("As expected: one Zoom meeting made; batches of 30, 30, 30, 10; one occurrence PATCH.")
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
