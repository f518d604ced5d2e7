"""The demo's policy analyst reads the 2021 FGD's recommendations in the registry."""

import pytest
from django.urls import reverse

from accounts.models import User
from minutes.models import Minutes, Recommendation


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def test_demo_analyst_sees_the_approved_fgd_recommendations(seeded, client):
    assert client.login(email="analis@sinergi.test", password="sinergi-demo-2021")

    response = client.get(reverse("policy:registry"))

    approved = Recommendation.objects.filter(minutes__state=Minutes.State.APPROVED)
    assert approved.exists()
    assert sorted(r.pk for r in response.context["recommendations"]) == sorted(
        approved.values_list("pk", flat=True)
    )
    assert User.objects.get(email="analis@sinergi.test").is_policy_analyst
