"""Shared fixtures: users in each role and a published two-day meeting."""

import io
import os
from datetime import date, time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizerFactory,
    UserFactory,
)
from tests.zoomfake import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, FakeZoom

# Fixtures shared by the certificate tests of participants and minutes (a held FGD with attendance).
pytest_plugins = ["tests.participants.certificate_fixtures"]

# Property tests: a moderate number of examples keeps the suite fast; no deadline, since a test
# that touches the database may take a while on a busy machine. HYPOTHESIS_PROFILE=thorough
# looks harder (locally, before changing a rule those tests cover).
hypothesis_settings.register_profile("default", max_examples=40, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (real row locks, parallel connections) are not collected on SQLite.

    They are deselected rather than skipped, so a run never reports a skipped test as if it had
    been checked; the PostgreSQL run of CI collects and runs them.
    """
    if _on_postgres():
        return
    deselected = [item for item in items if "postgres" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if "postgres" not in item.keywords]
        config._sinergi_pg_deselected = len(deselected)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if count := getattr(config, "_sinergi_pg_deselected", 0):
        terminalreporter.write_line(
            f"{count} PostgreSQL-only tests not collected on SQLite "
            "(set DATABASE_URL=postgres://... to run them)"
        )


def pytest_sessionfinish(session, exitstatus):
    """With SINERGI_FORBID_SKIPS=1 (CI), a skipped test fails the run: nothing passes unchecked."""
    if os.environ.get("SINERGI_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"SINERGI_FORBID_SKIPS=1: {len(skipped)} tests were skipped", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _no_remembered_sweep():
    """core.mail remembers a waiting sweep per process; a test's rolled-back one must not count."""
    from core import mail

    mail._know_sweep(None)
    yield
    mail._know_sweep(None)


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Each test starts in the site's default language, whatever the last one activated."""
    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture
def organizer(db):
    return OrganizerFactory(email="organizer@example.test", full_name="Lismia Elita")


@pytest.fixture
def other_organizer(db):
    return OrganizerFactory(email="other-organizer@example.test", full_name="Other Organizer")


@pytest.fixture
def secretary(db):
    return UserFactory(email="secretary@example.test", full_name="Sekretaris Rapat")


@pytest.fixture
def plain_user(db):
    return UserFactory(email="someone@example.test", full_name="Someone Else")


@pytest.fixture
def meeting(organizer, secretary):
    """A draft two-day hybrid FGD with two agenda items on the first day."""
    m = MeetingFactory(
        title="FGD Pengawasan P3MI",
        organizers=[organizer],
        secretaries=[secretary],
        status=Meeting.Status.DRAFT,
    )
    day1 = MeetingDayFactory(meeting=m, date=date(2031, 9, 22), start_time=time(9), end_time=time(15))
    MeetingDayFactory(meeting=m, date=date(2031, 9, 23), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day1, start_time=time(9), end_time=time(10), title="Pembukaan", order=1)
    AgendaItemFactory(day=day1, start_time=time(10), end_time=time(12), title="Paparan Narasumber", order=2)
    m.refresh_from_db()
    return m


@pytest.fixture
def published_meeting(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    meeting.refresh_from_db()
    return meeting


def _restart_sequences() -> None:
    """PostgreSQL's sequences move on through rolled-back transactions (SQLite's do not): set each
    back to just above its table's rows, so the demo gets the ids a fresh database gives it
    (parts of the demo, like the number of a unit's delegates, follow the ids)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker):
    """The demo data (`seed_demo`), built once for a whole test module; yields the command's output.

    As Django's TestCase.setUpTestData: the data lives in an outer transaction that is rolled
    back after the module's last test, and each test's own transaction (the `db` fixture) is a
    savepoint inside it, so whatever a test writes is undone before the next one. Ask for it
    through a function fixture that also takes `db`; not for transactional or live-server tests.
    """
    out = io.StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from django.core.management import call_command

            _restart_sequences()
            call_command("seed_demo", stdout=out)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every queued background task once, as `manage.py db_worker --batch` does."""
    from django_tasks_db.management.commands import db_worker

    # The worker closes stale connections between tasks; inside a test that would close the
    # test's own connection (and its transaction) on PostgreSQL.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        from django.core.management import call_command
        from django_tasks_db.models import DBTaskResult

        before = DBTaskResult.objects.ready().count()  # due now (not the planned email sweep)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        return before

    return run


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the app sends through it during the test."""
    from tests.smtp import SMTPServer

    server = SMTPServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


# The fake Zoom server (tests/zoomfake.py), started once per test session, with Sinergi's settings
# pointed at it.
@pytest.fixture(scope="session")
def zoom_server():
    server = FakeZoom().start()
    yield server
    server.stop()


@pytest.fixture
def fake_zoom(zoom_server, settings):
    """The fake, emptied, and the Zoom settings pointing at it (credentials set: Zoom is on)."""
    zoom_server.reset()
    settings.ZOOM_ACCOUNT_ID = ACCOUNT_ID
    settings.ZOOM_CLIENT_ID = CLIENT_ID
    settings.ZOOM_CLIENT_SECRET = CLIENT_SECRET
    settings.ZOOM_HOST_USER = "me"
    settings.ZOOM_API_BASE_URL = zoom_server.api_url
    settings.ZOOM_OAUTH_URL = zoom_server.oauth_url
    settings.ZOOM_TIMEOUT_SECONDS = 2
    settings.ZOOM_BACKOFF_SECONDS = 0.01
    settings.ZOOM_WEBHOOK_SECRET = "webhook-secret"
    cache.clear()
    yield zoom_server
    cache.clear()
