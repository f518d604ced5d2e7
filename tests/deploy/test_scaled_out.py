"""The scaled-out deployment, exercised: gunicorn (2 workers) and two task workers as separate
processes on PostgreSQL and Redis (tests/deploy/cluster.py), driven over HTTPS.

- the happy path: an organizer publishes a meeting, 200 registrations arrive from 20
  concurrent clients, every confirmation reaches the SMTP server exactly once, a reschedule
  sends each registrant an update, a check-in works;
- faults: a worker killed with SIGKILL in the middle of a batch of emails and restarted (every
  email delivered, none lost), the database connection cut in the middle of a request (a clean
  error, nothing half-saved, the next request succeeds), Redis stopped (pages still answer,
  registration refuses cleanly, the log says so, and all is well again once Redis is back).
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from .cluster import Cluster, _wait_for
from .world import ORGANIZER, PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.deploy]

REGISTRATIONS = 200
CLIENTS = 20


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        yield cluster.start()
    finally:
        # On a failure pytest shows what the processes said.
        logs = {name: cluster.log(name)[-4000:] for name in ("web", "worker1", "worker2")}
        cluster.close()
        print("\n".join(f"--- {name} ---\n{text}" for name, text in logs.items()))


def organizer(cluster: Cluster):
    client = cluster.client("192.0.2.10")
    client.log_in(ORGANIZER, PASSWORD)
    return client


def publish(cluster: Cluster, client) -> None:
    code = cluster.world["code"]
    response = client.post_form(f"/meetings/{code}/publish/", {}, csrf_page=f"/meetings/{code}/")
    assert response.status_code == 302
    assert cluster.sql_one("SELECT status FROM meetings_meeting WHERE code = %s", code) == "published"


def register(cluster: Cluster, n: int, mode: str | None = None):
    """One participant's browser: the form, then the submission, from an address of its own."""
    client = cluster.client(f"10.{n // 250}.{n % 250}.{1 + n % 7}")
    return client.post_form(
        f"/m/{cluster.world['code']}/register/",
        {
            "full_name": f"Peserta Uji {n:03d}",
            "position": "Analis",
            "organization_name": "BP3MI Uji",
            "email": f"peserta{n:03d}@smoke.test",
            "phone": f"0812{n:08d}",
            "mode": mode or ("onsite" if n % 2 else "online"),
            "consent": "on",
        },
    )


def delivered(cluster: Cluster) -> Counter:
    return Counter(address for message in cluster.smtp.messages for address in message["to"])


def wait_for_mail(cluster: Cluster, count: int, timeout: float = 120) -> None:
    _wait_for(
        lambda: len(cluster.smtp.messages) >= count and cluster.outbox_settled(), timeout, f"{count} emails"
    )


def test_publish_register_200_reschedule_and_check_in(cluster):
    staff = organizer(cluster)
    publish(cluster, staff)
    first_mails = len(cluster.smtp.messages)

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = Counter(
            r.status_code for r in pool.map(lambda n: register(cluster, n), range(REGISTRATIONS))
        )

    assert statuses == {302: REGISTRATIONS}
    rows = cluster.sql("SELECT state, mode, count(*) FROM participants_registration GROUP BY state, mode")
    assert {(state, mode): n for state, mode, n in rows} == {
        ("confirmed", "onsite"): REGISTRATIONS // 2,
        ("confirmed", "online"): REGISTRATIONS // 2,
    }
    wait_for_mail(cluster, first_mails + REGISTRATIONS)
    per_address = delivered(cluster)
    participants = {f"peserta{n:03d}@smoke.test" for n in range(REGISTRATIONS)}
    assert {a: per_address[a] for a in participants} == dict.fromkeys(participants, 1)  # exactly once

    # The organizer moves the day's hours: each registrant gets one update.
    code, day_id, day = cluster.world["code"], cluster.world["day_id"], cluster.world["date"]
    moved = staff.post_form(
        f"/meetings/{code}/days/{day_id}/edit/", {"date": day, "start_time": "10:00", "end_time": "13:00"}
    )
    assert moved.status_code == 302
    wait_for_mail(cluster, first_mails + 2 * REGISTRATIONS)
    per_address = delivered(cluster)
    assert {a: per_address[a] for a in participants} == dict.fromkeys(participants, 2)
    update = [m["message"] for m in cluster.smtp.messages if "peserta007@smoke.test" in m["to"]][-1]
    assert "10.00" in update.get_body(("plain",)).get_content()

    # A check-in at the desk by the registration's code (the day is two days ahead: the organizer
    # opens the desk outside its day, as a rehearsal would).
    registration_code = cluster.sql_one(
        "SELECT code FROM participants_registration WHERE email = %s", "peserta001@smoke.test"
    )
    desk = f"/meetings/{code}/checkin/{day_id}/?override=1"
    checked = staff.post_form(desk, {"code": registration_code, "override": "1"})
    assert checked.status_code in (200, 302)
    assert (
        cluster.sql_one(
            "SELECT count(*) FROM participants_attendance a JOIN participants_registration r ON r.id = a.registration_id"
            " WHERE r.email = %s AND a.how = 'onsite'",
            "peserta001@smoke.test",
        )
        == 1
    )


def test_faults_worker_killed_connection_cut_and_redis_stopped(cluster):
    staff = organizer(cluster)
    publish(cluster, staff)
    base = len(cluster.smtp.messages)

    # 1. A worker killed (SIGKILL) while it is in the middle of sending a batch of emails.
    cluster.smtp.stall("DATA")
    with ThreadPoolExecutor(CLIENTS) as pool:
        assert {r.status_code for r in pool.map(lambda n: register(cluster, n), range(40))} == {302}
    cluster.smtp.wait_until_stalled()
    cluster.stop("worker1", signal.SIGKILL)
    cluster.smtp.resume()
    cluster.start_worker(1)
    wait_for_mail(cluster, base + 40, timeout=180)
    per_address = delivered(cluster)
    assert all(per_address[f"peserta{n:03d}@smoke.test"] >= 1 for n in range(40))  # none lost
    # The stalled send never got past DATA, so nothing was accepted twice.
    assert max(per_address[f"peserta{n:03d}@smoke.test"] for n in range(40)) == 1

    # 2. The database connection cut in the middle of a registration: it waits for the meeting's
    # row (locked here), its backend is terminated, the page is a clean error, nothing is saved.
    import psycopg

    with psycopg.connect(
        cluster.database_url("sinergi-test").replace("postgres://", "postgresql://")
    ) as lock:
        lock.execute("SELECT id FROM meetings_meeting WHERE code = %s FOR UPDATE", (cluster.world["code"],))
        result = {}
        thread = threading.Thread(target=lambda: result.update(response=register(cluster, 500)))
        thread.start()
        waiting = _wait_for(
            lambda: cluster.sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'sinergi-web' AND wait_event_type = 'Lock'"
            ),
            30,
            "the registration to wait for the lock",
        )
        cluster.sql("SELECT pg_terminate_backend(%s)", waiting[0][0])
        thread.join(30)
        lock.rollback()
    cut = result["response"]
    assert cut.status_code == 500
    assert "Traceback" not in cut.text
    assert (
        cluster.sql_one(
            "SELECT count(*) FROM participants_registration WHERE email = 'peserta500@smoke.test'"
        )
        == 0
    )
    assert (
        cluster.sql_one(
            'SELECT count(*) FROM core_outgoingemail WHERE %s = ANY(SELECT jsonb_array_elements_text("to"))',
            "peserta500@smoke.test",
        )
        == 0
    )
    assert register(cluster, 501).status_code == 302  # the next request succeeds
    wait_for_mail(cluster, base + 41)

    # 3. Redis stopped: pages answer, registration refuses cleanly (and says so in the log).
    cluster.stop_redis()
    public = cluster.client("192.0.2.99").get(f"/m/{cluster.world['code']}/")
    refused = register(cluster, 600)
    dashboard = staff.get("/dashboard/")
    assert public.status_code == 200
    assert refused.status_code == 503
    assert "Tidak ada yang tersimpan" in refused.text
    assert dashboard.status_code in (200, 302)
    assert (
        cluster.sql_one(
            "SELECT count(*) FROM participants_registration WHERE email = 'peserta600@smoke.test'"
        )
        == 0
    )
    _wait_for(
        lambda: re.search(r"Rate limit register cannot be counted", cluster.log("web")), 10, "the log line"
    )

    cluster.start_redis()
    time.sleep(0.5)
    assert register(cluster, 601).status_code == 302
    wait_for_mail(cluster, base + 42)
