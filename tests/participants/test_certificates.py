"""Certificates of attendance: who is eligible, issuing (idempotent, numbers never reused),
revoking, and the meeting's settings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.models import AuditEntry
from participants.models import Certificate, CertificateSettings
from participants.services import certificates
from tests.participants.certificate_fixtures import zoom

pytestmark = pytest.mark.django_db
ISSUED_AT = datetime(2021, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def names(registrations):
    return [r.full_name for r in registrations]


def test_eligible_are_on_site_zoom_at_the_minimum_and_ticked_by_hand(held, people):
    # The default minimum is 60 minutes on one day.
    assert names(certificates.eligible(held)) == ["Ani Hadir", "Budi Daring", "Dedi Centang"]
    certificates.save_settings(held, actor=None, min_online_minutes=30, signer_name="", signer_position="")

    assert names(certificates.eligible(held)) == ["Ani Hadir", "Budi Daring", "Cici Sebentar", "Dedi Centang"]


def test_online_minutes_just_under_the_minimum_do_not_count_even_on_two_days(held, people):
    assert names(certificates.eligible(held, 60)) == ["Ani Hadir", "Budi Daring", "Dedi Centang"]
    assert names(certificates.eligible(held, 59)) == [
        "Ani Hadir",
        "Budi Daring",
        "Cici Sebentar",
        "Dedi Centang",
    ]
    assert names(certificates.eligible(held, 61)) == ["Ani Hadir", "Dedi Centang"]


def test_a_cancelled_registration_is_not_eligible_although_it_was_checked_in(held, people):
    assert people["Fajar"].state == "cancelled"
    assert people["Fajar"].attendances.count() == 1

    assert "Fajar Batal" not in names(certificates.eligible(held, 0))
    assert certificates.is_eligible(people["Fajar"]) is False
    assert certificates.is_eligible(people["Ani"]) is True


def test_a_confirmed_person_without_attendance_is_not_eligible(held, people):
    assert "Eko Absen" not in names(certificates.eligible(held, 0))


def test_issue_all_numbers_the_eligible_in_order_of_name(held, people, organizer):
    issued = certificates.issue_all(held, actor=organizer, at=ISSUED_AT)

    code = held.code.upper()
    assert [(c.sequence, c.number, c.registration.full_name) for c in issued.created] == [
        (1, f"1/SERT/{code}/2021", "Ani Hadir"),
        (2, f"2/SERT/{code}/2021", "Budi Daring"),
        (3, f"3/SERT/{code}/2021", "Dedi Centang"),
    ]
    assert issued.existing == 0
    codes = [c.verification_code for c in issued.created]
    assert len(set(codes)) == 3
    assert all(len(c) >= 22 for c in codes)
    entry = AuditEntry.objects.get(action="certificate.issued")
    assert entry.data["count"] == 3


def test_issue_all_again_adds_only_the_newly_eligible(held, people, days, organizer):
    certificates.issue_all(held, actor=organizer, at=ISSUED_AT)
    again = certificates.issue_all(held, actor=organizer, at=ISSUED_AT)
    assert again.created == []
    assert again.existing == 3

    zoom(people["Eko"], days[0], 90)  # Eko turns out to have been in the Zoom room
    later = certificates.issue_all(held, actor=organizer, at=ISSUED_AT)

    assert [(c.sequence, c.registration.full_name) for c in later.created] == [(4, "Eko Absen")]
    assert Certificate.objects.filter(meeting=held).count() == 4


def test_a_revoked_certificate_keeps_its_number_and_is_not_issued_again(held, people, days, organizer):
    first = certificates.issue_all(held, actor=organizer, at=ISSUED_AT).created
    budi = next(c for c in first if c.registration_id == people["Budi"].pk)

    certificates.revoke(budi, actor=organizer, reason="  Salah   orang ")
    zoom(people["Eko"], days[0], 90)
    later = certificates.issue_all(held, actor=organizer, at=ISSUED_AT).created

    budi.refresh_from_db()
    assert budi.is_revoked
    assert budi.revoked_reason == "Salah orang"
    assert budi.number == f"2/SERT/{held.code.upper()}/2021"
    # Budi gets no new certificate; Eko gets the next number, not Budi's.
    assert [(c.sequence, c.registration.full_name) for c in later] == [(4, "Eko Absen")]
    assert certificates.for_registration(people["Budi"]) is None
    assert AuditEntry.objects.filter(action="certificate.revoked").count() == 1


def test_revoking_needs_a_reason_and_twice_changes_nothing(held, people, organizer):
    [ani, *_rest] = certificates.issue_all(held, actor=organizer, at=ISSUED_AT).created

    with pytest.raises(certificates.CertificateError):
        certificates.revoke(ani, actor=organizer, reason="   ")
    ani.refresh_from_db()
    assert ani.revoked_at is None

    certificates.revoke(ani, actor=organizer, reason="Keliru")
    when = Certificate.objects.get(pk=ani.pk).revoked_at
    certificates.revoke(ani, actor=organizer, reason="Lagi")
    ani.refresh_from_db()
    assert (ani.revoked_at, ani.revoked_reason) == (when, "Keliru")
    assert AuditEntry.objects.filter(action="certificate.revoked").count() == 1


def test_the_year_of_the_number_is_the_year_of_issue_in_the_meeting_zone(held, people, organizer):
    # 31 December 2021, 23.30 in Jakarta is already 2022 nowhere but is 2021 here.
    at = datetime(2021, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    [first, *_rest] = certificates.issue_all(held, actor=organizer, at=at).created
    assert first.number.endswith("/2021")
    assert certificates.number_for(held, 9, datetime(2021, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))).endswith(
        "/2022"
    )


def test_dates_text_of_two_days_in_a_row(held):
    assert certificates.dates_text(held) == "20–21 September 2021"


def test_settings_are_saved_once_per_meeting(held, organizer):
    assert certificates.settings_for(held).pk is None
    certificates.save_settings(
        held, actor=organizer, min_online_minutes=45, signer_name=" Dr. A ", signer_position="Direktur"
    )
    certificates.save_settings(
        held, actor=organizer, min_online_minutes=30, signer_name="B", signer_position=""
    )

    found = certificates.settings_for(held)
    assert (found.min_online_minutes, found.signer_name, found.signer_position) == (30, "B", "")
    assert list(CertificateSettings.objects.filter(meeting=held)) == [found]
