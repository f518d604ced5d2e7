"""In the browser: an analyst filters the registry, selects three recommendations of two
meetings, drafts a policy-input document, edits its summary and downloads it; a focal point
marks one recommendation implemented with an evidence file through their private link."""

import io
import re
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from core.tokens import make_token
from minutes.models import Minutes, Theme
from policy.models import FollowUp, PolicyBrief, State, Tracking
from policy.services import focal_points, followup
from tests.factories import OrganizationFactory, UserFactory
from tests.policy.test_registry import make_meeting, make_minutes, make_rec

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(organizer):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    pengawasan = Theme.objects.create(name="Pengawasan", slug="pengawasan")
    other = Theme.objects.create(name="Anggaran", slug="anggaran")
    fgd = make_minutes(make_meeting(organizer, date(2021, 9, 20), "FGD Pengawasan P3MI"))
    rakor = make_minutes(make_meeting(organizer, date(2022, 3, 15), "Rakor Tindak Lanjut FGD"))
    recs = {
        "team": make_rec(fgd, "Bentuk Tim Pengawasan P3MI", themes=[pengawasan], addressed_to=[kemnaker]),
        "referral": make_rec(fgd, "Susun aturan rujukan kasus", themes=[pengawasan], addressed_to=[kemnaker]),
        "budget": make_rec(fgd, "Tambah anggaran UPT", themes=[other], addressed_to=[kemnaker]),
        "system": make_rec(
            rakor, "Bangun sistem informasi pengawasan", themes=[pengawasan], addressed_to=[kemnaker]
        ),
    }
    assert {r.minutes.state for r in recs.values()} == {Minutes.State.APPROVED}
    return {"kemnaker": kemnaker, "pengawasan": pengawasan, **recs}


def test_an_analyst_compiles_a_policy_input_document_from_two_meetings(page, world):
    analyst = UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)
    EmailAddress.objects.create(user=analyst, email=analyst.email, verified=True, primary=True)
    log_in(page, analyst.email, "secret-pass-123")

    page.goto("/recommendations/")
    page.select_option("select[name=theme]", str(world["pengawasan"].pk))
    page.get_by_role("button", name="Saring").click()
    cards = page.locator("#recommendations li.recommendation")
    expect(cards).to_have_count(3)
    expect(page.locator("#recommendations")).not_to_contain_text("Tambah anggaran UPT")
    for checkbox in page.locator("#recommendations input[name=key]").all():
        checkbox.check()
    page.get_by_role("button", name="Dokumen masukan kebijakan dari yang dipilih").click()

    expect(page.locator("#brief-recommendations tbody tr")).to_have_count(3)
    page.fill("input[name=title]", "Masukan Kebijakan Pengawasan P3MI")
    page.get_by_role("button", name="Susun dokumen").click()
    page.wait_for_url(re.compile(r"/policy-input/\d+/$"))
    brief = PolicyBrief.objects.get()
    assert sorted(brief.keys) == sorted(str(world[k].key) for k in ("team", "referral", "system"))

    page.fill("textarea[name=summary]", "Tiga rekomendasi dari dua rapat tentang pengawasan P3MI.")
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.locator("body")).to_contain_text("Versi 2 disimpan.")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh .docx (ID)").click()
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tiga rekomendasi dari dua rapat tentang pengawasan P3MI." in text
    assert "Masukan Kebijakan Pengawasan P3MI" in text
    appendix = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "FGD Pengawasan P3MI" in appendix
    assert "Rakor Tindak Lanjut FGD" in appendix
    assert "Tambah anggaran UPT" not in text + appendix


def test_a_focal_point_marks_a_recommendation_implemented_with_evidence(page, world, organizer, tmp_path):
    fp = focal_points.add_focal_point(
        organization=world["kemnaker"],
        name="Budi Santoso",
        email="budi@kemnaker.test",
        language="id",
        user=organizer,
    )
    followup.record_follow_up(
        world["team"],
        state="accepted",
        note="Diterima",
        happened_on=timezone.localdate(),
        user=organizer,
        staff=True,
    )
    evidence = tmp_path / "Keputusan Tim Pengawasan.pdf"
    evidence.write_bytes(PDF)
    token = make_token("focal_point", fp.pk, fp.token_version)

    page.goto(f"/follow-up/{fp.pk}/{token}/")
    expect(page.locator("#addressed tbody tr")).to_have_count(4)
    page.get_by_role("link", name="Bentuk Tim Pengawasan P3MI").click()
    page.select_option("select[name=state]", "implemented")
    page.fill("textarea[name=note]", "Keputusan bersama pembentukan tim telah ditetapkan.")
    page.set_input_files("input[name=evidence_file]", str(evidence))
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator(".alert-success")).to_contain_text("Tindak lanjut dicatat.")
    expect(page.locator("#follow-state")).to_contain_text("Terlaksana")
    expect(page.locator("#history")).to_contain_text("Budi Santoso, Kemnaker")
    link = page.locator("#history a.evidence-file")
    expect(link).to_have_text("Keputusan Tim Pengawasan.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes() == PDF
    entry = FollowUp.objects.get(state=State.IMPLEMENTED)
    assert (entry.by_focal_point, entry.evidence_type) == (fp, "application/pdf")
    assert Tracking.objects.get(key=world["team"].key).state == State.IMPLEMENTED
    # Closed for the focal point: the form is gone.
    expect(page.locator("#follow-up-form")).to_have_count(0)
