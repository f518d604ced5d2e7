"""Private links of registrations and agency invitations (absolute, for emails)."""

from django.conf import settings
from django.urls import reverse

from core.tokens import check_token, make_token

from .models import AgencyInvitation, Nomination, Registration


def registration_token(registration: Registration) -> str:
    return make_token("registration", registration.pk, registration.token_version)


def registration_path(registration: Registration) -> str:
    return reverse(
        "participants:registration_manage",
        kwargs={"code": registration.code, "token": registration_token(registration)},
    )


def registration_url(registration: Registration) -> str:
    return settings.SINERGI_BASE_URL + registration_path(registration)


def registration_for_token(code: str, token: str) -> Registration | None:
    """The registration a private link opens, or None for a wrong, tampered or revoked link."""
    registration = (
        Registration.objects.select_related("meeting", "organization").filter(code=code.upper()).first()
    )
    if registration and check_token("registration", registration.pk, registration.token_version, token):
        return registration
    return None


def invitation_token(invitation: AgencyInvitation) -> str:
    return make_token("invitation", invitation.pk, invitation.token_version)


def invitation_path(invitation: AgencyInvitation) -> str:
    return reverse(
        "participants:invitation_respond", kwargs={"pk": invitation.pk, "token": invitation_token(invitation)}
    )


def invitation_url(invitation: AgencyInvitation) -> str:
    return settings.SINERGI_BASE_URL + invitation_path(invitation)


def invitation_for_token(pk: int, token: str) -> AgencyInvitation | None:
    invitation = AgencyInvitation.objects.select_related("meeting", "organization").filter(pk=pk).first()
    if (
        invitation
        and invitation.state != AgencyInvitation.State.REVOKED
        and check_token("invitation", invitation.pk, invitation.token_version, token)
    ):
        return invitation
    return None


# A nomination's link goes to the person already registered, to accept counting as a delegate;
# it works while the nomination waits for them (the service checks the state).
NOMINATION_TOKEN_VERSION = 1


def nomination_path(nomination: Nomination) -> str:
    token = make_token("nomination", nomination.pk, NOMINATION_TOKEN_VERSION)
    return reverse("participants:nomination_accept", kwargs={"pk": nomination.pk, "token": token})


def nomination_url(nomination: Nomination) -> str:
    return settings.SINERGI_BASE_URL + nomination_path(nomination)


def nomination_for_token(pk: int, token: str) -> Nomination | None:
    nomination = (
        Nomination.objects.select_related("invitation__meeting", "invitation__organization")
        .filter(pk=pk)
        .first()
    )
    if nomination and check_token("nomination", nomination.pk, NOMINATION_TOKEN_VERSION, token):
        return nomination
    return None
