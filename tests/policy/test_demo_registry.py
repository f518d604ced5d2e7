"""The demo's policy analyst reads the 2021 FGD's recommendations in the registry."""

import pytest
from django.urls import reverse

from accounts.models import User
from minutes.models import Minutes, Recommendation
from policy.models import Tracking


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def test_demo_analyst_sees_the_approved_fgd_recommendations(seeded, client):
    assert client.login(email="analis@sinergi.test", password="sinergi-demo-2021")

    response = client.get(reverse("policy:registry"))

    approved = Recommendation.objects.filter(minutes__state=Minutes.State.APPROVED)
    # The coordination meeting's team recommendation is the FGD's: one row naming both meetings.
    merged = Tracking.objects.filter(merged_into__isnull=False).values("key")
    assert approved.filter(key__in=merged).count() == 1
    assert sorted(r.pk for r in response.context["recommendations"]) == sorted(
        approved.exclude(key__in=merged).values_list("pk", flat=True)
    )
    team = next(r for r in response.context["recommendations"] if "Tim Pengawasan P3MI" in r.text)
    assert [s.minutes.meeting.title for s in team.sources] == [
        "Rapat Koordinasi Tindak Lanjut Rekomendasi FGD Pengawasan P3MI"
    ]
    assert User.objects.get(email="analis@sinergi.test").is_policy_analyst
