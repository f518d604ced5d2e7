"""A held two-day FGD (20–21 September 2021) with people who attended in every way the
certificate rules tell apart; shared by the certificate tests of participants and minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from meetings.models import Meeting
from participants.models import Registration
from participants.services import attendance
from participants.services import registration as reg
from tests.factories import OrganizationFactory, move_days_to_the_past


def sign_up(meeting, name, mode="onsite", **extra) -> Registration:
    return reg.register(
        meeting,
        full_name=name,
        email=f"{name.split()[0].lower()}@example.test",
        mode=mode,
        consent=True,
        check_window=False,
        **extra,
    ).registration


def on_day(day, hour=9):
    return datetime.combine(day.date, datetime.min.time(), tzinfo=day.meeting.tz) + timedelta(hours=hour)


def zoom(registration, day, minutes):
    return attendance.record_online(
        registration, day, source="zoom", joined_at=on_day(day), left_at=on_day(day, 12), minutes=minutes
    )


@pytest.fixture
def held(published_meeting):
    move_days_to_the_past(published_meeting)
    return published_meeting


@pytest.fixture
def days(held):
    found = list(held.days.order_by("date"))
    for day in found:
        day.meeting = held
    return found


@pytest.fixture
def people(held, days, organizer):
    """name -> registration: Ani (on-site day 1), Budi (Zoom 60 min day 2), Cici (Zoom 59 min
    both days), Dedi (ticked online by hand), Eko (confirmed, no attendance), Fajar (checked in,
    then cancelled)."""
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    found = {
        "Ani": sign_up(held, "Ani Hadir", position="Analis Kebijakan", organization=kemnaker),
        "Budi": sign_up(held, "Budi Daring", mode="online", organization_name="Disnaker Kab. Cirebon"),
        "Cici": sign_up(held, "Cici Sebentar", mode="online"),
        "Dedi": sign_up(held, "Dedi Centang", mode="online"),
        "Eko": sign_up(held, "Eko Absen"),
        "Fajar": sign_up(held, "Fajar Batal"),
    }
    day1, day2 = days
    attendance.check_in(found["Ani"], day1, actor=organizer, at=on_day(day1), outside_day=True)
    zoom(found["Budi"], day2, 60)
    zoom(found["Cici"], day1, 59)
    zoom(found["Cici"], day2, 59)
    attendance.record_online(found["Dedi"], day1, actor=organizer, source="manual", joined_at=on_day(day1))
    attendance.check_in(found["Fajar"], day1, actor=organizer, at=on_day(day1), outside_day=True)
    reg.cancel(found["Fajar"], actor=organizer)
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)
    held.refresh_from_db()
    for registration in found.values():
        registration.refresh_from_db()
    return found
