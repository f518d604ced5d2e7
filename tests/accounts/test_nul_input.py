"""A NUL character in any text a person submits is refused next to its field and changes nothing.

PostgreSQL cannot store NUL in text (the driver raises, the page would be a 500); SQLite
would store it. Search boxes drop it instead of failing.
"""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

from core.forms import NulGuardMixin
from directory.models import Organization, Person
from participants.models import Registration
from tests.factories import MeetingDayFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Hapus karakter NUL (tak terlihat) dari isian ini."


def project_forms():
    found = set()
    for package in ("accounts.forms", "directory.forms", "meetings.forms", "participants.forms"):
        module = importlib.import_module(package)
        modules = [module]
        if hasattr(module, "__path__"):
            modules = [
                importlib.import_module(f"{package}.{m.name}") for m in pkgutil.iter_modules(module.__path__)
            ]
        for mod in modules:
            for _name, obj in inspect.getmembers(mod, inspect.isclass):
                if issubclass(obj, forms.BaseForm) and obj.__module__ == mod.__name__:
                    found.add(obj)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_form_of_the_project_guards_against_nul():
    classes = project_forms()
    assert len(classes) > 20
    assert [c.__name__ for c in classes if not issubclass(c, NulGuardMixin)] == []


def test_person_form_refuses_nul_in_a_name_and_saves_nothing(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("directory:person_create"),
        {"full_name": "Budi\x00Santoso", "position": "Analis", "email": "", "phone": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"full_name": [NUL_MESSAGE]}
    assert Person.objects.count() == 0


def test_organization_form_refuses_nul_in_a_choice_and_saves_nothing(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("directory:organization_create"),
        {"name": "Dinas Tenaga Kerja", "kind": "agency\x00", "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"kind": [NUL_MESSAGE]}
    assert Organization.objects.count() == 0


def test_public_registration_refuses_nul_in_the_organization(client, published_meeting):
    from tests.participants.test_public_registration import form_data, register_url

    response = client.post(register_url(published_meeting), form_data(organization_name="Kemlu\x00"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"organization_name": [NUL_MESSAGE]}
    assert Registration.objects.count() == 0


def test_person_edit_refuses_nul_in_the_email_and_keeps_the_person(client, organizer, meeting):
    from tests.participants.test_registration_list import make_registration

    person = PersonFactory(full_name="Dewi Lestari", email="dewi@example.test")
    make_registration(meeting, "Dewi Lestari", email=person.email)  # so the organizer may edit the email
    client.force_login(organizer)
    response = client.post(
        reverse("directory:person_edit", kwargs={"pk": person.pk}),
        {"full_name": "Dewi Lestari", "email": "dewi\x00@example.test", "phone": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"email": [NUL_MESSAGE]}
    person.refresh_from_db()
    assert person.email == "dewi@example.test"


def test_meeting_list_filter_with_nul_shows_the_list(client, organizer, meeting):
    client.force_login(organizer)
    response = client.get(reverse("meetings:list"), {"q": "FGD\x00"})
    assert response.status_code == 200
    assert [m.pk for m in response.context["meetings"]] == [meeting.pk]


@pytest.mark.parametrize(
    "name",
    [
        "directory:organization_list",
        "directory:person_list",
        "directory:organization_search",
        "directory:person_search",
        "participants:organization_suggestions",
    ],
)
def test_directory_searches_drop_nul(client, organizer, name):
    OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    PersonFactory(full_name="Kemal Lubis")
    client.force_login(organizer)
    response = client.get(reverse(name), {"q": "Ke\x00m"})
    assert response.status_code == 200
    assert "Ke\x00m" not in response.content.decode()


def test_checkin_search_drops_nul(client, organizer, published_meeting):
    day = published_meeting.days.order_by("date").first() or MeetingDayFactory(meeting=published_meeting)
    client.force_login(organizer)
    for name in ("participants:checkin", "participants:checkin_search"):
        url = reverse(name, kwargs={"code": published_meeting.code, "day_id": day.pk})
        response = client.get(url, {"q": "Bu\x00di"}, headers={"HX-Request": "true"})
        assert response.status_code == 200


def test_typed_organization_page_drops_nul(client, organizer, published_meeting):
    from tests.participants.test_registration_list import make_registration

    typed = make_registration(published_meeting, "Budi Santoso", organization_name="Dinas Sosial")
    client.force_login(organizer)
    url = reverse("participants:typed_organization_resolve", kwargs={"code": published_meeting.code})
    response = client.get(url, {"name": "Dinas\x00 Sosial"})
    assert response.status_code == 200
    assert [r.pk for r in response.context["registrations"]] == [typed.pk]
