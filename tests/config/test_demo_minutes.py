"""The demo's minutes: the 2021 FGD's approved and published Notula, one upcoming meeting's draft."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from accounts.models import User
from meetings.models import Meeting
from minutes.models import ActionItem, Minutes, Point, Recommendation, Revision
from participants.models import Registration

NOTULIS = "notulis@sinergi.test"


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def fgd_minutes() -> Minutes:
    return Minutes.objects.get(meeting__kind=Meeting.Kind.FGD, meeting__starts_on=date(2021, 9, 20))


def test_demo_fgd_minutes_are_approved_and_published_to_participants(seeded):
    minutes = fgd_minutes()
    assert (minutes.version, minutes.state, minutes.audience) == (
        1,
        Minutes.State.APPROVED,
        Minutes.Audience.PARTICIPANTS,
    )
    assert minutes.approved_by.email == "penyelenggara@sinergi.test"
    assert minutes.submitted_by.email == NOTULIS
    assert (minutes.chair_name, minutes.signer_name, minutes.signed_place, minutes.signed_on) == (
        "Lismia Elita",
        "Lismia Elita",
        "Jakarta",
        date(2021, 9, 21),
    )
    assert minutes.invitation_reference.startswith("B.1520/")


def test_demo_fgd_minutes_record_points_per_agenda_item_by_the_agenda_speakers(seeded):
    minutes = fgd_minutes()
    titles = list(minutes.sections.values_list("title", flat=True))
    assert titles[0] == "Kata Pembukaan"
    assert titles[-1] == "Penutup"
    opening_item = minutes.sections.get(title="Pembukaan")
    points = list(opening_item.points.order_by("order"))
    assert [p.speaker_name for p in points] == ["Lismia Elita"] * 3
    assert points[0].person.email == "lismia.elita@example.test"
    assert "**7.848 pengaduan**" in points[0].text
    remarks = minutes.sections.get(title="Sambutan dan arahan").points.first()
    assert remarks.speaker_name == "Devriel Sogia"
    assert "tidak dapat dilakukan sendiri oleh BP2MI" in remarks.text
    # A participant who is not in the directory is named as typed.
    assert Point.objects.filter(
        section__minutes=minutes, person=None, speaker_name="Peserta BP3MI Jawa Timur (Surabaya)"
    ).exists()
    # Every part was saved through the services: each has its revisions, by the secretary.
    assert (
        Revision.objects.filter(minutes=minutes, kind=Revision.Kind.POINT).count()
        == Point.objects.filter(section__minutes=minutes).count()
    )
    assert set(Revision.objects.filter(minutes=minutes).values_list("author__email", flat=True)) == {NOTULIS}


def test_demo_fgd_recommendations_and_action_items(seeded):
    minutes = fgd_minutes()
    recommendations = list(Recommendation.objects.filter(minutes=minutes).order_by("order"))
    assert [r.instrument for r in recommendations] == ["decision", "regulation", "sop"]
    team, referral, complaints = recommendations
    assert "Tim Pengawasan P3MI" in team.text
    assert sorted(team.addressed_to.values_list("acronym", flat=True)) == ["BP2MI", "Kemnaker"]
    assert sorted(referral.addressed_to.values_list("acronym", flat=True)) == [
        "BP2MI",
        "Kemenhub",
        "Kemlu",
        "Kemnaker",
    ]
    assert complaints.addressed_to.get().acronym == "BP2MI"
    assert "UPT" in complaints.text
    assert team.proposed_by_person.full_name == "Lismia Elita"
    assert complaints.proposed_by_organization.acronym == "DITPP Kawasan Asaf"
    assert sorted(team.themes.values_list("name", flat=True)) == ["Koordinasi", "Pengawasan"]
    assert {r.section.title for r in recommendations} == {"Perumusan kesimpulan dan rekomendasi"}
    actions = list(ActionItem.objects.filter(minutes=minutes).order_by("order"))
    assert [(a.state, a.due_on) for a in actions] == [
        ("open", date(2021, 10, 29)),
        ("done", date(2021, 9, 30)),
        ("open", date(2021, 10, 15)),
    ]
    assert actions[0].owner_organization.acronym == "DITPP Kawasan Asaf"


def test_demo_upcoming_socialization_has_draft_minutes(seeded):
    drafts = Minutes.objects.filter(state=Minutes.State.DRAFT)
    assert [m.meeting.kind for m in drafts] == [Meeting.Kind.SOCIALIZATION]


def test_demo_second_run_adds_no_minutes(seeded):
    counts = (Minutes.objects.count(), Point.objects.count(), Revision.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Minutes.objects.count(), Point.objects.count(), Revision.objects.count()) == counts


def test_demo_secretary_downloads_the_fgd_notula(seeded, client):
    client.force_login(User.objects.get(email=NOTULIS))
    minutes = fgd_minutes()
    response = client.get(reverse("minutes:notula", kwargs={"code": minutes.meeting.code}))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "7.848 pengaduan" in text
    assert "DRAFT" not in text


def test_demo_confirmed_participant_reads_the_published_notula(seeded, client):
    minutes = fgd_minutes()
    registration = Registration.objects.filter(
        meeting=minutes.meeting, state=Registration.State.CONFIRMED
    ).first()
    url = reverse(
        "minutes:participant_notula", kwargs={"code": registration.code, "token": registration.urls.token}
    )
    response = client.get(url)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    tables = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Tim Pengawasan P3MI" in tables


def test_demo_secretary_opens_the_fgd_minutes_and_the_socialization_draft(seeded, client):
    client.force_login(User.objects.get(email=NOTULIS))
    fgd = fgd_minutes()
    detail = client.get(reverse("meetings:detail", kwargs={"code": fgd.meeting.code})).content.decode()
    assert f'href="/meetings/{fgd.meeting.code}/minutes/"' in detail
    page = client.get(reverse("minutes:editor", kwargs={"code": fgd.meeting.code})).content.decode()
    assert 'data-minutes-state="approved"' in page
    assert "data-autosave" not in page
    assert "Tim Pengawasan P3MI" in page
    history = client.get(reverse("minutes:history", kwargs={"code": fgd.meeting.code})).content.decode()
    assert history.count("data-revision=") > 10
    draft = Minutes.objects.get(state=Minutes.State.DRAFT)
    page = client.get(reverse("minutes:editor", kwargs={"code": draft.meeting.code})).content.decode()
    assert 'data-minutes-state="draft"' in page
    assert "data-autosave" in page


def test_demo_participant_finds_the_minutes_on_the_private_page(seeded, client):
    minutes = fgd_minutes()
    registration = Registration.objects.filter(
        meeting=minutes.meeting, state=Registration.State.CONFIRMED
    ).first()
    kwargs = {"code": registration.code, "token": registration.urls.token}
    private = client.get(reverse("participants:registration_manage", kwargs=kwargs)).content.decode()
    assert reverse("minutes:participant_read", kwargs=kwargs) in private
    page = client.get(reverse("minutes:participant_read", kwargs=kwargs)).content.decode()
    assert "Tim Pengawasan P3MI" in page
