"""Follow-up of recommendations: who may see and change it (with data that could leak), the
states, evidence uploads, the focal points' private links, merges, the registry's follow-up
filters and the weekly digest."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.tokens import make_token
from minutes.models import Minutes, Recommendation
from policy.models import FocalPoint, FollowUp, State, Tracking
from policy.services import digest, focal_points
from policy.services import followup as services
from tests.conftest import login
from tests.factories import OrganizationFactory, UserFactory
from tests.policy.test_registry import make_meeting, make_minutes, make_rec

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TODAY = timezone.localdate()


def docx_bytes(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


def account_for(email: str, verified: bool = True):
    user = UserFactory(email=email, full_name="Akun " + email.split("@")[0])
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


@pytest.fixture
def world(organizer, other_organizer, analyst):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    own = make_meeting(organizer, date(2021, 9, 20), "FGD Pengawasan P3MI")
    theirs = make_meeting(other_organizer, date(2022, 3, 10), "Rakor Pelindungan ABK")
    own_minutes = make_minutes(own)
    their_minutes = make_minutes(theirs)
    draft_minutes = make_minutes(make_meeting(organizer, date(2023, 1, 5), "Rapat Draf"), Minutes.State.DRAFT)
    w = {
        "kemnaker": kemnaker,
        "kemlu": kemlu,
        "own": own,
        "theirs": theirs,
        "a": make_rec(own_minutes, "Perkuat pengawasan P3MI", addressed_to=[kemnaker]),
        "b": make_rec(their_minutes, "Satu data awak kapal", addressed_to=[kemlu]),
        "same": make_rec(their_minutes, "Pengawasan P3MI diperkuat bersama daerah", addressed_to=[kemnaker]),
        "draft": make_rec(draft_minutes, "Rahasia draf untuk Kemnaker", addressed_to=[kemnaker]),
    }
    w["fp_kemnaker"] = focal_points.add_focal_point(
        organization=kemnaker, name="Budi Santoso", email="budi@kemnaker.test", language="id", user=analyst
    )
    w["fp_kemlu"] = focal_points.add_focal_point(
        organization=kemlu, name="Sari Kemlu", email="sari@kemlu.test", language="en", user=analyst
    )
    return w


def page(key):
    return reverse("policy:recommendation", kwargs={"key": key})


def link_of(fp: FocalPoint, key=None) -> str:
    token = make_token("focal_point", fp.pk, fp.token_version)
    if key is None:
        return reverse("policy:focal_point", kwargs={"pk": fp.pk, "token": token})
    return reverse("policy:focal_point_recommendation", kwargs={"pk": fp.pk, "token": token, "key": key})


def change(state="accepted", note="Diterima untuk ditindaklanjuti", **extra):
    return {"state": state, "note": note, "happened_on": TODAY.isoformat(), "evidence_url": "", **extra}


def state_of(rec) -> str:
    row = Tracking.objects.filter(key=rec.key).first()
    if row and row.merged_into_id:
        row = row.merged_into
    return row.state if row else State.PROPOSED


# Who sees and who changes ------------------------------------------------------------------------


def test_anonymous_goes_to_login(client, world):
    response = client.get(page(world["a"].key))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["plain", "other_organizer", "other_focal_point", "unverified_focal_point"])
def test_others_get_a_404_and_see_nothing(client, world, other_organizer, who):
    user = {
        "plain": lambda: UserFactory(email="nobody@example.test"),
        "other_organizer": lambda: other_organizer,
        "other_focal_point": lambda: account_for("sari@kemlu.test"),
        # Someone who opened an account with the focal point's address but never confirmed it.
        "unverified_focal_point": lambda: account_for("budi@kemnaker.test", verified=False),
    }[who]()
    login(client, user)

    response = client.get(page(world["a"].key))
    posted = client.post(page(world["a"].key), change())

    assert response.status_code == 404
    assert "Perkuat pengawasan" not in response.content.decode()
    assert posted.status_code == 404
    assert not FollowUp.objects.exists()


def test_a_focal_point_never_sees_draft_minutes(client, world):
    login(client, account_for("budi@kemnaker.test"))

    assert client.get(page(world["draft"].key)).status_code == 404
    mine = client.get(reverse("policy:mine")).content.decode()
    assert "Rahasia draf" not in mine
    assert "Perkuat pengawasan P3MI" in mine
    assert "Satu data awak kapal" not in mine  # addressed to another agency


def test_focal_point_account_records_a_change_and_organizers_are_told(
    client, world, organizer, run_tasks, mailoutbox
):
    login(client, account_for("budi@kemnaker.test"))
    mailoutbox.clear()

    response = client.post(page(world["a"].key), change(note="Sudah dibahas di rapat pimpinan"))

    assert response.status_code == 302
    entry = FollowUp.objects.get()
    assert (entry.state, entry.previous_state, entry.by_focal_point) == (
        "accepted",
        "proposed",
        world["fp_kemnaker"],
    )
    assert entry.by_name == "Budi Santoso, Kemnaker"
    assert state_of(world["a"]) == State.ACCEPTED
    run_tasks()
    told = [m for m in mailoutbox if organizer.email in m.to]
    assert len(told) == 1
    assert "Sudah dibahas di rapat pimpinan" in told[0].body
    assert "Budi Santoso, Kemnaker" in told[0].body
    assert page(world["a"].key) in told[0].body


def test_organizer_and_analyst_are_staff_but_analyst_not_on_drafts(client, world, organizer, analyst):
    login(client, organizer)
    assert client.post(page(world["a"].key), change()).status_code == 302
    assert client.post(page(world["draft"].key), change()).status_code == 302  # their own draft
    login(client, analyst)
    assert client.get(page(world["b"].key)).status_code == 200
    assert client.get(page(world["draft"].key)).status_code == 404


# States ------------------------------------------------------------------------------------------


def test_a_proposed_recommendation_cannot_jump_to_implemented_of_a_closed_one(client, world, organizer):
    login(client, organizer)
    refused = client.post(page(world["a"].key), change(state="in_progress"))

    assert refused.status_code == 400
    assert not FollowUp.objects.exists()
    for state in ("accepted", "in_progress", "implemented"):
        assert client.post(page(world["a"].key), change(state=state)).status_code == 302
    assert [e.state for e in FollowUp.objects.order_by("pk")] == ["accepted", "in_progress", "implemented"]


def test_focal_point_cannot_reopen_but_staff_can(client, world, organizer):
    fp_link = link_of(world["fp_kemnaker"], world["a"].key)
    for state in ("accepted", "implemented"):
        assert client.post(fp_link, change(state=state)).status_code == 302

    closed = client.get(fp_link)
    refused = client.post(fp_link, change(state="in_progress"))

    assert "Tindak lanjut rekomendasi ini sudah selesai." in closed.content.decode()
    assert refused.status_code == 400
    assert state_of(world["a"]) == State.IMPLEMENTED
    login(client, organizer)
    assert (
        client.post(page(world["a"].key), change(state="in_progress", note="Dibuka lagi")).status_code == 302
    )
    assert state_of(world["a"]) == State.IN_PROGRESS


def test_bad_input_changes_nothing(client, world, organizer):
    login(client, organizer)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()

    future = client.post(page(world["a"].key), change(happened_on=tomorrow))
    empty = client.post(page(world["a"].key), change(note="   "))
    script = client.post(page(world["a"].key), change(evidence_url="javascript:alert(1)"))

    assert [r.status_code for r in (future, empty, script)] == [400, 400, 400]
    assert "Tanggal perubahan tidak boleh di masa depan." in future.content.decode()
    assert not FollowUp.objects.exists()
    assert state_of(world["a"]) == State.PROPOSED


def test_hostile_text_is_inert_on_the_page(client, world, organizer):
    login(client, organizer)
    client.post(page(world["a"].key), change(note='<script>alert("x")</script>'))

    html = client.get(page(world["a"].key)).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_due_dates_are_set_by_staff_only(client, world, organizer):
    due = reverse("policy:due", kwargs={"key": world["a"].key})
    login(client, account_for("budi@kemnaker.test"))
    assert client.post(due, {"due_on": "2030-01-01"}).status_code == 404  # not in the registry's view
    login(client, organizer)
    assert client.post(due, {"due_on": "2030-01-01"}).status_code == 302
    assert Tracking.objects.get(key=world["a"].key).due_on == date(2030, 1, 1)


# Evidence ----------------------------------------------------------------------------------------


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_evidence_file_is_stored_outside_the_web_root_and_served_to_those_allowed(
    client, world, organizer, other_organizer
):
    fp_link = link_of(world["fp_kemnaker"], world["a"].key)
    response = client.post(fp_link, change(evidence_file=upload("../../etc/Permenaker 2022.pdf", PDF)))

    assert response.status_code == 302
    entry = FollowUp.objects.get()
    assert entry.evidence_name == "Permenaker 2022.pdf"
    stored = entry.evidence_file.path
    assert os.path.dirname(stored) == str(settings.POLICY_EVIDENCE_ROOT)
    assert "Permenaker" not in os.path.basename(stored)
    assert not stored.startswith(str(settings.MEDIA_ROOT))
    assert not stored.startswith(str(settings.STATIC_ROOT))

    by_link = client.get(
        reverse(
            "policy:focal_point_evidence",
            kwargs={
                "pk": world["fp_kemnaker"].pk,
                "token": link_of(world["fp_kemnaker"]).split("/")[-2],
                "evidence": entry.pk,
            },
        )
    )
    assert by_link.status_code == 200
    assert b"".join(by_link.streaming_content) == PDF
    assert by_link["Content-Type"] == "application/pdf"
    assert by_link["X-Content-Type-Options"] == "nosniff"
    assert by_link["Content-Disposition"].startswith("attachment;")

    url = reverse("policy:evidence", kwargs={"pk": entry.pk})
    assert login(client, organizer).get(url).status_code == 200
    assert login(client, other_organizer).get(url).status_code == 404
    assert login(client, account_for("sari@kemlu.test")).get(url).status_code == 404
    other_link = reverse(
        "policy:focal_point_evidence",
        kwargs={
            "pk": world["fp_kemlu"].pk,
            "token": link_of(world["fp_kemlu"]).split("/")[-2],
            "evidence": entry.pk,
        },
    )
    assert client.get(other_link).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", b"MZ\x90\x00 this is a program, not a PDF" * 10, "Jenis berkas ini tidak diterima"),
        ("catatan.pdf", b"hanya teks biasa\n" * 20, "Jenis berkas ini tidak diterima"),
        ("arsip.docx", b"PK\x03\x04 broken zip", "Jenis berkas ini tidak diterima"),
        ("kosong.pdf", b"", "Berkas yang dikirimkan kosong."),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(client, world, organizer, name, content, message):
    login(client, organizer)
    stored_before = set(os.listdir(settings.POLICY_EVIDENCE_ROOT))

    response = client.post(page(world["a"].key), change(evidence_file=upload(name, content)))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()
    assert set(os.listdir(settings.POLICY_EVIDENCE_ROOT)) == stored_before


def test_evidence_too_large_is_refused(client, world, organizer, settings):
    settings.POLICY_EVIDENCE_MAX_BYTES = 1000
    login(client, organizer)

    response = client.post(page(world["a"].key), change(evidence_file=upload("besar.pdf", PDF + b"0" * 2000)))

    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_office_files_are_checked_inside(client, world, organizer, monkeypatch):
    import core.uploads

    login(client, organizer)
    ok = client.post(page(world["a"].key), change(evidence_file=upload("sk.docx", docx_bytes())))
    assert ok.status_code == 302
    assert FollowUp.objects.get().evidence_type.endswith("wordprocessingml.document")

    # A zip bomb: members that unpack to more than the limit are refused before being read.
    monkeypatch.setattr(core.uploads, "MAX_UNPACKED_BYTES", 100_000)
    bomb = docx_bytes({"word/media/big.bin": b"\0" * 200_000})
    refused = client.post(
        page(world["a"].key), change(state="in_progress", evidence_file=upload("bom.docx", bomb))
    )
    assert refused.status_code == 400
    assert "terlalu banyak data" in refused.content.decode()
    assert FollowUp.objects.count() == 1


# Private links -----------------------------------------------------------------------------------


def test_private_link_lists_only_the_organizations_recommendations(client, world):
    html = client.get(link_of(world["fp_kemlu"])).content.decode()

    assert "Satu data awak kapal" in html
    assert "Perkuat pengawasan" not in html
    assert "Rahasia draf" not in html
    assert client.get(link_of(world["fp_kemlu"], world["a"].key)).status_code == 404


def test_wrong_revoked_and_removed_links_are_404(client, world, analyst, run_tasks, mailoutbox):
    fp = world["fp_kemnaker"]
    run_tasks()  # the first links' emails
    old = link_of(fp)
    assert client.get(old).status_code == 200
    assert client.get(old[:-3] + "xx/").status_code == 404

    mailoutbox.clear()
    focal_points.revoke_link(fp, user=analyst)
    fp.refresh_from_db()
    run_tasks()

    assert client.get(old).status_code == 404
    assert client.get(link_of(fp)).status_code == 200
    assert [m.to for m in mailoutbox] == [["budi@kemnaker.test"]]
    assert link_of(fp) in mailoutbox[0].body
    assert old not in mailoutbox[0].body

    focal_points.remove_focal_point(fp, user=analyst)
    fp.refresh_from_db()
    assert client.get(link_of(fp)).status_code == 404


def test_private_link_posts_are_rate_limited(client, world, settings):
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 2
    url = link_of(world["fp_kemnaker"], world["a"].key)
    statuses = [client.post(url, change(note="")).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


def test_focal_points_page_is_for_analysts(client, world, organizer, analyst):
    url = reverse("policy:focal_points")
    assert login(client, organizer).get(url).status_code == 403
    assert login(client, organizer).post(url, {}).status_code == 403
    response = login(client, analyst).post(
        url,
        {
            "organization": world["kemnaker"].pk,
            "name": "Budi Lagi",
            "email": "BUDI@kemnaker.test",
            "language": "id",
        },
    )
    assert response.status_code == 400
    assert "sudah menjadi narahubung" in response.content.decode()
    assert FocalPoint.objects.filter(organization=world["kemnaker"]).count() == 1


# Merges ------------------------------------------------------------------------------------------


def test_merged_recommendations_are_one_row_with_both_sources(client, world, analyst):
    login(client, analyst)
    merge_url = reverse("policy:merge")
    confirm = client.get(merge_url, {"key": [world["a"].key, world["same"].key]})
    assert confirm.status_code == 200

    response = client.post(merge_url, {"key": [world["a"].key, world["same"].key], "primary": world["a"].key})

    assert response.status_code == 302
    registry = client.get(reverse("policy:registry"))
    texts = [r.text for r in registry.context["recommendations"]]
    assert "Perkuat pengawasan P3MI" in texts
    assert "Pengawasan P3MI diperkuat bersama daerah" not in texts
    row = next(r for r in registry.context["recommendations"] if r.key == world["a"].key)
    assert [s.minutes.meeting.title for s in row.sources] == ["Rakor Pelindungan ABK"]

    # A change recorded on either one is the follow-up of both.
    client.post(page(world["same"].key), change())
    assert state_of(world["a"]) == State.ACCEPTED == state_of(world["same"])
    assert FollowUp.objects.get().tracking.key == world["a"].key


def test_merge_refuses_one_meeting_twice_and_non_analysts(client, world, analyst, organizer):
    login(client, organizer)
    assert client.get(reverse("policy:merge")).status_code == 403
    login(client, analyst)
    response = client.post(
        reverse("policy:merge"), {"key": [world["b"].key, world["same"].key], "primary": world["b"].key}
    )
    assert response.status_code == 400
    assert "rapat yang berbeda" in response.content.decode()
    assert not Tracking.objects.filter(merged_into__isnull=False).exists()


def test_an_organizer_sees_only_the_sources_they_may_see(client, world, analyst, organizer):
    services.merge(world["a"], [world["same"]], user=analyst)
    services.record_follow_up(
        world["same"],
        state="accepted",
        note="Catatan rapat lain",
        happened_on=TODAY,
        user=analyst,
        staff=True,
    )
    login(client, organizer)

    response = client.get(page(world["a"].key))
    html = response.content.decode()

    assert response.context["sources"] == []
    assert "Rakor Pelindungan ABK" not in html
    assert "Catatan rapat lain" in html  # the shared follow-up is the organizer's too


def test_unmerge_gives_back_its_own_follow_up(client, world, analyst):
    services.merge(world["a"], [world["same"]], user=analyst)
    login(client, analyst)

    response = client.post(reverse("policy:unmerge", kwargs={"key": world["same"].key}))

    assert response.status_code == 302
    assert Tracking.objects.get(key=world["same"].key).merged_into is None


# Registry filters --------------------------------------------------------------------------------


def test_registry_filters_by_follow_up_state_and_overdue(client, world, analyst):
    services.record_follow_up(
        world["a"], state="accepted", note="x", happened_on=TODAY, user=analyst, staff=True
    )
    services.set_due(world["a"], TODAY - timedelta(days=3), user=analyst)
    services.set_due(world["b"], TODAY + timedelta(days=3), user=analyst)
    login(client, analyst)

    def texts(**query):
        return sorted(
            r.text for r in client.get(reverse("policy:registry"), query).context["recommendations"]
        )

    assert texts(state="accepted") == ["Perkuat pengawasan P3MI"]
    assert texts(state="proposed") == ["Pengawasan P3MI diperkuat bersama daerah", "Satu data awak kapal"]
    assert texts(overdue="on") == ["Perkuat pengawasan P3MI"]
    assert texts(state="implemented") == []
    csv_text = client.get(reverse("policy:registry"), {"overdue": "on", "format": "csv"}).content.decode()
    assert "Diterima" in csv_text
    assert (TODAY - timedelta(days=3)).isoformat() in csv_text


# The weekly digest -------------------------------------------------------------------------------


def test_digest_recipients_and_content(world, analyst, organizer, other_organizer, run_tasks, mailoutbox):
    services.set_due(world["a"], TODAY - timedelta(days=1), user=analyst)  # overdue, Kemnaker, own meeting
    for state in ("accepted", "implemented"):
        services.record_follow_up(
            world["b"], state=state, note="x", happened_on=TODAY, user=analyst, staff=True
        )
    run_tasks()
    mailoutbox.clear()

    queued = digest.send_digest(TODAY)
    run_tasks()

    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert queued == 2
    # Kemnaker: the overdue one and the other open one; Kemlu has nothing open (implemented).
    assert set(by_recipient) == {"budi@kemnaker.test", organizer.email}
    budi = by_recipient["budi@kemnaker.test"].body
    assert "Perkuat pengawasan P3MI" in budi
    assert "Pengawasan P3MI diperkuat bersama daerah" in budi
    assert budi.index("Perkuat pengawasan P3MI") < budi.index("Pengawasan P3MI diperkuat")  # overdue first
    assert "Satu data awak kapal" not in budi
    assert "Rahasia draf" not in budi
    assert link_of(world["fp_kemnaker"]) in budi
    own = by_recipient[organizer.email].body
    assert "Perkuat pengawasan P3MI" in own
    assert "Pengawasan P3MI diperkuat" not in own

    # The same week again: nothing more.
    mailoutbox.clear()
    assert digest.send_digest(TODAY) == 0
    run_tasks()
    assert mailoutbox == []


def test_digest_plans_its_next_monday(db):
    from django_tasks_db.models import DBTaskResult

    assert digest.schedule_digest() is True
    assert digest.schedule_digest() is False
    waiting = DBTaskResult.objects.get(task_path="policy.tasks.send_follow_up_digest")
    local = timezone.localtime(waiting.run_after)
    assert local.weekday() == 0
    assert local.hour == digest.DIGEST_HOUR
    assert waiting.run_after > timezone.now()


def test_recommendation_keys_survive_a_correction(world, analyst):
    """Follow-up belongs to the key: the corrected minutes' copy has the same history."""
    services.record_follow_up(
        world["a"], state="accepted", note="x", happened_on=TODAY, user=analyst, staff=True
    )
    copy = Recommendation.objects.create(
        minutes=make_minutes(world["own"], version=2), text="Perkuat", key=world["a"].key
    )

    assert state_of(copy) == State.ACCEPTED
