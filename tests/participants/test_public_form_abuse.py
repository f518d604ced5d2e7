"""Abuse of the public form: one "already registered" email per address, meeting and hour; the
per-client limit behind a reverse proxy."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from core.models import AuditEntry
from participants.models import Registration
from tests.factories import MeetingDayFactory, MeetingFactory
from tests.participants.test_public_registration import english, form_data, register_url

pytestmark = pytest.mark.django_db

TITLE = "FGD Pengawasan P3MI"
ALREADY = f"Your registration: {TITLE}"


@pytest.fixture(autouse=True)
def _no_rate_counts_from_other_tests():
    cache.clear()
    yield
    cache.clear()


def submit(client, meeting, times: int, **overrides) -> list[int]:
    return [client.post(register_url(meeting), form_data(**overrides)).status_code for _ in range(times)]


def subjects() -> list[str]:
    return [m.subject for m in mail.outbox]


def test_twelve_submissions_send_one_confirmation_and_one_notice(client, published_meeting, run_tasks):
    english(client)

    statuses = submit(client, published_meeting, 12)
    run_tasks()

    # Every answer is the same neutral redirect; only the emails are limited.
    assert statuses == [302] * 12
    assert subjects() == [f"Registration confirmed: {TITLE}", ALREADY]
    assert [m.to for m in mail.outbox] == [["budi@example.test"]] * 2
    # Each attempt stays on record for the organizers, with whether it was answered by email.
    attempts = AuditEntry.objects.filter(action="registration.duplicate_attempt").order_by("id")
    assert [entry.data for entry in attempts] == [{"notified": True}] + [{"notified": False}] * 10


def test_another_notice_goes_out_once_the_interval_has_passed(client, published_meeting, run_tasks):
    english(client)
    submit(client, published_meeting, 2)
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(
        duplicate_notice_at=timezone.now() - timedelta(minutes=59)
    )
    submit(client, published_meeting, 1)
    Registration.objects.filter(pk=registration.pk).update(
        duplicate_notice_at=timezone.now() - timedelta(minutes=61)
    )

    submit(client, published_meeting, 2)
    run_tasks()

    assert subjects() == [f"Registration confirmed: {TITLE}", ALREADY, ALREADY]


def test_the_interval_is_configurable(client, published_meeting, run_tasks, settings):
    settings.SINERGI_DUPLICATE_NOTICE_INTERVAL_MINUTES = 0
    english(client)

    submit(client, published_meeting, 3)
    run_tasks()

    assert subjects() == [f"Registration confirmed: {TITLE}", ALREADY, ALREADY]


def test_the_notice_limit_is_per_meeting(client, published_meeting, organizer, run_tasks):
    other = MeetingFactory(title="Rapat Koordinasi Kemlu", organizers=[organizer], status="published")
    MeetingDayFactory(meeting=other)
    english(client)

    submit(client, published_meeting, 3)
    submit(client, other, 3)
    run_tasks()

    assert subjects() == [
        f"Registration confirmed: {TITLE}",
        ALREADY,
        "Registration confirmed: Rapat Koordinasi Kemlu",
        "Your registration: Rapat Koordinasi Kemlu",
    ]


def test_the_per_client_limit_counts_each_client_behind_the_proxy(client, published_meeting, settings):
    settings.SINERGI_TRUSTED_PROXIES = 1
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 2

    def post(n: int, forwarded: str) -> int:
        data = form_data(email=f"p{n}@example.test")
        return client.post(
            register_url(published_meeting), data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    # The proxy appends the real client; what the client wrote before it changes nothing.
    statuses = [post(n, f"192.0.2.{n}, 203.0.113.9") for n in range(3)]
    colleague = post(3, "203.0.113.10")

    assert (statuses, colleague) == ([302, 302, 429], 302)
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "p0@example.test",
        "p1@example.test",
        "p3@example.test",
    ]


def test_the_per_client_limit_counts_an_ipv6_subscriber_once(client, published_meeting, settings):
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 2

    def post(n: int, address: str) -> int:
        return client.post(
            register_url(published_meeting), form_data(email=f"p{n}@example.test"), REMOTE_ADDR=address
        ).status_code

    # Addresses of one /64 are one subscriber; another /64 is someone else.
    statuses = [post(n, f"2001:db8:0:1::{n + 1}") for n in range(3)]
    neighbour = post(3, "2001:db8:0:2::1")

    assert (statuses, neighbour) == ([302, 302, 429], 302)
