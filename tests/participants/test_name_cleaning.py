"""Names, positions and organization names lose bidi overrides and zero-width characters on input.

Every way a name enters: the public form, the directory forms and services, the CSV import, the
walk-in desk, agency invitations and nominations, the user's profile.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services as account_services
from directory import services
from directory.models import Organization, Person
from participants.models import Registration
from participants.services import attendance
from participants.services import invitations as inv
from participants.services import registration as reg
from tests.factories import MeetingDayFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

RLO, ZWSP, LRI, PDI = "\u202e", "\u200b", "\u2066", "\u2069"


def test_public_registration_form_stores_names_without_invisible_characters(client, published_meeting):
    from tests.participants.test_public_registration import form_data, register_url

    response = client.post(
        register_url(published_meeting),
        form_data(
            full_name=f"Budi{RLO} Santoso",
            position=f"Analis{ZWSP} Kebijakan",
            organization_name=f"{LRI}Kementerian Luar Negeri{PDI}",
        ),
    )
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=published_meeting)
    assert (registration.full_name, registration.position, registration.organization_name) == (
        "Budi Santoso",
        "Analis Kebijakan",
        "Kementerian Luar Negeri",
    )


def test_public_registration_with_a_name_of_invisible_characters_only_is_refused(client, published_meeting):
    from tests.participants.test_public_registration import form_data, register_url

    response = client.post(register_url(published_meeting), form_data(full_name=f"{ZWSP}{RLO}"))
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == ["Bidang ini tidak boleh kosong."]
    assert Registration.objects.count() == 0


def test_register_service_cleans_names(published_meeting):
    outcome = reg.register(
        published_meeting,
        full_name=f"Rina{ZWSP} Wati",
        email="rina@example.test",
        mode="onsite",
        position=f"Kepala{RLO} Seksi",
        organization_name=f"Dinas{ZWSP} Tenaga Kerja",
        consent=True,
    )
    registration = outcome.registration
    registration.refresh_from_db()
    assert (registration.full_name, registration.position, registration.organization_name) == (
        "Rina Wati",
        "Kepala Seksi",
        "Dinas Tenaga Kerja",
    )


def test_person_form_stores_clean_name_and_position(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("directory:person_create"),
        {"full_name": f"Anisa{RLO} Rahma", "position": f"{LRI}Direktur{PDI}", "email": "", "phone": ""},
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.position) == ("Anisa Rahma", "Direktur")


def test_organization_form_stores_clean_name_and_acronym(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("directory:organization_create"),
        {
            "name": f"Badan{ZWSP} Pelindungan",
            "acronym": f"BP2MI{RLO}",
            "kind": "agency",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get()
    assert (org.name, org.acronym) == ("Badan Pelindungan", "BP2MI")


def test_organization_name_differing_only_by_invisible_characters_is_a_duplicate(client, organizer):
    OrganizationFactory(name="Kementerian Ketenagakerjaan")
    client.force_login(organizer)
    response = client.post(
        reverse("directory:organization_create"),
        {"name": f"Kementerian{ZWSP} Ketenagakerjaan", "kind": "ministry", "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Instansi dengan nama ini sudah ada."]
    assert Organization.objects.count() == 1


def test_directory_services_clean_names(organizer):
    org = services.save_organization(
        Organization(name=f"{RLO}Kemlu Pusat", acronym=f"Kem{ZWSP}lu"), actor=organizer
    )
    person = services.save_person(
        Person(full_name=f"Dewi{ZWSP} Lestari", position=f"Staf{RLO}"), actor=organizer
    )
    org.refresh_from_db()
    person.refresh_from_db()
    assert (org.name, org.acronym, person.full_name, person.position) == (
        "Kemlu Pusat",
        "Kemlu",
        "Dewi Lestari",
        "Staf",
    )


def test_csv_import_cleans_names(client, organizer):
    client.force_login(organizer)
    content = f"name,acronym\n{LRI}Badan Pelindungan{PDI},BP{ZWSP}2MI\n".encode()
    response = client.post(
        reverse("directory:organization_import"),
        {"file": SimpleUploadedFile("o.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 302
    assert list(Organization.objects.values_list("name", "acronym")) == [("Badan Pelindungan", "BP2MI")]


def test_invitation_and_nomination_clean_names(published_meeting, organizer):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    invitation = inv.invite(
        published_meeting,
        actor=organizer,
        organization=kemlu,
        quota=2,
        focal_point_email="tu@kemlu.example",
        focal_point_name=f"Budi{RLO} Santoso",
    )
    nomination = inv.nominate(
        invitation,
        full_name=f"Delegasi{ZWSP} Satu",
        position=f"{LRI}Analis{PDI}",
        email="d1@kemlu.example",
        mode="onsite",
        authorised=True,
    )
    invitation.refresh_from_db()
    nomination.refresh_from_db()
    registration = nomination.registration
    # What the focal point sees (the nomination) and what organizers see (the registration).
    assert (
        invitation.focal_point_name,
        nomination.full_name,
        nomination.position,
        registration.full_name,
        registration.position,
    ) == ("Budi Santoso", "Delegasi Satu", "Analis", "Delegasi Satu", "Analis")


def test_walk_in_cleans_names(published_meeting, organizer):
    day = published_meeting.days.order_by("date").first() or MeetingDayFactory(
        meeting=published_meeting, date=date(2031, 9, 22)
    )
    walk_in = attendance.add_walk_in(
        published_meeting,
        day,
        actor=organizer,
        outside_day=True,  # the fixture's day is years ahead; the desk's day rule is tested elsewhere
        full_name=f"Tamu{RLO} Datang",
        email="tamu@example.test",
        organization_name=f"Dinas{ZWSP} Perhubungan",
    )
    registration = Registration.objects.get(email="tamu@example.test")
    assert walk_in is not None
    assert (registration.full_name, registration.organization_name) == ("Tamu Datang", "Dinas Perhubungan")


def test_profile_update_cleans_name_and_position(organizer):
    account_services.update_profile(organizer, full_name=f"Lismia{ZWSP} Elita", position=f"Kasubdit{RLO}")
    organizer.refresh_from_db()
    assert (organizer.full_name, organizer.position) == ("Lismia Elita", "Kasubdit")
