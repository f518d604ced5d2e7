"""The demo's follow-up and policy-input document: what a newcomer sees after `dev.py run`."""

import pytest
from django.urls import reverse

from minutes.models import Recommendation
from policy.models import FocalPoint, FollowUp, PolicyBrief, State
from policy.services.tracking import with_follow_up


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def test_demo_follow_up_comes_from_two_agencies(seeded):
    by_focal_point = FollowUp.objects.exclude(by_focal_point=None)

    assert sorted({e.by_focal_point.organization.acronym for e in by_focal_point}) == ["Kemlu", "Kemnaker"]
    assert by_focal_point.exclude(evidence_url="").exists()
    assert FollowUp.objects.filter(state=State.IMPLEMENTED).count() == 1


def test_demo_policy_input_document_compiles_both_meetings(seeded, client):
    brief = PolicyBrief.objects.get()
    meetings = set(
        Recommendation.objects.filter(key__in=brief.keys).values_list("minutes__meeting__title", flat=True)
    )
    assert meetings == {
        "Focus Group Discussion Pengawasan P3MI",
        "Rapat Koordinasi Tindak Lanjut Rekomendasi FGD Pengawasan P3MI",
    }
    assert client.login(email="analis@sinergi.test", password="sinergi-demo-2021")
    document = client.get(reverse("policy:brief_document", args=[brief.pk]))
    assert document.status_code == 200
    assert document["Content-Disposition"].endswith('.docx"')


def test_demo_focal_point_account_sees_kemnakers_recommendations_with_one_overdue(seeded, client):
    assert client.login(email="narahubung@sinergi.test", password="sinergi-demo-2021")

    response = client.get(reverse("policy:mine"))

    rows = response.context["recommendations"]
    assert rows
    assert all(any(o.acronym == "Kemnaker" for o in r.addressed_to.all()) for r in rows)
    assert [r.follow_overdue for r in rows].count(True) >= 1
    assert FocalPoint.objects.get(email="narahubung@sinergi.test").organization.acronym == "Kemnaker"
    overdue = [r.text for r in with_follow_up(Recommendation.objects.all()).filter(follow_overdue=True)]
    assert any("aturan rujukan" in text for text in overdue)
    assert not any("atase ketenagakerjaan" in text for text in overdue)  # Kemlu implemented it


def test_demo_recommendations_name_their_proposer_and_no_invented_agency(seeded):
    fgd = Recommendation.objects.filter(minutes__meeting__title="Focus Group Discussion Pengawasan P3MI")
    by_person = fgd.exclude(proposed_by_person=None)

    assert by_person.count() == 2
    # Proposed by a speaker only: no agency was given (an empty name once matched any agency).
    assert list(by_person.values_list("proposed_by_organization", flat=True)) == [None, None]
    assert (
        fgd.exclude(proposed_by_organization=None).get().proposed_by_organization.acronym
        == "DITPP Kawasan Asaf"
    )
