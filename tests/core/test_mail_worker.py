"""Emails survive a killed task worker, and a send never holds the database.

Each test runs real `manage.py` processes (the task worker, the commands) against a SQLite file
and a real SMTP server on loopback that stalls at a chosen command, then kills the worker with
SIGKILL, as the out-of-memory killer or a power cut would.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
SEND_TASK = "core.tasks.send_outgoing_email"


def _env(database: Path, smtp_port: int = 25) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        # An email queued or being sent for a second is taken for stuck (the default is minutes).
        SINERGI_EMAIL_STUCK_AFTER_SECONDS="1",
    )
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def queued_database(tmp_path_factory):
    """A migrated database file holding one queued email (see test_mail.build_test_message)."""
    path = tmp_path_factory.mktemp("template") / "sinergi.sqlite3"
    env = _env(path)
    _manage(env, "migrate", "-v0")
    _manage(env, "shell", "-c", "from tests.core.test_mail import queue; queue()")
    return path


class Site:
    """The database file, the mail server and the processes of one test."""

    def __init__(self, database: Path, smtp: SMTPServer, logs: Path):
        self.database, self.smtp, self.logs = database, smtp, logs
        self.env = _env(database, smtp.port)
        self.workers: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        return _manage(self.env, *args)

    def start_worker(self) -> subprocess.Popen:
        log = open(self.logs / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(30)

    def query(self, sql: str, *params) -> list[dict]:
        with sqlite3.connect(self.database, timeout=30) as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute(sql, params)]

    def email(self) -> dict:
        [row] = self.query("SELECT * FROM core_outgoingemail")
        return row

    def send_tasks(self) -> list[tuple[str, str]]:
        rows = self.query(
            "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = ? ORDER BY enqueued_at",
            SEND_TASK,
        )
        return [(row["status"], row["exception_class_path"]) for row in rows]

    def wait_until_sent(self, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.email()
            if row["state"] == "sent":
                return row
            time.sleep(0.1)
        raise AssertionError(f"not sent after {timeout} s: {self.email()}")


@pytest.fixture
def site(queued_database, tmp_path):
    database = tmp_path / "sinergi.sqlite3"
    # The backup API copies a WAL database consistently (a file copy could miss the -wal file).
    with sqlite3.connect(queued_database) as source, sqlite3.connect(database) as target:
        source.backup(target)
    smtp = SMTPServer().start()
    site = Site(database, smtp, tmp_path)
    yield site
    site.stop_workers()
    smtp.stop()
    shutil.rmtree(tmp_path, ignore_errors=True)


def kill(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGKILL)
    assert worker.wait(30) == -signal.SIGKILL


def test_worker_killed_before_the_server_accepted_the_email_is_swept_and_sent_once(site):
    site.smtp.stall("DATA")  # the server has the message but has not said "250 accepted"
    kill_me = site.start_worker()
    site.smtp.wait_until_stalled()
    kill(kill_me)

    attempt = site.email()
    assert (attempt["state"], attempt["attempts"]) == ("sending", 1)
    assert attempt["message_id"].endswith("@sinergi.test>")
    assert site.smtp.messages == []

    site.smtp.resume()
    site.start_worker()  # its periodic sweep finds the email stuck and queues it again
    sent = site.wait_until_sent()
    site.stop_workers()

    assert [m["message"]["Message-ID"] for m in site.smtp.messages] == [attempt["message_id"]]
    assert (sent["attempts"], sent["message_id"]) == (2, attempt["message_id"])
    # The dead worker's task no longer claims to be running.
    assert site.send_tasks() == [("FAILED", "core.mail.WorkerLost"), ("SUCCESSFUL", "")]


def test_worker_killed_after_the_server_accepted_sends_a_duplicate_with_the_same_message_id(site):
    site.smtp.stall("QUIT")  # accepted ("250"), and the worker dies before it records that
    kill_me = site.start_worker()
    site.smtp.wait_until_stalled()
    kill(kill_me)
    assert len(site.smtp.messages) == 1
    assert site.email()["state"] == "sending"

    site.smtp.resume()
    site.start_worker()
    sent = site.wait_until_sent()
    site.stop_workers()

    assert [m["message"]["Message-ID"] for m in site.smtp.messages] == [sent["message_id"]] * 2
    assert sent["attempts"] == 2


def test_worker_killed_before_delivery_started_loses_nothing_and_the_command_requeues_it(site):
    site.smtp.stall("RCPT")  # not even the message has reached the server
    kill_me = site.start_worker()
    site.smtp.wait_until_stalled()
    kill(kill_me)
    assert (site.email()["state"], site.smtp.messages) == ("sending", [])
    time.sleep(1.1)  # stuck for longer than SINERGI_EMAIL_STUCK_AFTER_SECONDS

    output = site.manage("send_queued_emails")

    assert output == "0 failed emails queued again.\n1 stuck emails queued again.\n"
    assert site.email()["state"] == "queued"
    site.smtp.resume()
    site.manage("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert site.email()["state"] == "sent"
    assert [m["to"] for m in site.smtp.messages] == [["peserta@example.test"]]


def test_database_stays_writable_while_the_mail_server_stalls(site):
    site.smtp.stall("QUIT")
    site.start_worker()
    site.smtp.wait_until_stalled()

    # Another process (a registration, an import) writes at once; it used to wait for the send
    # and fail with "database is locked".
    writer = sqlite3.connect(site.database, timeout=1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('k', 'd', '2031-01-01')"
    )
    writer.execute("COMMIT")
    writer.close()

    site.smtp.resume()
    site.wait_until_sent()
    assert site.query("SELECT session_key FROM django_session") == [{"session_key": "k"}]
    assert len(site.smtp.messages) == 1
