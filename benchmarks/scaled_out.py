"""The scaled-out deployment under load: gunicorn (2 workers, TLS), two task workers, PostgreSQL and
Redis, as tests/deploy/cluster.py starts them, driven over HTTPS from threads.

Run from the repository root (a PostgreSQL server on 127.0.0.1:5432, user postgres, trust auth;
redis-server on the PATH):

    .venv/bin/python benchmarks/scaled_out.py

1. Registration burst: `--trials` fresh meetings with `--capacity` on-site seats, each sent
   `--burst` on-site registrations from `--clients` concurrent clients (every registration from
   an address of its own, so no rate limit refuses it); beside each, the same burst against the
   floor view (benchmarks/floor.py: the same database work in raw SQL). Accepted per second,
   p95 of the POSTs, overbookings (confirmed on-site above the capacity), registration ÷ floor.
2. Memory: the RSS of each gunicorn worker after `--warm-up` requests over the site's pages and
   after `--requests` in all.
3. Email: a reschedule of a meeting with `--emails` confirmed registrants; the updates delivered
   per second to the local SMTP server by the two workers, first to last delivered message.

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, benchmarks/ comes first on the path, and its calendar.py would hide the
# standard library's (which http.cookiejar, and so requests, imports).
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "benchmarks":
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.50  # registrations per second ÷ the floor's
TARGET_GROWTH = 0.10  # RSS growth of a gunicorn worker after the warm-up


# Seeding, run inside the cluster by `manage.py shell` ------------------------------------------


def seed(trials: int, capacity: int, emails: int) -> None:
    """Meetings for the trials (registration and floor; one more of each for the warm-up), a meeting with `emails` confirmed
    registrants for the email phase, and the list of pages for the memory phase. Prints JSON."""
    from datetime import datetime, timedelta
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from meetings import services
    from meetings.models import Meeting
    from participants.models import Registration
    from tests.deploy.world import ORGANIZER

    organizer = User.objects.get(email=ORGANIZER)
    zone = ZoneInfo("Asia/Jakarta")
    day = timezone.localtime(timezone.now(), zone).date() + timedelta(days=3)

    def meeting(title: str, onsite: int, online: int) -> Meeting:
        created = services.create_meeting(
            actor=organizer,
            title=title,
            theme="Uji beban",
            kind="coordination",
            mode="hybrid",
            timezone="Asia/Jakarta",
            venue_name="Kantor BP2MI",
            capacity_onsite=onsite,
            capacity_online=online,
            registration_opens_at=timezone.now() - timedelta(hours=1),
            registration_closes_at=datetime.combine(day - timedelta(days=1), clock(16), tzinfo=zone),
            days=[{"date": day, "start_time": clock(9), "end_time": clock(12)}],
        )
        return services.publish(created, actor=organizer)

    registration = [meeting(f"Rapat Uji Pendaftaran {n + 1}", capacity, 400) for n in range(trials + 1)]
    floor = [meeting(f"Rapat Uji Lantai {n + 1}", capacity, 400) for n in range(trials + 1)]
    big = meeting("Rapat Uji Surel", emails + 100, emails + 100)
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            meeting=big,
            full_name=f"Peserta Surel {n:04d}",
            position="Analis",
            organization_name="BP3MI Uji",
            email=f"surel{n:04d}@bench.test",
            phone=f"0813{n:08d}",
            mode="onsite" if n % 2 else "online",
            state=Registration.State.CONFIRMED,
            consent_at=now,
            confirmed_at=now,
        )
        for n in range(emails)
    )
    someone = Registration.objects.filter(meeting=big).order_by("pk").first()
    code = big.code
    pages = {
        "home": reverse("home"),
        "public meeting page": reverse("meetings:public", args=[code]),
        "register form": reverse("participants:register", args=[code]),
        "private registration page": someone.urls.private,
        "organizer dashboard": reverse("dashboard"),
        "meeting detail": reverse("meetings:detail", args=[code]),
        "registrations list": reverse("participants:registrations", args=[code]),
        "minutes editor": reverse("minutes:editor", args=[code]),
        "policy registry": reverse("policy:registry"),
        "statistics": reverse("policy:dashboard"),
        ".ics": reverse("meetings:calendar", args=[code]),
    }
    day_row = big.days.get()
    print(
        json.dumps(
            {
                "registration": [m.code for m in registration],
                "floor": [m.pk for m in floor],
                "email_meeting": {"code": code, "day_id": day_row.pk, "date": day.isoformat()},
                "pages": pages,
            }
        )
    )


# Measuring -------------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")


_addresses = itertools.count(1)
_addresses_lock = threading.Lock()


def next_address() -> str:
    """A client address nobody used before in this run (10.x.y.z): each its own rate limit."""
    with _addresses_lock:
        n = next(_addresses)
    return f"10.{n // 62500 % 250}.{n // 250 % 250}.{1 + n % 250}"


def person(n: int, mode: str = "onsite") -> dict:
    return {
        "full_name": f"Peserta Beban {n:05d}",
        "position": "Analis",
        "organization_name": "BP3MI Uji",
        "email": f"beban{n:05d}@bench.test",
        "phone": f"0812{n:08d}",
        "mode": mode,
        "consent": "on",
    }


_people = itertools.count(1)


def registration_trial(cluster, code: str, burst: int, clients: int) -> dict:
    """`burst` browsers GET the form (untimed), then all POST from `clients` threads (timed)."""
    path = f"/m/{code}/register/"

    def open_form(_):
        client = cluster.client(next_address())
        return client, client.csrf_from(path), person(next(_people))

    with ThreadPoolExecutor(clients) as pool:
        browsers = list(pool.map(open_form, range(burst)))

    def submit(browser):
        client, token, data = browser
        started = time.perf_counter()
        response = client.post(path, data={"csrfmiddlewaretoken": token, **data})
        elapsed = time.perf_counter() - started
        client.close()
        accepted = response.status_code == 302 and response.headers.get("Location", "").endswith("/sent/")
        return accepted, response.status_code, elapsed

    cpu = web_cpu(cluster)
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(submit, browsers))
    wall = time.perf_counter() - started
    return {"wall": wall, "results": results, "cpu": web_cpu(cluster) - cpu}


def floor_trial(cluster, meeting_id: int, burst: int, clients: int) -> dict:
    path = f"/bench/floor/{meeting_id}/"

    def submit(n):
        client = cluster.client(next_address())
        started = time.perf_counter()
        response = client.post(path, data=person(n))
        elapsed = time.perf_counter() - started
        client.close()
        return response.status_code == 204, response.status_code, elapsed

    people = [next(_people) for _ in range(burst)]
    cpu = web_cpu(cluster)
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(submit, people))
    wall = time.perf_counter() - started
    return {"wall": wall, "results": results, "cpu": web_cpu(cluster) - cpu}


def summarize(trials: list[dict]) -> dict:
    results = [r for trial in trials for r in trial["results"]]
    accepted = sum(1 for ok, _, _ in results if ok)
    wall = sum(trial["wall"] for trial in trials)
    latencies = [elapsed * 1000 for _, _, elapsed in results]
    return {
        "requests": len(results),
        "accepted": accepted,
        "statuses": Counter(status for _, status, _ in results),
        "wall": wall,
        "rate": accepted / wall if wall else 0.0,
        "cpu_ms": 1000 * sum(trial["cpu"] for trial in trials) / len(results) if results else 0.0,
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": p95(latencies),
    }


def confirmed_onsite(cluster, meeting: str | int) -> int:
    column = "m.code" if isinstance(meeting, str) else "m.id"
    return cluster.sql_one(
        "SELECT count(*) FROM participants_registration r JOIN meetings_meeting m ON m.id = r.meeting_id"
        f" WHERE {column} = %s AND r.mode = 'onsite' AND r.state = 'confirmed'",
        meeting,
    )


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def web_cpu(cluster) -> float:
    """CPU seconds the gunicorn workers have used so far."""
    return sum(cpu_seconds(pid) for pid in worker_pids(cluster.processes["web"].pid))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def memory_phase(cluster, pages: dict, total: int, warm_up: int, clients: int) -> dict:
    """`total` GETs round-robin over `pages` from `clients` signed-in organizer sessions; the RSS
    of every gunicorn worker after the first `warm_up` and at the end."""
    from tests.deploy.world import ORGANIZER, PASSWORD

    sessions = []
    for n in range(clients):
        client = cluster.client(f"192.0.2.{100 + n}")
        client.log_in(ORGANIZER, PASSWORD)
        sessions.append(client)
    urls = list(pages.values())
    statuses: dict[str, Counter] = {name: Counter() for name in pages}
    names = {url: name for name, url in pages.items()}
    counter = itertools.count()
    lock = threading.Lock()
    marks: dict[str, object] = {}
    master = cluster.processes["web"].pid

    def snapshot() -> dict[int, int]:
        return {pid: rss_kib(pid) for pid in worker_pids(master)}

    def run(session):
        while True:
            with lock:
                n = next(counter)
                if n == warm_up:
                    # Let the requests in flight finish, then read the RSS (other threads wait).
                    time.sleep(0.5)
                    marks["warm"] = snapshot()
                    marks["warm_time"] = time.perf_counter()
            if n >= total:
                return
            url = urls[n % len(urls)]
            response = session.get(url)
            with lock:
                statuses[names[url]][response.status_code] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, sessions))
    end = snapshot()
    elapsed = time.perf_counter() - started
    return {
        "warm": marks["warm"],
        "end": end,
        "elapsed": elapsed,
        "after_warm": time.perf_counter() - marks["warm_time"],
        "statuses": statuses,
    }


def wait(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def email_phase(cluster, meeting: dict, count: int, stamps: list, timeout: float) -> dict:
    """The organizer moves the meeting's hours: each of `count` registrants gets an update."""
    from tests.deploy.world import ORGANIZER, PASSWORD

    staff = cluster.client("192.0.2.250")
    staff.log_in(ORGANIZER, PASSWORD)
    addresses = {f"surel{n:04d}@bench.test" for n in range(count)}
    before = len(stamps)
    posted = time.monotonic()
    response = staff.post_form(
        f"/meetings/{meeting['code']}/days/{meeting['day_id']}/edit/",
        {"date": meeting["date"], "start_time": "10:00", "end_time": "13:00"},
    )
    assert response.status_code == 302, f"reschedule refused: {response.status_code}"

    def mine():
        return [t for t, to in stamps[before:] if addresses.intersection(to)]

    done = wait(lambda: len(mine()) >= count, timeout, 0.05)
    times = mine()
    first, last = (times[0], times[-1]) if times else (posted, posted)
    return {
        "delivered": len(times),
        "complete": done,
        "first_after_post": first - posted,
        "span": last - first,
        "rate": (len(times) - 1) / (last - first) if len(times) > 1 and last > first else 0.0,
        "post_to_last": last - posted,
    }


def stamp_deliveries(cluster) -> list:
    """Record (monotonic time, recipients) of every message the SMTP server accepts."""
    stamps: list = []
    handler = cluster.smtp.handler
    original = handler.handle_DATA

    async def handle_DATA(server, session, envelope):
        answer = await original(server, session, envelope)
        if answer.startswith("250"):
            stamps.append((time.monotonic(), list(envelope.rcpt_tos)))
        return answer

    handler.handle_DATA = handle_DATA
    return stamps


# Report ----------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--trials", type=int, default=10, help="registration trials (and as many floor trials)"
    )
    parser.add_argument("--capacity", type=int, default=50, help="on-site seats of a trial meeting")
    parser.add_argument("--burst", type=int, default=120, help="on-site registrations of a trial")
    parser.add_argument("-c", "--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=10_000, help="GETs of the memory phase, in all")
    parser.add_argument("--warm-up", type=int, default=500, help="GETs before the first RSS reading")
    parser.add_argument(
        "--memory-clients", type=int, default=4, help="concurrent clients of the memory phase"
    )
    parser.add_argument("--emails", type=int, default=500, help="registrants who get the reschedule update")
    parser.add_argument("--drain-timeout", type=float, default=600, help="seconds to wait for the outbox")
    parser.add_argument("--skip", action="append", default=[], choices=["burst", "memory", "email"])
    args = parser.parse_args()

    os.chdir(ROOT)
    from tests.deploy.cluster import Cluster

    cluster = Cluster(settings_module="benchmarks.settings_floor")
    started = time.perf_counter()
    failed = False
    try:
        cluster.start()
        stamps = stamp_deliveries(cluster)
        out = cluster.manage(
            "shell",
            "-c",
            f"from benchmarks.scaled_out import seed; seed({args.trials}, {args.capacity}, {args.emails})",
        )
        world = json.loads(out.strip().splitlines()[-1])
        load = os.getloadavg()
        print(f"Cluster up in {time.perf_counter() - started:.1f} s: gunicorn 2 workers (TLS), 2 db_workers,")
        print(
            f"PostgreSQL database {cluster.db_name}, redis-server :{cluster.redis_port}, SMTP :{cluster.smtp.port}"
        )
        print(
            f"Load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)\n"
        )

        figures: list[tuple[str, str, str]] = []

        # 1. Registration burst beside the floor ------------------------------------------------
        if "burst" not in args.skip:
            # One untimed burst of each first: the workers import, connect and fill their caches.
            floor_trial(cluster, world["floor"][0], args.clients, args.clients)
            registration_trial(cluster, world["registration"][0], args.clients, args.clients)
            registrations, floors = [], []
            over_reg = over_floor = 0
            for n in range(1, args.trials + 1):
                # Alternated, so both see the same background (the task workers sending emails).
                registrations.append(
                    registration_trial(cluster, world["registration"][n], args.burst, args.clients)
                )
                floors.append(floor_trial(cluster, world["floor"][n], args.burst, args.clients))
                reg_confirmed = confirmed_onsite(cluster, world["registration"][n])
                floor_confirmed = confirmed_onsite(cluster, world["floor"][n])
                over_reg += reg_confirmed > args.capacity
                over_floor += floor_confirmed > args.capacity
                r, f = summarize(registrations[-1:]), summarize(floors[-1:])
                print(
                    f"trial {n:>2}: registration {r['accepted']}/{r['requests']} accepted"
                    f" {r['rate']:6.1f}/s p95 {r['p95']:6.1f} ms, {reg_confirmed} confirmed on-site;"
                    f" floor {f['accepted']}/{f['requests']} {f['rate']:6.1f}/s p95 {f['p95']:6.1f} ms,"
                    f" {floor_confirmed} confirmed"
                )
            reg, flo = summarize(registrations), summarize(floors)
            ratio = reg["rate"] / flo["rate"] if flo["rate"] else 0.0
            print()
            print(
                f"{'burst (' + str(args.clients) + ' clients)':<28} {'accepted':>9} {'per s':>8} {'median':>9} {'p95':>9}"
                f" {'web CPU':>9}  statuses"
            )
            for name, s in (("registration form", reg), ("floor (raw SQL)", flo)):
                print(
                    f"{name:<28} {s['accepted']:>4}/{s['requests']:<4} {s['rate']:>8.1f} {s['median']:>7.1f}ms"
                    f" {s['p95']:>7.1f}ms {s['cpu_ms']:>7.1f}ms  {dict(s['statuses'])}"
                )
            print()
            figures += [
                ("registrations accepted per second", f"{reg['rate']:.1f}/s", ""),
                ("registration POST p95", f"{reg['p95']:.1f} ms", ""),
                ("floor accepted per second", f"{flo['rate']:.1f}/s", ""),
                ("floor POST p95", f"{flo['p95']:.1f} ms", ""),
                (
                    "registration ÷ floor",
                    f"{ratio:.0%}",
                    f">= {TARGET_RATIO:.0%}: {verdict(ratio >= TARGET_RATIO)}",
                ),
                (
                    f"overbookings in {args.trials} trials",
                    str(over_reg),
                    f"0: {verdict(over_reg == 0)} (floor: {over_floor})",
                ),
            ]
            # The trials' emails (confirmations and waiting-list notices), sent by the workers.
            queued = cluster.sql_one(
                "SELECT count(*) FROM core_outgoingemail WHERE state IN ('queued', 'sending')"
            )
            drain_start = time.perf_counter()
            drained = wait(cluster.outbox_settled, args.drain_timeout, 0.5)
            drain = time.perf_counter() - drain_start
            states = dict(cluster.sql("SELECT state, count(*) FROM core_outgoingemail GROUP BY state"))
            print(
                f"Outbox after the trials: {queued} still to send, drained in {drain:.1f} s"
                f"{'' if drained else ' (NOT drained)'}; states {states}\n"
            )

        # 2. Memory of the gunicorn workers ------------------------------------------------------
        if "memory" not in args.skip:
            memory = memory_phase(cluster, world["pages"], args.requests, args.warm_up, args.memory_clients)
            print(
                f"Memory: {args.requests} GETs ({args.warm_up} warm-up) from {args.memory_clients} clients in"
                f" {memory['elapsed']:.1f} s ({args.requests / memory['elapsed']:.0f} req/s)"
            )
            for name, url in world["pages"].items():
                print(f"  {name:<28} {dict(memory['statuses'][name])}  {url}")
            growths = []
            for pid in sorted(memory["end"]):
                warm = memory["warm"].get(pid)
                end = memory["end"][pid]
                if warm is None:
                    print(
                        f"  worker {pid}: not there at the warm-up (restarted?), {end / 1024:.1f} MiB at the end"
                    )
                    failed = True
                    continue
                growth = (end - warm) / warm
                growths.append(growth)
                print(
                    f"  worker {pid}: {warm / 1024:.1f} MiB after the warm-up, {end / 1024:.1f} MiB at the end, {growth:+.1%}"
                )
            print()
            worst = max(growths) if growths else float("nan")
            figures.append(
                (
                    f"worker RSS growth over {args.requests - args.warm_up} requests",
                    f"{worst:+.1%} (worst of {len(growths)})",
                    f"< {TARGET_GROWTH:.0%}: {verdict(worst < TARGET_GROWTH)}",
                )
            )

        # 3. Emails per second -----------------------------------------------------------------
        if "email" not in args.skip:
            wait(cluster.outbox_settled, args.drain_timeout, 0.5)
            email = email_phase(cluster, world["email_meeting"], args.emails, stamps, args.drain_timeout)
            print(
                f"Email: {email['delivered']}/{args.emails} updates delivered"
                f"{'' if email['complete'] else ' (INCOMPLETE)'}; first {email['first_after_post']:.2f} s"
                f" after the reschedule, first to last {email['span']:.2f} s, reschedule to last"
                f" {email['post_to_last']:.2f} s\n"
            )
            failed |= not email["complete"]
            figures.append((f"emails per second ({args.emails}, 2 workers)", f"{email['rate']:.1f}/s", ""))

        print(f"{'figure':<44} {'value':>22}  target")
        for name, value, target in figures:
            print(f"{name:<44} {value:>22}  {target}")
        load = os.getloadavg()
        print(
            f"\nLoad average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; total {time.perf_counter() - started:.0f} s"
        )
    except BaseException:
        for name in ("web", "worker1", "worker2"):
            print(f"--- {name} ---\n{cluster.log(name)[-3000:]}", file=sys.stderr)
        raise
    finally:
        with contextlib.suppress(Exception):
            cluster.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
