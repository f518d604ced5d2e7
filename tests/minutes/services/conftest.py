"""A meeting with an agenda (a speaker, a moderator), a registrant, and its draft minutes."""

from datetime import time

import pytest

from minutes.services.preparation import prepare_minutes
from participants.models import Registration
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizationFactory,
    OrganizerFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def chair(db):
    return OrganizerFactory(email="chair@example.test", full_name="Lismia Elita")


@pytest.fixture
def notulis(db):
    return UserFactory(email="notulis@example.test", full_name="Dewi Notulis")


@pytest.fixture
def kemnaker(db):
    return OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")


@pytest.fixture
def rendra(kemnaker):
    return PersonFactory(full_name="Rendra Setiawan", position="Direktur", organization=kemnaker)


@pytest.fixture
def fgd(chair, notulis, rendra):
    meeting = MeetingFactory(title="FGD Pengawasan P3MI", organizers=[chair], secretaries=[notulis])
    day = MeetingDayFactory(meeting=meeting, start_time=time(9), end_time=time(12))
    item = AgendaItemFactory(day=day, start_time=time(9), end_time=time(10), title="Paparan Kemnaker")
    AgendaItemFactory(day=day, start_time=time(10), end_time=time(12), title="Diskusi", order=2)
    AgendaRoleFactory(agenda_item=item, person=rendra, role="speaker")
    return meeting


@pytest.fixture
def draft(fgd, notulis):
    return prepare_minutes(fgd, author=notulis)


@pytest.fixture
def item_section(draft):
    return draft.sections.get(title="Paparan Kemnaker")


@pytest.fixture
def registrant(fgd):
    return Registration.objects.create(
        meeting=fgd,
        full_name="Siti Nurhaliza",
        email="siti@example.test",
        position="Analis",
        organization_name="BP3MI Jawa Timur",
        state=Registration.State.CONFIRMED,
        mode=Registration.Mode.ONLINE,
    )
