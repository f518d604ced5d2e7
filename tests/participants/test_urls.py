"""The `urls` helpers of registrations, invitations, nominations and meeting days: the URLs the views resolve."""

import pytest
from django.core import mail
from django.urls import resolve

from participants import links
from participants.models import Nomination
from participants.services import invitations as inv
from participants.services import registration as reg
from participants.views import invitations, public

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(published_meeting):
    return reg.register(
        published_meeting, full_name="Budi Santoso", email="budi@example.test", mode="onsite", consent=True
    ).registration


@pytest.fixture
def invitation(published_meeting, organizer, kemlu):
    return inv.invite(
        published_meeting, actor=organizer, organization=kemlu, quota=2, focal_point_email="tu@kemlu.example"
    )


def resolved(url: str) -> tuple:
    match = resolve(url)
    return match.func.view_class, match.kwargs


def resolved_names(urls, names: list[str]) -> dict:
    """{attribute: (view class name, URL kwargs)} for these attributes of a `urls` helper."""
    return {
        name: (resolved(getattr(urls, name))[0].__name__, resolved(getattr(urls, name))[1]) for name in names
    }


def test_registration_private_link_opens_the_registration_page(registration, client):
    url = registration.urls.private
    view, kwargs = resolved(url)
    assert (view, kwargs["code"]) == (public.RegistrationManageView, registration.code)
    assert links.registration_for_token(kwargs["code"], kwargs["token"]) == registration
    assert client.get(url).status_code == 200


def test_registration_private_link_changes_when_the_link_is_renewed(registration):
    old = registration.urls.private
    reg.revoke_link(registration)
    registration.refresh_from_db()
    assert registration.urls.private != old
    view, kwargs = resolved(old)
    assert links.registration_for_token(kwargs["code"], kwargs["token"]) is None


def test_registration_action_link_is_the_organizer_row_action(registration, published_meeting):
    view, kwargs = resolved(registration.urls.action)
    assert view.__name__ == "RegistrationActionView"
    assert kwargs == {"code": published_meeting.code, "pk": registration.pk}


def test_invitation_links_resolve_to_the_focal_point_page_and_the_organizer_actions(
    invitation, published_meeting
):
    view, kwargs = resolved(invitation.urls.focal_point)
    assert view is invitations.InvitationRespondView
    assert links.invitation_for_token(kwargs["pk"], kwargs["token"]) == invitation
    here = {"code": published_meeting.code, "pk": invitation.pk}
    assert resolved_names(invitation.urls, ["quota", "deadline", "revoke", "remind"]) == {
        "quota": ("InvitationQuotaView", here),
        "deadline": ("InvitationDeadlineView", here),
        "revoke": ("InvitationRevokeView", here),
        "remind": ("InvitationRemindView", here),
    }


def test_nomination_links_resolve_to_accept_replace_and_withdraw(invitation):
    nomination = inv.nominate(
        invitation, full_name="Delegasi Satu", email="delegasi1@example.go.id", mode="onsite", authorised=True
    )
    assert list(Nomination.objects.all()) == [nomination]
    view, kwargs = resolved(nomination.urls.accept)
    assert view is invitations.NominationAcceptView
    assert links.nomination_for_token(kwargs["pk"], kwargs["token"]) == nomination
    focal_point = {"pk": invitation.pk, "token": invitation.urls.token, "nomination_id": nomination.pk}
    assert links.invitation_for_token(invitation.pk, focal_point["token"]) == invitation
    assert resolved_names(nomination.urls, ["replace", "withdraw"]) == {
        "replace": ("DelegateReplaceView", focal_point),
        "withdraw": ("DelegateWithdrawView", focal_point),
    }


def test_day_links_resolve_to_the_agenda_forms_and_the_check_in_pages(published_meeting):
    day = published_meeting.days.order_by("date").first()
    here = {"code": published_meeting.code, "day_id": day.pk}
    names = ["checkin", "checkin_search", "walk_in", "online_attendance", "edit", "delete", "item_create"]
    assert resolved_names(day.urls, names) == {
        "checkin": ("CheckInView", here),
        "checkin_search": ("CheckInSearchView", here),
        "walk_in": ("WalkInView", here),
        "online_attendance": ("OnlineAttendanceView", here),
        "edit": ("DayUpdateView", here),
        "delete": ("DayDeleteView", here),
        "item_create": ("ItemCreateView", here),
    }


def test_absolute_links_put_the_base_url_before_the_path(
    registration, invitation, published_meeting, settings
):
    settings.SINERGI_BASE_URL = "https://sinergi.bp2mi.example.test"
    assert (
        registration.urls.absolute.private == "https://sinergi.bp2mi.example.test" + registration.urls.private
    )
    assert invitation.urls.absolute.focal_point == (
        "https://sinergi.bp2mi.example.test" + invitation.urls.focal_point
    )
    assert published_meeting.urls.absolute.public == "https://sinergi.bp2mi.example.test/m/" + (
        published_meeting.code + "/"
    )


def test_confirmation_email_carries_the_links_the_helpers_build(published_meeting, settings, run_tasks):
    settings.SINERGI_BASE_URL = "https://sinergi.bp2mi.example.test"
    registration = reg.register(
        published_meeting, full_name="Sari Dewi", email="sari@example.test", mode="onsite", consent=True
    ).registration
    run_tasks()
    [message] = mail.outbox
    private = "https://sinergi.bp2mi.example.test" + registration.urls.private
    assert private == registration.urls.absolute.private
    assert private in message.body
    assert f'href="{private}"' in message.alternatives[0][0]
    assert registration.meeting.urls.absolute.public in message.body
