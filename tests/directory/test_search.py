"""Directory search endpoints: JSON for scripts, <option> fragments for htmx."""

from django.urls import reverse

from tests.factories import MeetingFactory, OrganizationFactory, PersonFactory
from tests.participants.test_registration_list import make_registration

ORG_SEARCH = reverse("directory:organization_search")
PERSON_SEARCH = reverse("directory:person_search")


def test_organization_search_returns_json_matches(client, organizer):
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    upt = OrganizationFactory(name="UPT BP2MI Medan", acronym="", parent=bp2mi)
    OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    client.force_login(organizer)
    response = client.get(ORG_SEARCH, {"q": "bp2mi"})
    assert response.status_code == 200
    assert [(r["id"], r["parent"]) for r in response.json()["results"]] == [
        (bp2mi.pk, ""),
        (upt.pk, "Badan Pelindungan Pekerja Migran Indonesia (BP2MI)"),
    ]


def test_organization_search_limits_to_twenty(client, organizer):
    OrganizationFactory.create_batch(25)
    client.force_login(organizer)
    assert len(client.get(ORG_SEARCH, {"q": "instansi"}).json()["results"]) == 20


def test_organization_search_htmx_returns_options(client, organizer):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    OrganizationFactory(name="BP2MI")
    client.force_login(organizer)
    response = client.get(ORG_SEARCH, {"q": "luar"}, HTTP_HX_REQUEST="true")
    body = response.content.decode().strip()
    assert body == f'<option value="{kemlu.pk}">Kementerian Luar Negeri (Kemlu)</option>'


def test_organization_search_htmx_says_when_nothing_matches(client, organizer):
    OrganizationFactory(name="BP2MI")
    client.force_login(organizer)
    body = client.get(ORG_SEARCH, {"q": "zzz"}, HTTP_HX_REQUEST="true").content.decode()
    assert body.count("<option") == 1
    assert '<option value="">' in body


def test_person_search_matches_name_position_organization_email(client, organizer):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    ani = PersonFactory(
        full_name="Ani Wijaya", position="Direktur PWNI", organization=kemlu, email="ani@k.test"
    )
    budi = PersonFactory(full_name="Budi", position="Kepala UPT", organization=None, email="budi@u.test")
    # Email matches only people whose contact the organizer may see: Budi registered for their meeting.
    make_registration(MeetingFactory(organizers=[organizer]), "Budi Santoso", email="budi@u.test")
    client.force_login(organizer)

    def ids(q):
        return [r["id"] for r in client.get(PERSON_SEARCH, {"q": q}).json()["results"]]

    assert ids("wijaya") == [ani.pk]
    assert ids("kepala upt") == [budi.pk]
    assert ids("kemlu") == [ani.pk]
    assert ids("luar negeri") == [ani.pk]
    assert ids("u.test") == [budi.pk]
    assert client.get(PERSON_SEARCH, {"q": "ani"}).json()["results"][0]["text"] == "Ani Wijaya — Kemlu"


def test_person_search_htmx_returns_options(client, organizer):
    org = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    person = PersonFactory(full_name="Lismia Elita", organization=org)
    client.force_login(organizer)
    body = client.get(PERSON_SEARCH, {"q": "lismia"}, HTTP_HX_REQUEST="true").content.decode().strip()
    assert body == f'<option value="{person.pk}">Lismia Elita — BP2MI</option>'


def test_search_forbidden_to_plain_user_without_leaking(client, plain_user):
    PersonFactory(full_name="Rahasia Pejabat", email="rahasia@example.test")
    client.force_login(plain_user)
    for url in (ORG_SEARCH, PERSON_SEARCH):
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = client.get(url, {"q": "rahasia"}, **headers)
            assert response.status_code == 403
            assert "Rahasia" not in response.content.decode()
            assert "rahasia@example.test" not in response.content.decode()
