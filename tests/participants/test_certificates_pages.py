"""The public verification page (name, meeting title, dates, valid or revoked: nothing more) and
the print sheet of name badges and table tents."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from participants.models import Registration
from participants.services import certificates
from tests.participants.certificate_fixtures import sign_up

pytestmark = pytest.mark.django_db
ISSUED_AT = datetime(2021, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def issued(held, people, organizer):
    certificates.save_settings(
        held, actor=organizer, min_online_minutes=60, signer_name="Dr. Rinardi", signer_position="Direktur"
    )
    return {
        c.registration.full_name: c
        for c in certificates.issue_all(held, actor=organizer, at=ISSUED_AT).created
    }


def verify_url(certificate) -> str:
    return reverse("participants:certificate_verify", kwargs={"code": certificate.verification_code})


def main_text(response) -> str:
    """The page's own content (inside <main>), tags removed, whitespace collapsed."""
    html = response.content.decode()
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    main = re.sub(r"<[^>]+>", " ", main)
    return " ".join(main.split())


def test_the_verification_page_says_valid_with_name_meeting_and_dates_only(client, issued, people):
    ani = issued["Ani Hadir"]
    # Data that could leak: Ani's email, position, organization, code, the number.
    registration = people["Ani"]
    assert registration.position
    assert registration.organization_id
    assert registration.email

    response = client.get(verify_url(ani))

    assert response.status_code == 200
    assert main_text(response) == (
        "Pemeriksaan sertifikat Sertifikat ini sah. "
        "Nama Ani Hadir Rapat FGD Pengawasan P3MI Tanggal 20–21 September 2021"
    )
    body = response.content.decode()
    for secret in (
        registration.email,
        registration.position,
        "Kemnaker",
        "Kementerian Ketenagakerjaan",
        registration.code,
        ani.number,
        registration.urls.token,
        "Dr. Rinardi",
    ):
        assert secret not in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "no-store" in response["Cache-Control"]


def test_a_revoked_certificate_says_revoked_without_the_reason(client, issued, organizer):
    budi = issued["Budi Daring"]
    certificates.revoke(budi, actor=organizer, reason="Nama salah ketik rahasia")

    response = client.get(verify_url(budi))

    assert response.status_code == 200
    assert main_text(response) == (
        "Pemeriksaan sertifikat Sertifikat ini telah dicabut: tidak berlaku lagi. "
        "Nama Budi Daring Rapat FGD Pengawasan P3MI Tanggal 20–21 September 2021"
    )
    assert "rahasia" not in response.content.decode()
    assert "Disnaker" not in response.content.decode()


def test_an_unknown_or_altered_code_is_404(client, issued):
    code = issued["Ani Hadir"].verification_code
    for wrong in (code[:-1] + ("A" if code[-1] != "A" else "B"), "x" * 41, str(issued["Ani Hadir"].pk)):
        response = client.get(reverse("participants:certificate_verify", kwargs={"code": wrong}))
        assert response.status_code == 404


def test_the_verification_page_is_rate_limited(client, issued, settings):
    cache.clear()
    url = verify_url(issued["Ani Hadir"])
    statuses = [client.get(url).status_code for _ in range(31)]

    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    cache.clear()


def test_the_verification_page_in_english(client, issued):
    client.cookies.load({"django_language": "en"})
    response = client.get(verify_url(issued["Ani Hadir"]))

    assert main_text(response) == (
        "Certificate check This certificate is valid. "
        "Name Ani Hadir Meeting FGD Pengawasan P3MI Date 20–21 September 2021"
    )


# Badges and table tents --------------------------------------------------------------------


def badges_url(meeting, kind=""):
    return reverse("participants:badges", kwargs={"code": meeting.code}) + (f"?kind={kind}" if kind else "")


def test_the_badge_sheet_has_8_per_page_with_name_position_organization_and_qr(client, held, organizer):
    for n in range(9):
        sign_up(
            held, f"Peserta{n:02d} Luring", position=f"Jabatan {n}", organization_name="Disnaker <b>X</b>"
        )
    sign_up(held, "Zaki Daring", mode="online")
    cancelled = sign_up(held, "Yuni Batal")
    Registration.objects.filter(pk=cancelled.pk).update(state=Registration.State.CANCELLED)
    client.force_login(organizer)

    response = client.get(badges_url(held))

    assert response.status_code == 200
    html = response.content.decode()
    pages = re.findall(r'<section class="sheet" data-page="(\d+)">(.*?)</section>', html, re.S)
    assert [(number, body.count('class="badge-card"')) for number, body in pages] == [("1", 8), ("2", 1)]
    first = re.search(r'<div class="badge-card" data-registration="(\w+)">(.*?)</div>', pages[0][1], re.S)
    code, card = first.groups()
    text = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    assert text == f"FGD Pengawasan P3MI Peserta00 Luring Jabatan 0 Disnaker &lt;b&gt;X&lt;/b&gt; {code}"
    assert card.count('src="data:image/png;base64,') == 1
    assert "Zaki Daring" not in html
    assert "Yuni Batal" not in html
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/badges[^"]*\.css">', html)
    assert "<style" not in html
    assert "style=" not in html
    assert "<script" not in html


def test_the_badge_qr_code_holds_the_registration_code(client, held, organizer):
    import base64
    import io

    import png

    person = sign_up(held, "Ani Luring")
    client.force_login(organizer)
    html = client.get(badges_url(held)).content.decode()
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    from participants import notifications

    assert base64.b64decode(data) == notifications.qr_png(person.code)
    width, height, _rows, _info = png.Reader(file=io.BytesIO(base64.b64decode(data))).read()
    assert width == height > 100


def test_table_tents_are_2_per_page_name_and_organization_twice(client, held, organizer):
    for n in range(3):
        sign_up(held, f"Peserta{n} Luring", organization_name="BP2MI")
    client.force_login(organizer)

    html = client.get(badges_url(held, "tent")).content.decode()

    pages = re.findall(r'<section class="sheet" data-page="(\d+)">(.*?)</section>', html, re.S)
    assert [(n, body.count('class="tent"')) for n, body in pages] == [("1", 2), ("2", 1)]
    assert pages[1][1].count("Peserta2 Luring") == 2
    assert "data:image/png" not in html


def test_the_badge_sheet_is_for_the_meeting_staff_only(client, held, other_organizer, secretary):
    sign_up(held, "Ani Luring")
    assert client.get(badges_url(held)).status_code == 302
    client.force_login(other_organizer)
    assert client.get(badges_url(held)).status_code == 404
    client.force_login(secretary)
    assert client.get(badges_url(held)).status_code == 200
