"""A meeting's host agencies: organizers of the meeting only."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from meetings.models import MeetingHost
from tests.factories import MeetingFactory, MeetingHostFactory, OrganizationFactory


@pytest.fixture
def bp2mi(db):
    return OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")


@pytest.fixture
def kemnaker(db):
    return OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")


@pytest.fixture
def hosted(meeting, bp2mi):
    return MeetingHostFactory(meeting=meeting, organization=bp2mi, role=MeetingHost.Role.ORGANIZER, order=1)


def hosts_url(meeting):
    return reverse("meetings:hosts", kwargs={"code": meeting.code})


def delete_url(host):
    return reverse("meetings:host_delete", kwargs={"code": host.meeting.code, "host_id": host.pk})


def test_hosts_lists_host_agencies_with_roles(client, organizer, meeting, hosted, kemnaker):
    MeetingHostFactory(meeting=meeting, organization=kemnaker, role=MeetingHost.Role.CO_HOST, order=2)
    client.force_login(organizer)
    response = client.get(hosts_url(meeting))
    assert response.status_code == 200
    assert [(h.organization.acronym, h.role) for h in response.context["hosts"]] == [
        ("BP2MI", "organizer"),
        ("Kemnaker", "co_host"),
    ]
    assert "Kementerian Ketenagakerjaan (Kemnaker)" in response.content.decode()


def test_hosts_add_co_host(client, organizer, meeting, hosted, kemnaker):
    client.force_login(organizer)
    response = client.post(hosts_url(meeting), {"organization": kemnaker.pk, "role": "co_host"})
    assert response.status_code == 302
    assert response.url == hosts_url(meeting)
    assert list(meeting.hosts.values_list("organization__acronym", "role", "order")) == [
        ("BP2MI", "organizer", 1),
        ("Kemnaker", "co_host", 2),
    ]
    assert list(AuditEntry.objects.filter(action="meeting.host_added").values_list("actor", flat=True)) == [
        organizer.pk
    ]


def test_hosts_add_existing_host_shows_error_next_to_field(client, organizer, meeting, hosted, bp2mi):
    client.force_login(organizer)
    response = client.post(hosts_url(meeting), {"organization": bp2mi.pk, "role": "co_host"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organization"]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert meeting.hosts.count() == 1


def test_hosts_remove(client, organizer, meeting, hosted):
    client.force_login(organizer)
    response = client.post(delete_url(hosted))
    assert response.status_code == 302
    assert meeting.hosts.count() == 0
    assert AuditEntry.objects.filter(action="meeting.host_removed").count() == 1


def test_hosts_remove_needs_post(client, organizer, meeting, hosted):
    client.force_login(organizer)
    assert client.get(delete_url(hosted)).status_code == 405
    assert meeting.hosts.count() == 1


def test_hosts_remove_host_of_another_meeting_is_404(client, organizer, meeting, other_organizer):
    other = MeetingFactory(organizers=[other_organizer, organizer])
    foreign = MeetingHostFactory(meeting=other)
    client.force_login(organizer)
    url = reverse("meetings:host_delete", kwargs={"code": meeting.code, "host_id": foreign.pk})
    assert client.post(url).status_code == 404
    assert MeetingHost.objects.filter(pk=foreign.pk).exists()


def test_hosts_anonymous_redirected_to_login(client, meeting, hosted):
    for response in (client.get(hosts_url(meeting)), client.post(delete_url(hosted))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert meeting.hosts.count() == 1


def test_hosts_other_organizer_gets_404_without_leaking(client, other_organizer, meeting, hosted, kemnaker):
    client.force_login(other_organizer)
    response = client.get(hosts_url(meeting))
    assert response.status_code == 404
    body = response.content.decode()
    assert "Badan Pelindungan Pekerja Migran Indonesia" not in body
    assert "FGD Pengawasan P3MI" not in body
    assert (
        client.post(hosts_url(meeting), {"organization": kemnaker.pk, "role": "co_host"}).status_code == 404
    )
    assert client.post(delete_url(hosted)).status_code == 404
    assert list(meeting.hosts.values_list("organization", flat=True)) == [hosted.organization_id]


def test_hosts_secretary_gets_403_and_changes_nothing(client, secretary, meeting, hosted, kemnaker):
    client.force_login(secretary)
    assert client.get(hosts_url(meeting)).status_code == 403
    assert (
        client.post(hosts_url(meeting), {"organization": kemnaker.pk, "role": "co_host"}).status_code == 403
    )
    assert client.post(delete_url(hosted)).status_code == 403
    assert list(meeting.hosts.values_list("organization", flat=True)) == [hosted.organization_id]
    assert AuditEntry.objects.filter(action__startswith="meeting.host").count() == 0


def test_hosts_plain_user_gets_404(client, plain_user, meeting, hosted):
    client.force_login(plain_user)
    response = client.get(hosts_url(meeting))
    assert response.status_code == 404
    assert "Badan Pelindungan Pekerja Migran Indonesia" not in response.content.decode()


def test_hosts_form_suggests_organizer_role_for_first_host(client, organizer, meeting, bp2mi):
    client.force_login(organizer)
    assert client.get(hosts_url(meeting)).context["form"]["role"].value() == "organizer"
    MeetingHostFactory(meeting=meeting, organization=bp2mi)
    assert client.get(hosts_url(meeting)).context["form"]["role"].value() == "co_host"
