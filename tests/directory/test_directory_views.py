"""Directory pages: organizations and people lists and forms, for organizers only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from directory.models import Organization, Person
from tests.factories import MeetingFactory, OrganizationFactory, PersonFactory, UserFactory
from tests.participants.test_registration_list import make_registration

DIRECTORY_URLS = [
    ("directory:organization_list", {}),
    ("directory:organization_create", {}),
    ("directory:organization_import", {}),
    ("directory:organization_import_template", {}),
    ("directory:person_list", {}),
    ("directory:person_create", {}),
    ("directory:organization_search", {}),
    ("directory:person_search", {}),
]


@pytest.fixture
def directory(db):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    person = PersonFactory(
        full_name="Rahasia Pejabat", organization=kemnaker, email="rahasia@kemnaker.example"
    )
    return kemnaker, person


@pytest.mark.parametrize(("name", "kwargs"), DIRECTORY_URLS)
def test_directory_pages_redirect_anonymous_to_login(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs"), DIRECTORY_URLS)
def test_directory_pages_forbidden_to_plain_user_without_leaking(client, plain_user, directory, name, kwargs):
    client.force_login(plain_user)
    response = client.get(reverse(name, kwargs=kwargs), {"q": "Rahasia"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Kementerian Ketenagakerjaan" not in body
    assert "Rahasia Pejabat" not in body
    assert "rahasia@kemnaker.example" not in body


def test_edit_pages_forbidden_to_plain_user_without_leaking(client, plain_user, directory):
    kemnaker, person = directory
    client.force_login(plain_user)
    for url in (kemnaker.get_absolute_url(), person.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 403
        assert "Kementerian Ketenagakerjaan" not in response.content.decode()
        assert "rahasia@kemnaker.example" not in response.content.decode()


def test_organization_create_forbidden_post_to_plain_user(client, plain_user):
    client.force_login(plain_user)
    response = client.post(reverse("directory:organization_create"), {"name": "Instansi Baru"})
    assert response.status_code == 403
    assert Organization.objects.count() == 0


def test_organization_list_shows_parent_and_paginates(client, organizer):
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    for i in range(30):
        OrganizationFactory(name=f"UPT BP2MI {i:02d}", acronym="", parent=bp2mi)
    client.force_login(organizer)
    response = client.get(reverse("directory:organization_list"))
    assert response.status_code == 200
    page = list(response.context["organizations"])
    assert len(page) == 25
    assert response.context["paginator"].count == 31
    assert "Badan Pelindungan Pekerja Migran Indonesia (BP2MI)" in response.content.decode()
    response = client.get(reverse("directory:organization_list"), {"page": 2})
    assert len(response.context["organizations"]) == 6


def test_organization_list_searches_name_and_acronym(client, organizer):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    client.force_login(organizer)
    url = reverse("directory:organization_list")
    assert list(client.get(url, {"q": "kemnaker"}).context["organizations"]) == [kemnaker]
    assert list(client.get(url, {"q": "luar"}).context["organizations"]) == [kemlu]
    assert list(client.get(url, {"q": "kementerian"}).context["organizations"]) == [kemnaker, kemlu]


def test_organization_list_filters_by_kind(client, organizer):
    ministry = OrganizationFactory(name="Kementerian Luar Negeri", kind=Organization.Kind.MINISTRY)
    OrganizationFactory(name="UPT BP2MI Medan", kind=Organization.Kind.REGIONAL_UNIT)
    client.force_login(organizer)
    response = client.get(reverse("directory:organization_list"), {"kind": "ministry"})
    assert list(response.context["organizations"]) == [ministry]
    # An unknown kind is ignored rather than showing an empty list.
    response = client.get(reverse("directory:organization_list"), {"kind": "bogus"})
    assert response.context["paginator"].count == 2


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("directory:organization_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_organization_list_runs_fixed_number_of_queries(client, organizer):
    client.force_login(organizer)
    parent = OrganizationFactory(name="Induk")
    OrganizationFactory.create_batch(2, parent=parent)
    with_3 = _list_queries(client)
    OrganizationFactory.create_batch(57, parent=parent)
    assert Organization.objects.count() == 60
    assert _list_queries(client) == with_3


def test_organization_create_saves_through_service(client, organizer):
    parent = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    client.force_login(organizer)
    response = client.post(
        reverse("directory:organization_create"),
        {
            "name": "UPT BP2MI Makassar",
            "acronym": "UPT Makassar",
            "kind": "regional_unit",
            "parent": parent.pk,
            "timezone": "Asia/Makassar",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("directory:organization_list")
    org = Organization.objects.get(name="UPT BP2MI Makassar")
    assert (org.acronym, org.kind, org.parent, org.timezone) == (
        "UPT Makassar",
        "regional_unit",
        parent,
        "Asia/Makassar",
    )
    assert list(AuditEntry.objects.filter(object_id=str(org.pk)).values_list("action", "actor")) == [
        ("organization.created", organizer.pk)
    ]


def test_organization_form_labels_time_zones_wib_wita_wit(client, organizer):
    client.force_login(organizer)
    response = client.get(reverse("directory:organization_create"))
    labels = [str(label)[:4].strip() for _value, label in response.context["form"].fields["timezone"].choices]
    assert labels[:3] == ["WIB", "WITA", "WIT"]


def test_organization_create_rejects_duplicate_name_case_insensitively(client, organizer):
    OrganizationFactory(name="Kementerian Luar Negeri")
    client.force_login(organizer)
    response = client.post(
        reverse("directory:organization_create"),
        {"name": "  KEMENTERIAN luar negeri ", "kind": "ministry", "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["name"]
    assert len(form.errors["name"]) == 1
    assert "unique_organization_name_ci" not in response.content.decode()
    assert Organization.objects.count() == 1


def test_organization_edit_keeps_own_name(client, organizer):
    org = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    client.force_login(organizer)
    response = client.post(
        org.get_absolute_url(),
        {
            "name": "Kementerian Luar Negeri",
            "acronym": "KEMLU",
            "kind": "ministry",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.acronym == "KEMLU"


def test_organization_edit_rejects_itself_as_parent(client, organizer):
    org = OrganizationFactory(name="BP2MI")
    client.force_login(organizer)
    response = client.post(
        org.get_absolute_url(),
        {"name": "BP2MI", "kind": "agency", "parent": org.pk, "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    org.refresh_from_db()
    assert org.parent is None


def test_organization_edit_rejects_descendant_as_parent(client, organizer):
    top = OrganizationFactory(name="Kemnaker")
    middle = OrganizationFactory(name="Ditjen Binapenta", parent=top)
    bottom = OrganizationFactory(name="Direktorat PPTKLN", parent=middle)
    client.force_login(organizer)
    response = client.post(
        top.get_absolute_url(),
        {"name": "Kemnaker", "kind": "ministry", "parent": bottom.pk, "timezone": "Asia/Jakarta"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_organization_edit_heading_keeps_saved_name_on_error(client, organizer):
    OrganizationFactory(name="Kemlu")
    org = OrganizationFactory(name="Kemnaker")
    client.force_login(organizer)
    response = client.post(
        org.get_absolute_url(), {"name": "kemlu", "kind": "ministry", "timezone": "Asia/Jakarta"}
    )
    assert response.context["saved_name"] == "Kemnaker"


def test_person_list_searches_name_position_organization_email(client, organizer):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    ani = PersonFactory(
        full_name="Ani Wijaya", position="Direktur PWNI", organization=kemlu, email="ani@x.test"
    )
    budi = PersonFactory(
        full_name="Budi Santoso", position="Kepala UPT", organization=None, email="budi@y.test"
    )
    # Email matches only people whose contact the organizer may see: Budi registered for their meeting.
    make_registration(MeetingFactory(organizers=[organizer]), "Budi Santoso", email="budi@y.test")
    client.force_login(organizer)
    url = reverse("directory:person_list")
    assert list(client.get(url, {"q": "ani wij"}).context["people"]) == [ani]
    assert list(client.get(url, {"q": "kepala"}).context["people"]) == [budi]
    assert list(client.get(url, {"q": "luar negeri"}).context["people"]) == [ani]
    assert list(client.get(url, {"q": "kemlu"}).context["people"]) == [ani]
    assert list(client.get(url, {"q": "y.test"}).context["people"]) == [budi]
    assert list(client.get(url).context["people"]) == [ani, budi]


def test_person_list_paginates(client, organizer):
    org = OrganizationFactory()
    PersonFactory.create_batch(27, organization=org)
    client.force_login(organizer)
    response = client.get(reverse("directory:person_list"))
    assert len(response.context["people"]) == 25
    assert response.context["paginator"].num_pages == 2


def test_person_create_saves_through_service(client, organizer):
    org = OrganizationFactory(name="BP2MI")
    client.force_login(organizer)
    response = client.post(
        reverse("directory:person_create"),
        {
            "full_name": "Lismia Elita",
            "position": "Kepala Biro Hukum",
            "organization": org.pk,
            "email": "Lismia@BP2MI.example",
            "phone": "+62 812-3456-7890",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.position, person.organization, person.email, person.phone) == (
        "Lismia Elita",
        "Kepala Biro Hukum",
        org,
        "lismia@bp2mi.example",
        "+62 812-3456-7890",
    )
    assert list(AuditEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)) == [
        "person.created"
    ]


def test_person_create_rejects_bad_email_and_phone(client, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("directory:person_create"),
        {"full_name": "Budi", "email": "not-an-email", "phone": "call me"},
    )
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["email", "phone"]
    assert Person.objects.count() == 0


def test_person_edit_updates(client, organizer):
    person = PersonFactory(full_name="Budi", position="Staf")
    client.force_login(organizer)
    response = client.post(
        person.get_absolute_url(),
        {"full_name": "Budi Santoso", "position": "Kepala Seksi", "organization": person.organization_id},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.position) == ("Budi Santoso", "Kepala Seksi")


def test_superuser_without_can_organize_may_use_directory(client, db):
    admin = UserFactory(email="root@example.test", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("directory:organization_list")).status_code == 200


def test_directory_nav_marks_current_tab(client, organizer):
    client.force_login(organizer)
    body = client.get(reverse("directory:person_list")).content.decode()
    assert f'aria-current="page" href="{reverse("directory:person_list")}"' in body
