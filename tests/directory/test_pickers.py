"""Directory pickers: the hosts page, the agency invitation form and the agenda roles form search
the directory instead of listing it, and accept an exact name typed without JavaScript."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organization, Person
from directory.pickers import OrganizationPickerField, PersonPickerField
from meetings.models import AgendaRole, MeetingHost
from participants.models import AgencyInvitation
from tests.factories import AgendaItemFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kemnaker(db):
    return OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")


def hosts_url(meeting):
    return reverse("meetings:hosts", kwargs={"code": meeting.code})


def invitations_url(meeting):
    return reverse("participants:invitations", kwargs={"code": meeting.code})


def many_organizations(n):
    Organization.objects.bulk_create(
        Organization(name=f"Dinas Tenaga Kerja Kabupaten {i:05d}", acronym=f"DTK{i:05d}") for i in range(n)
    )


def many_people(n):
    Person.objects.bulk_create(Person(full_name=f"Peserta Direktori {i:05d}") for i in range(n))


def measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content)


def test_hosts_and_invitation_pages_cost_the_same_with_5000_organizations(
    client, organizer, published_meeting
):
    client.force_login(organizer)
    many_organizations(10)
    small = [
        measure(client, hosts_url(published_meeting)),
        measure(client, invitations_url(published_meeting)),
    ]
    many_organizations_more = 4990
    Organization.objects.bulk_create(
        Organization(name=f"UPT Wilayah {i:05d}") for i in range(many_organizations_more)
    )
    assert Organization.objects.count() == 5000
    large = [
        measure(client, hosts_url(published_meeting)),
        measure(client, invitations_url(published_meeting)),
    ]
    assert [q for q, _size in large] == [q for q, _size in small]
    assert [size < 40_000 for _q, size in large] == [True, True]
    assert [abs(big - little) < 200 for (_q, big), (_q2, little) in zip(large, small, strict=True)] == [
        True,
        True,
    ]


def test_agenda_roles_page_costs_the_same_with_5000_people(client, organizer, meeting):
    item = meeting.days.order_by("date").first().items.order_by("order").first()
    url = reverse("meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": item.pk})
    client.force_login(organizer)
    many_people(10)
    small = measure(client, url)
    Person.objects.bulk_create(Person(full_name=f"Narasumber {i:05d}") for i in range(4990))
    large = measure(client, url)
    assert large[0] == small[0]
    assert large[1] < 30_000


def test_organization_picker_suggests_a_few_matches_with_their_ids(client, organizer, kemnaker):
    many_organizations(30)
    client.force_login(organizer)
    response = client.get(reverse("directory:organization_picker"), {"organization_text": "kabupaten"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<option") == 10
    first = Organization.objects.order_by("name").filter(name__icontains="kabupaten").first()
    assert f'<option value="{first.name}" data-id="{first.pk}"></option>' in body
    response = client.get(reverse("directory:organization_picker"), {"q": "KEMNAKER"})
    assert response.content.decode().strip() == (
        f'<option value="Kementerian Ketenagakerjaan" data-id="{kemnaker.pk}"></option>'
    )


def test_person_picker_suggests_name_and_agency_without_contact_details(client, organizer, kemnaker):
    person = PersonFactory(
        full_name="Rendra Setiawan", organization=kemnaker, email="rendra@kemnaker.example", phone="+62811"
    )
    client.force_login(organizer)
    response = client.get(reverse("directory:person_picker"), {"person_text": "rendra"})
    assert response.content.decode().strip() == (
        f'<option value="Rendra Setiawan — Kemnaker" data-id="{person.pk}"></option>'
    )


@pytest.mark.parametrize("name", ["directory:organization_picker", "directory:person_picker"])
def test_pickers_are_for_organizers_only(client, plain_user, kemnaker, name):
    PersonFactory(full_name="Kemal Rahasia", organization=kemnaker)
    client.force_login(plain_user)
    response = client.get(reverse(name), {"q": "Kem"})
    assert response.status_code == 403
    assert "Kem" not in response.content.decode().replace("Kembali", "")


def test_hosts_page_renders_the_picker_not_a_list(client, organizer, meeting, kemnaker):
    client.force_login(organizer)
    body = client.get(hosts_url(meeting)).content.decode()
    assert "Kementerian Ketenagakerjaan" not in body
    assert 'name="organization_text"' in body
    assert f'hx-get="{reverse("directory:organization_picker")}"' in body
    assert 'type="hidden" name="organization"' in body


def test_host_added_by_typing_the_exact_name_without_javascript(client, organizer, meeting, kemnaker):
    client.force_login(organizer)
    response = client.post(
        hosts_url(meeting),
        {"organization": "", "organization_text": "kementerian ketenagakerjaan", "role": "co_host"},
    )
    assert response.status_code == 302
    assert list(meeting.hosts.values_list("organization", "role")) == [
        (kemnaker.pk, MeetingHost.Role.CO_HOST)
    ]


def test_host_added_by_typing_the_acronym(client, organizer, meeting, kemnaker):
    client.force_login(organizer)
    client.post(hosts_url(meeting), {"organization_text": "KEMNAKER", "role": "organizer"})
    assert list(meeting.hosts.values_list("organization", flat=True)) == [kemnaker.pk]


def test_host_unknown_name_is_refused_next_to_the_field_and_keeps_the_text(
    client, organizer, meeting, kemnaker
):
    client.force_login(organizer)
    response = client.post(hosts_url(meeting), {"organization_text": "Kementerian Tenaga", "role": "co_host"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organization": ["Tidak ada “Kementerian Tenaga” di direktori; pilih salah satu saran."]
    }
    assert 'value="Kementerian Tenaga"' in response.content.decode()
    assert meeting.hosts.count() == 0


def test_an_id_whose_text_was_changed_counts_as_a_new_search(client, organizer, meeting, kemnaker):
    other = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    client.force_login(organizer)
    client.post(
        hosts_url(meeting), {"organization": kemnaker.pk, "organization_text": "Kemlu", "role": "co_host"}
    )
    assert list(meeting.hosts.values_list("organization", flat=True)) == [other.pk]


def test_organization_picker_field_resolution():
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    OrganizationFactory(name="UPT BP2MI Medan", acronym="UPT")
    OrganizationFactory(name="UPT BP2MI Makassar", acronym="UPT")
    field = OrganizationPickerField()
    assert field.clean({"id": str(bp2mi.pk), "text": bp2mi.name}) == bp2mi
    assert field.clean({"id": "", "text": " bp2mi "}) == bp2mi
    assert field.clean({"id": "", "text": "\u202eBP2MI"}) == bp2mi
    with pytest.raises(ValidationError) as ambiguous:
        field.clean({"id": "", "text": "UPT"})
    assert ambiguous.value.messages == ["“UPT” cocok dengan beberapa entri; pilih salah satu saran."]
    with pytest.raises(ValidationError) as empty:
        field.clean({"id": "", "text": ""})
    assert empty.value.messages == ["Ketik nama lalu pilih dari saran."]
    with pytest.raises(ValidationError) as bogus:
        field.clean({"id": "999999", "text": ""})
    assert bogus.value.messages == ["Ketik nama lalu pilih dari saran."]


def test_person_picker_field_resolution(kemnaker):
    rendra = PersonFactory(full_name="Rendra Setiawan", organization=kemnaker)
    PersonFactory(full_name="Budi Santoso", organization=kemnaker)
    PersonFactory(full_name="Budi Santoso", organization=None)
    field = PersonPickerField()
    assert field.clean({"id": "", "text": "rendra setiawan"}) == rendra
    assert field.clean({"id": "", "text": "Budi Santoso — Kemnaker"}).organization == kemnaker
    with pytest.raises(ValidationError) as ambiguous:
        field.clean({"id": "", "text": "Budi Santoso"})
    assert ambiguous.value.messages == ["“Budi Santoso” cocok dengan beberapa entri; pilih salah satu saran."]


def test_invitation_by_typed_name(client, organizer, published_meeting, kemnaker):
    client.force_login(organizer)
    response = client.post(
        invitations_url(published_meeting),
        {
            "organization_text": "Kementerian Ketenagakerjaan",
            "quota": 3,
            "focal_point_email": "tu@kemnaker.example",
            "language": "id",
        },
    )
    assert response.status_code == 302
    assert list(AgencyInvitation.objects.values_list("organization", "quota")) == [(kemnaker.pk, 3)]


def test_agenda_role_by_picked_person(client, organizer, meeting, kemnaker):
    item = AgendaItemFactory(day=meeting.days.order_by("date").first(), title="Paparan")
    rendra = PersonFactory(full_name="Rendra Setiawan", organization=kemnaker)
    client.force_login(organizer)
    url = reverse("meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": item.pk})
    response = client.post(
        url, {"person": rendra.pk, "person_text": "Rendra Setiawan — Kemnaker", "role": "speaker"}
    )
    assert response.status_code == 302
    assert list(AgendaRole.objects.values_list("person", "role")) == [(rendra.pk, "speaker")]
    body = client.get(url).content.decode()
    assert f'id="id_person_{item.pk}"' in body


def test_directory_and_typed_organization_pages_cost_the_same_with_5000_organizations(
    client, organizer, published_meeting
):
    from tests.participants.test_registration_list import make_registration

    make_registration(published_meeting, "Budi Santoso", organization_name="Dinas Sosial Kota")
    unit = OrganizationFactory(name="UPT BP2MI Medan")
    urls = [
        reverse("directory:organization_create"),
        reverse("directory:organization_edit", kwargs={"pk": unit.pk}),
        reverse("participants:typed_organization_resolve", kwargs={"code": published_meeting.code})
        + "?name=Dinas+Sosial+Kota",
    ]
    client.force_login(organizer)
    many_organizations(10)
    small = [measure(client, url) for url in urls]
    Organization.objects.bulk_create(Organization(name=f"UPT Wilayah {i:05d}") for i in range(4990))
    large = [measure(client, url) for url in urls]
    assert [q for q, _size in large] == [q for q, _size in small]
    assert [size < 40_000 for _q, size in large] == [True, True, True]


def test_organization_parent_chosen_by_typed_acronym(client, organizer, kemnaker):
    client.force_login(organizer)
    response = client.post(
        reverse("directory:organization_create"),
        {
            "name": "Ditjen Binapenta",
            "parent": "",
            "parent_text": "kemnaker",
            "kind": "agency",
            "timezone": "Asia/Jakarta",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Ditjen Binapenta").parent == kemnaker
