"""Opening private links: the registration, invitation or nomination a link's token opens.

The links themselves come from the rows' `urls` helpers (participants.models): `registration.urls.private`,
`invitation.urls.focal_point`, `nomination.urls.accept`, and `.absolute.<name>` for emails.
"""

from core.tokens import check_token

from .models import NOMINATION_TOKEN_VERSION, AgencyInvitation, Nomination, Registration


def registration_for_token(code: str, token: str) -> Registration | None:
    """The registration a private link opens, or None for a wrong, tampered or revoked link."""
    registration = (
        Registration.objects.select_related("meeting", "organization").filter(code=code.upper()).first()
    )
    if registration and check_token("registration", registration.pk, registration.token_version, token):
        return registration
    return None


def invitation_for_token(pk: int, token: str) -> AgencyInvitation | None:
    invitation = AgencyInvitation.objects.select_related("meeting", "organization").filter(pk=pk).first()
    if (
        invitation
        and invitation.state != AgencyInvitation.State.REVOKED
        and check_token("invitation", invitation.pk, invitation.token_version, token)
    ):
        return invitation
    return None


def nomination_for_token(pk: int, token: str) -> Nomination | None:
    nomination = (
        Nomination.objects.select_related("invitation__meeting", "invitation__organization")
        .filter(pk=pk)
        .first()
    )
    if nomination and check_token("nomination", nomination.pk, NOMINATION_TOKEN_VERSION, token):
        return nomination
    return None
