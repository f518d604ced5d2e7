"""The demo (seed_demo): the analyst's token for the policy information system, its secret
never printed, and the API showing the 2021 FGD's recommendations to the analyst."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from api.models import ApiToken
from api.services import create_token
from config.demo_api import TOKEN_NAME


@pytest.fixture
def demo(seeded_demo, db):
    return seeded_demo


def test_the_analyst_has_the_demo_token_and_its_secret_is_not_printed(demo):
    analyst = User.objects.get(email="analis@sinergi.test")
    token = ApiToken.objects.get(user=analyst, name=TOKEN_NAME)

    assert token.is_active
    assert f"{token.prefix}…" in demo
    assert re.findall(r"sng_[A-Za-z0-9_-]+", demo) == [token.prefix]


def test_the_analyst_reads_the_fgds_recommendations_through_the_api(demo, client):
    analyst = User.objects.get(email="analis@sinergi.test")
    _token, secret = create_token(analyst, name="Coba")
    headers = {"Authorization": f"Bearer {secret}"}

    meetings = client.get(reverse("api:meeting-list"), {"date_to": "2021-12-31"}, headers=headers).json()
    recs = client.get(reverse("api:recommendation-list"), {"page_size": 100}, headers=headers).json()

    assert any("P3MI" in m["title"] and m["starts_on"] == "2021-09-20" for m in meetings["results"])
    assert recs["count"] > 0
    assert all(r["minutes_state"] == "approved" for r in recs["results"])
    assert {r["follow_up"]["state"] for r in recs["results"]} - {"proposed"}
