"""Contact details in the people directory: site administrators, and organizers of a meeting the
person is involved in (registered, speaker or moderator, focal point or delegate); every other
organizer sees name, position and organization only, on every page that shows a person."""

import json

import pytest
from django.urls import reverse

from core.models import AuditEntry
from directory.models import Person
from participants.models import AgencyInvitation
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingFactory,
    OrganizationFactory,
    OrganizerFactory,
    PersonFactory,
    UserFactory,
)
from tests.participants.test_registration_list import make_registration

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "rahasia.pejabat@kemnaker.example"
SECRET_PHONE = "+62 811 0000 1234"


@pytest.fixture
def kemnaker(db):
    return OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")


@pytest.fixture
def person(kemnaker):
    return PersonFactory(
        full_name="Rahasia Pejabat",
        position="Direktur Penempatan",
        organization=kemnaker,
        email=SECRET_EMAIL,
        phone=SECRET_PHONE,
    )


@pytest.fixture
def stranger(db):
    """An organizer of other meetings, none involving the person."""
    user = OrganizerFactory(email="stranger@example.test")
    MeetingFactory(organizers=[user])
    return user


def involve_as_registrant(person, organizer):
    make_registration(MeetingFactory(organizers=[organizer]), person.full_name, email=person.email)


def involve_as_speaker(person, organizer):
    meeting = MeetingFactory(organizers=[organizer])
    AgendaRoleFactory(agenda_item=AgendaItemFactory(day__meeting=meeting), person=person, role="moderator")


def involve_as_focal_point(person, organizer):
    meeting = MeetingFactory(organizers=[organizer])
    AgencyInvitation.objects.create(
        meeting=meeting, organization=person.organization, quota=2, focal_point_email=person.email
    )


def involve_as_delegate(person, organizer):
    meeting = MeetingFactory(organizers=[organizer])
    invitation = AgencyInvitation.objects.create(
        meeting=meeting, organization=person.organization, quota=2, focal_point_email="tu@kemnaker.example"
    )
    make_registration(meeting, person.full_name, email=person.email, invitation=invitation, source="agency")


def pages(person):
    return [
        reverse("directory:person_list"),
        reverse("directory:person_list") + "?q=Rahasia",
        reverse("directory:person_edit", kwargs={"pk": person.pk}),
        reverse("directory:person_search") + "?q=Rahasia",
        reverse("directory:person_picker") + "?q=Rahasia",
    ]


def shown(client, url):
    return client.get(url).content.decode()


def test_an_uninvolved_organizer_sees_name_position_and_organization_but_no_contact(client, stranger, person):
    client.force_login(stranger)
    for url in pages(person):
        body = shown(client, url)
        assert (url, SECRET_EMAIL in body, SECRET_PHONE in body, "rahasia.pejabat" in body) == (
            url,
            False,
            False,
            False,
        )
    listing = shown(client, reverse("directory:person_list"))
    assert "Rahasia Pejabat" in listing
    assert "Direktur Penempatan" in listing
    data = json.loads(shown(client, reverse("directory:person_search") + "?q=Rahasia"))
    assert data["results"] == [
        {
            "id": person.pk,
            "text": "Rahasia Pejabat — Kemnaker",
            "name": "Rahasia Pejabat",
            "position": "Direktur Penempatan",
            "organization": "Kementerian Ketenagakerjaan (Kemnaker)",
        }
    ]


def test_an_uninvolved_organizer_cannot_find_a_person_by_email(client, stranger, person):
    client.force_login(stranger)
    response = client.get(reverse("directory:person_list"), {"q": "rahasia.pejabat@kemnaker"})
    assert list(response.context["people"]) == []
    data = json.loads(shown(client, reverse("directory:person_search") + "?q=kemnaker.example"))
    assert data["results"] == []


@pytest.mark.parametrize(
    "involve", [involve_as_registrant, involve_as_speaker, involve_as_focal_point, involve_as_delegate]
)
def test_an_organizer_of_a_meeting_the_person_is_involved_in_sees_the_contact(client, person, involve):
    organizer = OrganizerFactory(email="involved@example.test")
    involve(person, organizer)
    client.force_login(organizer)
    listing = shown(client, reverse("directory:person_list"))
    assert (SECRET_EMAIL in listing, SECRET_PHONE in listing) == (True, True)
    edit = client.get(reverse("directory:person_edit", kwargs={"pk": person.pk}))
    assert (edit.context["form"]["email"].value(), edit.context["form"]["phone"].value()) == (
        SECRET_EMAIL,
        SECRET_PHONE,
    )
    found = client.get(reverse("directory:person_list"), {"q": "rahasia.pejabat@"})
    assert list(found.context["people"]) == [person]
    data = json.loads(shown(client, reverse("directory:person_search") + "?q=Rahasia"))
    assert [r.get("email") for r in data["results"]] == [SECRET_EMAIL]


def test_a_site_administrator_sees_every_contact(client, person):
    admin = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = shown(client, reverse("directory:person_list"))
    assert (SECRET_EMAIL in listing, SECRET_PHONE in listing) == (True, True)


def test_a_secretary_of_the_meeting_is_not_an_organizer_of_it(client, person):
    recorder = OrganizerFactory(email="recorder@example.test")
    meeting = MeetingFactory(secretaries=[recorder])
    make_registration(meeting, person.full_name, email=person.email)
    client.force_login(recorder)
    assert SECRET_EMAIL not in shown(client, reverse("directory:person_list"))


def test_an_uninvolved_organizer_edits_name_and_position_and_the_contact_stays(client, stranger, person):
    client.force_login(stranger)
    url = reverse("directory:person_edit", kwargs={"pk": person.pk})
    page = client.get(url)
    assert list(page.context["form"].fields) == ["full_name", "position", "organization"]
    response = client.post(
        url,
        {
            "full_name": "Rahasia Pejabat, S.H.",
            "position": "Direktur",
            "organization": person.organization_id,
            "email": "attacker@example.test",
            "phone": "+62 899 9999",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.position, person.email, person.phone) == (
        "Rahasia Pejabat, S.H.",
        "Direktur",
        SECRET_EMAIL,
        SECRET_PHONE,
    )
    entry = AuditEntry.objects.filter(action="person.updated").latest("id")
    assert SECRET_EMAIL not in json.dumps(entry.data, default=str)


def test_people_list_runs_a_fixed_number_of_queries(
    client, stranger, kemnaker, django_assert_max_num_queries
):
    Person.objects.bulk_create(
        Person(full_name=f"Peserta {i:03d}", email=f"p{i}@example.test", organization=kemnaker)
        for i in range(25)
    )
    client.force_login(stranger)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:person_list"))
    assert len(response.context["people"]) == 25
