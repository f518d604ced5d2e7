"""Organizations typed by registrants: listing them, linking to the directory, adding to it."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from directory.models import Organization
from participants.models import Registration
from participants.views.registrations import resolve_url
from tests.factories import MeetingFactory, OrganizationFactory
from tests.participants.test_registration_list import make_registration

pytestmark = pytest.mark.django_db


def typed_list_url(meeting):
    return reverse("participants:typed_organizations", kwargs={"code": meeting.code})


def orgs_of(*registrations):
    return [
        Registration.objects.values_list("organization__acronym", "organization_name").get(pk=r.pk)
        for r in registrations
    ]


@pytest.fixture
def kemnaker(db):
    return OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")


@pytest.fixture
def typed(meeting, kemnaker):
    """Two registrants typed "Disnaker Bali", one typed "UPT Kupang"; one is in the directory."""
    return [
        make_registration(meeting, "Ani Bali", organization_name="Disnaker Bali"),
        make_registration(meeting, "Budi Bali", organization_name="Disnaker Bali"),
        make_registration(meeting, "Citra Kupang", organization_name="UPT Kupang"),
        make_registration(meeting, "Dedi Kemnaker", organization=kemnaker),
    ]


@pytest.fixture
def elsewhere(other_organizer):
    other = MeetingFactory(organizers=[other_organizer])
    return make_registration(other, "Zulkarnaen Rahasia", organization_name="Disnaker Bali")


def test_typed_list_counts_names_of_this_meeting(client, organizer, meeting, typed, elsewhere):
    client.force_login(organizer)
    response = client.get(typed_list_url(meeting))
    assert response.status_code == 200
    assert [(row["organization_name"], row["n"]) for row in response.context["typed"]] == [
        ("Disnaker Bali", 2),
        ("UPT Kupang", 1),
    ]
    assert resolve_url(meeting, "Disnaker Bali") in response.content.decode().replace("&amp;", "&")


def test_list_page_announces_typed_names(client, organizer, meeting, typed):
    client.force_login(organizer)
    response = client.get(reverse("participants:registrations", kwargs={"code": meeting.code}))
    assert response.context["typed_count"] == 2
    assert typed_list_url(meeting) in response.content.decode()
    row = next(r for r in response.context["rows"] if r["registration"].full_name == "Ani Bali")
    assert row["registration"].organization_name == "Disnaker Bali"
    assert "Disnaker Bali <span" in response.content.decode()


def test_link_to_an_existing_organization(client, organizer, meeting, typed, kemnaker, elsewhere):
    client.force_login(organizer)
    response = client.post(
        resolve_url(meeting, "Disnaker Bali"), {"action": "link", "organization": kemnaker.pk}
    )
    assert response.status_code == 302
    assert response.url == typed_list_url(meeting)
    assert orgs_of(*typed, elsewhere) == [
        ("Kemnaker", ""),
        ("Kemnaker", ""),
        (None, "UPT Kupang"),
        ("Kemnaker", ""),
        (None, "Disnaker Bali"),  # another meeting's registration is not touched
    ]
    entries = AuditEntry.objects.filter(action="registration.organization_linked").order_by("id")
    assert [(e.object_id, e.actor_id, e.data["typed"]) for e in entries] == [
        (str(typed[0].pk), organizer.pk, "Disnaker Bali"),
        (str(typed[1].pk), organizer.pk, "Disnaker Bali"),
    ]


def test_add_to_the_directory_then_link(client, organizer, meeting, typed, elsewhere):
    client.force_login(organizer)
    count = Organization.objects.count()
    response = client.post(
        resolve_url(meeting, "Disnaker Bali"),
        {
            "action": "create",
            "name": "Dinas Tenaga Kerja Provinsi Bali",
            "acronym": "Disnaker Bali",
            "kind": "regional_unit",
            "timezone": "Asia/Makassar",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.count() == count + 1
    created = Organization.objects.get(name="Dinas Tenaga Kerja Provinsi Bali")
    assert (created.acronym, created.kind, created.timezone) == (
        "Disnaker Bali",
        "regional_unit",
        "Asia/Makassar",
    )
    assert orgs_of(typed[0], typed[1], elsewhere) == [
        ("Disnaker Bali", ""),
        ("Disnaker Bali", ""),
        (None, "Disnaker Bali"),
    ]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "organization.created",
        "registration.organization_linked",
        "registration.organization_linked",
    ]


def test_add_with_a_duplicate_name_shows_the_error_and_changes_nothing(
    client, organizer, meeting, typed, kemnaker
):
    client.force_login(organizer)
    count = Organization.objects.count()
    response = client.post(
        resolve_url(meeting, "UPT Kupang"),
        {
            "action": "create",
            "name": "kementerian ketenagakerjaan",
            "kind": "ministry",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 200
    assert list(response.context["add_form"].errors) == ["name"]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert Organization.objects.count() == count
    assert orgs_of(typed[2]) == [(None, "UPT Kupang")]
    assert AuditEntry.objects.count() == 0


def test_link_without_an_organization_shows_the_error(client, organizer, meeting, typed):
    client.force_login(organizer)
    response = client.post(resolve_url(meeting, "UPT Kupang"), {"action": "link", "organization": ""})
    assert response.status_code == 200
    assert list(response.context["link_form"].errors) == ["organization"]
    assert orgs_of(typed[2]) == [(None, "UPT Kupang")]


def test_resolve_page_prefills_name_and_suggests_a_match(client, organizer, meeting, typed, kemnaker):
    make_registration(meeting, "Eka Kemnaker", organization_name="KEMNAKER", email="eka@example.test")
    client.force_login(organizer)
    response = client.get(resolve_url(meeting, "KEMNAKER"))
    assert response.status_code == 200
    assert response.context["link_form"].initial == {"organization": kemnaker.pk}
    assert response.context["add_form"].initial == {"name": "KEMNAKER"}
    assert [r.full_name for r in response.context["registrations"]] == ["Eka Kemnaker"]


def test_resolve_unknown_name_is_404(client, organizer, meeting, typed):
    client.force_login(organizer)
    assert client.get(resolve_url(meeting, "Tidak Ada")).status_code == 404
    assert (
        client.get(
            reverse("participants:typed_organization_resolve", kwargs={"code": meeting.code})
        ).status_code
        == 404
    )


def test_typed_pages_forbid_secretary_changes(client, secretary, meeting, typed, kemnaker):
    client.force_login(secretary)
    assert client.get(typed_list_url(meeting)).status_code == 403
    response = client.post(
        resolve_url(meeting, "UPT Kupang"), {"action": "link", "organization": kemnaker.pk}
    )
    assert response.status_code == 403
    assert orgs_of(typed[2]) == [(None, "UPT Kupang")]


def test_typed_pages_are_404_for_another_organizer(client, other_organizer, meeting, typed, kemnaker):
    client.force_login(other_organizer)
    response = client.get(typed_list_url(meeting))
    assert response.status_code == 404
    assert "Disnaker Bali" not in response.content.decode()
    response = client.post(
        resolve_url(meeting, "UPT Kupang"), {"action": "link", "organization": kemnaker.pk}
    )
    assert response.status_code == 404
    assert orgs_of(typed[2]) == [(None, "UPT Kupang")]


def test_typed_pages_redirect_anonymous(client, meeting, typed):
    response = client.get(typed_list_url(meeting))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
