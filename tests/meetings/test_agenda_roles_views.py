"""Speakers and moderators of an agenda item: an htmx fragment in the agenda editor, or a page."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from meetings.models import AgendaRole
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(meeting):
    return meeting.days.get(date="2031-09-22").items.get(title="Paparan Narasumber")


@pytest.fixture
def speaker(db):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    return PersonFactory(
        full_name="Suhartono Narasumber", position="Dirjen Binapenta", organization=kemnaker, email="s@k.test"
    )


@pytest.fixture
def moderator(db):
    return PersonFactory(full_name="Moderator Rapat", organization=None)


@pytest.fixture
def assigned(item, speaker):
    return AgendaRoleFactory(agenda_item=item, person=speaker, role=AgendaRole.Role.SPEAKER, order=1)


def roles_url(meeting, item):
    return reverse("meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": item.pk})


def delete_url(meeting, agenda_role):
    return reverse("meetings:agenda_role_delete", kwargs={"code": meeting.code, "role_id": agenda_role.pk})


def test_agenda_roles_full_page_lists_speakers_and_moderators(
    client, organizer, meeting, item, assigned, moderator
):
    AgendaRoleFactory(agenda_item=item, person=moderator, role=AgendaRole.Role.MODERATOR)
    client.force_login(organizer)
    response = client.get(roles_url(meeting, item))
    assert response.status_code == 200
    assert [r.person.full_name for r in response.context["speakers"]] == ["Suhartono Narasumber"]
    assert [r.person.full_name for r in response.context["moderators"]] == ["Moderator Rapat"]
    body = response.content.decode()
    assert "<html" in body
    assert f'id="agenda-roles-{item.pk}"' in body
    assert "Dirjen Binapenta, Kementerian Ketenagakerjaan (Kemnaker)" in body


def test_agenda_roles_htmx_returns_fragment(client, organizer, meeting, item, assigned):
    client.force_login(organizer)
    response = client.get(roles_url(meeting, item), **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith(f'<div id="agenda-roles-{item.pk}"')
    assert f'hx-post="{roles_url(meeting, item)}"' in body
    assert f'hx-post="{delete_url(meeting, assigned)}"' in body


def test_agenda_roles_assign_by_htmx_rerenders_fragment(client, organizer, meeting, item, moderator):
    client.force_login(organizer)
    response = client.post(roles_url(meeting, item), {"person": moderator.pk, "role": "moderator"}, **HX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert [r.person for r in response.context["moderators"]] == [moderator]
    assert list(item.roles.values_list("person", "role", "order")) == [(moderator.pk, "moderator", 1)]
    assert list(AuditEntry.objects.filter(action="agenda.role_assigned").values_list("actor", flat=True)) == [
        organizer.pk
    ]


def test_agenda_roles_assign_without_htmx_redirects_to_page(client, organizer, meeting, item, speaker):
    client.force_login(organizer)
    response = client.post(roles_url(meeting, item), {"person": speaker.pk, "role": "speaker"})
    assert response.status_code == 302
    assert response.url == roles_url(meeting, item)
    assert list(item.roles.values_list("person", "role")) == [(speaker.pk, "speaker")]


def test_agenda_roles_assign_same_person_twice_shows_error(
    client, organizer, meeting, item, assigned, speaker
):
    client.force_login(organizer)
    response = client.post(roles_url(meeting, item), {"person": speaker.pk, "role": "speaker"}, **HX)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["person"]
    assert f'id="person-error-{item.pk}"' in response.content.decode()
    assert item.roles.count() == 1


def test_agenda_roles_same_person_may_speak_and_moderate(client, organizer, meeting, item, assigned, speaker):
    client.force_login(organizer)
    client.post(roles_url(meeting, item), {"person": speaker.pk, "role": "moderator"}, **HX)
    assert sorted(item.roles.values_list("role", flat=True)) == ["moderator", "speaker"]


def test_agenda_roles_remove_by_htmx_rerenders_fragment(client, organizer, meeting, item, assigned):
    client.force_login(organizer)
    response = client.post(delete_url(meeting, assigned), **HX)
    assert response.status_code == 200
    assert response.context["speakers"] == []
    assert "<html" not in response.content.decode()
    assert item.roles.count() == 0
    assert AuditEntry.objects.filter(action="agenda.role_removed").count() == 1


def test_agenda_roles_remove_without_htmx_redirects(client, organizer, meeting, item, assigned):
    client.force_login(organizer)
    response = client.post(delete_url(meeting, assigned))
    assert response.status_code == 302
    assert response.url == roles_url(meeting, item)
    assert item.roles.count() == 0


def test_agenda_roles_item_of_another_meeting_is_404(client, organizer, meeting, speaker):
    other = MeetingFactory(organizers=[organizer])
    foreign_item = AgendaItemFactory(day__meeting=other, title="Sesi Lain")
    client.force_login(organizer)
    url = reverse("meetings:agenda_roles", kwargs={"code": meeting.code, "item_id": foreign_item.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"person": speaker.pk, "role": "speaker"}).status_code == 404
    assert foreign_item.roles.count() == 0


def test_agenda_roles_remove_role_of_another_meeting_is_404(client, organizer, meeting):
    other = MeetingFactory(organizers=[organizer])
    foreign = AgendaRoleFactory(agenda_item__day__meeting=other)
    client.force_login(organizer)
    assert client.post(delete_url(meeting, foreign)).status_code == 404
    assert AgendaRole.objects.filter(pk=foreign.pk).exists()


def test_agenda_roles_other_organizer_gets_404_without_leaking(
    client, other_organizer, meeting, item, assigned, moderator
):
    client.force_login(other_organizer)
    for headers in ({}, HX):
        response = client.get(roles_url(meeting, item), **headers)
        assert response.status_code == 404
        assert "Suhartono Narasumber" not in response.content.decode()
        assert "Paparan Narasumber" not in response.content.decode()
    assert (
        client.post(roles_url(meeting, item), {"person": moderator.pk, "role": "moderator"}).status_code
        == 404
    )
    assert client.post(delete_url(meeting, assigned)).status_code == 404
    assert list(item.roles.all()) == [assigned]


def test_agenda_roles_secretary_sees_without_form_and_cannot_change(
    client, secretary, meeting, item, assigned, moderator
):
    client.force_login(secretary)
    response = client.get(roles_url(meeting, item), **HX)
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert "<form" not in response.content.decode()
    assert (
        client.post(roles_url(meeting, item), {"person": moderator.pk, "role": "moderator"}).status_code
        == 403
    )
    assert client.post(delete_url(meeting, assigned)).status_code == 403
    assert list(item.roles.all()) == [assigned]
    assert AuditEntry.objects.filter(action__startswith="agenda.role").count() == 0


def test_agenda_roles_anonymous_redirected_to_login(client, meeting, item, assigned):
    for response in (client.get(roles_url(meeting, item)), client.post(delete_url(meeting, assigned))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert item.roles.count() == 1


def test_agenda_roles_plain_user_gets_404(client, plain_user, meeting, item, assigned):
    client.force_login(plain_user)
    response = client.get(roles_url(meeting, item))
    assert response.status_code == 404
    assert "Suhartono Narasumber" not in response.content.decode()


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_agenda_roles_of_a_final_meeting_cannot_change(
    client, organizer, meeting, item, assigned, speaker, status
):
    from meetings.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    client.force_login(organizer)
    page = client.get(roles_url(meeting, item)).content.decode()
    assert "Suhartono Narasumber" in page
    assert 'method="post"' not in page.split("<main", 1)[1]
    assert (
        client.post(roles_url(meeting, item), {"person": speaker.pk, "role": "moderator"}).status_code == 403
    )
    assert client.post(delete_url(meeting, assigned)).status_code == 403
    assert list(AgendaRole.objects.values_list("person__full_name", "role")) == [
        ("Suhartono Narasumber", "speaker")
    ]
