"""FactoryBoy factories for every model, shared by all tests and benchmarks."""

from datetime import date, time, timedelta

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from directory.models import Organization, Person
from meetings.models import AgendaItem, AgendaRole, Meeting, MeetingDay, MeetingHost


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizerFactory(UserFactory):
    can_organize = True


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rapat Koordinasi {n}")
    theme = "Pengawasan P3MI"
    kind = Meeting.Kind.FGD
    mode = Meeting.Mode.HYBRID
    venue_name = "Gedung BP2MI"
    capacity_onsite = 50
    capacity_online = 300

    @factory.post_generation
    def organizers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organizers.add(*extracted)

    @factory.post_generation
    def secretaries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.secretaries.add(*extracted)


class MeetingDayFactory(DjangoModelFactory):
    class Meta:
        model = MeetingDay
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    date = factory.Sequence(lambda n: date(2030, 1, 1).fromordinal(date(2030, 1, 1).toordinal() + n))
    start_time = time(9, 0)
    end_time = time(16, 0)

    @factory.post_generation
    def sync_meeting_dates(obj, create, extracted, **kwargs):
        if create:
            m = obj.meeting
            dates = list(m.days.values_list("date", flat=True))
            Meeting.objects.filter(pk=m.pk).update(starts_on=min(dates), ends_on=max(dates))
            m.starts_on, m.ends_on = min(dates), max(dates)


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    day = factory.SubFactory(MeetingDayFactory)
    start_time = time(9, 0)
    end_time = time(10, 0)
    title = factory.Sequence(lambda n: f"Sesi {n}")
    order = factory.Sequence(lambda n: n)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Instansi {n}")
    acronym = factory.Sequence(lambda n: f"INS{n}")
    kind = Organization.Kind.MINISTRY


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name")
    position = "Direktur"
    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.test")


class MeetingHostFactory(DjangoModelFactory):
    class Meta:
        model = MeetingHost

    meeting = factory.SubFactory(MeetingFactory)
    organization = factory.SubFactory(OrganizationFactory)


class AgendaRoleFactory(DjangoModelFactory):
    class Meta:
        model = AgendaRole

    agenda_item = factory.SubFactory(AgendaItemFactory)
    person = factory.SubFactory(PersonFactory)
    role = AgendaRole.Role.SPEAKER


class OnlineRoomFactory(DjangoModelFactory):
    class Meta:
        model = "meetings.OnlineRoom"

    meeting = factory.SubFactory(MeetingFactory, mode=Meeting.Mode.ONLINE)
    provider = "manual"
    join_url = factory.Sequence(lambda n: f"https://zoom.example.test/j/{n:09d}")
    passcode = "fgd2031"


def move_days_to_the_past(meeting, first=date(2021, 9, 20)) -> None:
    """Give the meeting's days dates in the past (one after another from `first`), as if held."""
    days = list(meeting.days.order_by("date"))
    # Far away first, so the unique (meeting, date) constraint never sees two days on one date.
    for n, day in enumerate(days):
        MeetingDay.objects.filter(pk=day.pk).update(date=first - timedelta(days=1000 + n))
    for n, day in enumerate(days):
        MeetingDay.objects.filter(pk=day.pk).update(date=first + timedelta(days=n))
    last = first + timedelta(days=max(len(days) - 1, 0))
    Meeting.objects.filter(pk=meeting.pk).update(starts_on=first, ends_on=last)
    meeting.refresh_from_db()
