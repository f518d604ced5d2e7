"""Quota under concurrency: focal-point submits at the same moment never exceed the agency's seats."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from participants.models import AgencyInvitation, Registration
from participants.services import invitations as inv
from tests.factories import OrganizationFactory

from .conftest import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (set DATABASE_URL=postgres://...); this run uses {connection.vendor}")


def nominate(invitation_pk: int, n: int) -> str:
    """One focal-point submit on its own connection; the outcome, or the refusal's message."""
    invitation = AgencyInvitation.objects.get(pk=invitation_pk)
    try:
        inv.nominate(
            invitation,
            full_name=f"Delegasi {n}",
            email=f"delegasi{n}@example.go.id",
            phone=f"0812 3456 78{n:02d}",
            mode="onsite",
            authorised=True,
        )
    except ValidationError:
        return "refused"
    return "nominated"


def test_six_simultaneous_nominations_fill_a_quota_of_three_exactly(postgres, published_meeting, organizer):
    invitation = inv.invite(
        published_meeting,
        actor=organizer,
        organization=OrganizationFactory(name="UPT BP2MI Makassar"),
        quota=3,
        focal_point_email="upt.makassar@example.go.id",
    )
    outcome = run_at_once(nominate, [(invitation.pk, n) for n in range(6)])
    assert outcome.failures == []
    assert sorted(outcome.results) == ["nominated"] * 3 + ["refused"] * 3
    assert Registration.objects.filter(invitation=invitation).count() == 3
    assert Registration.objects.filter(invitation=invitation, state="confirmed").count() == 3
    assert AgencyInvitation.objects.get(pk=invitation.pk).state == "responded"
