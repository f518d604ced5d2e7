"""The audit log reads as sentences in the reader's language, with the details that changed."""

import re
from datetime import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from core import audit
from core.models import AuditEntry
from meetings import services as meeting_services
from meetings.models import AgendaItem
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def told(entry, language: str) -> str:
    with translation.override(language):
        return str(audit.describe(entry))


def latest(meeting) -> AuditEntry:
    return audit.entries_for(meeting).first()


def test_publishing_in_both_languages(meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)

    entry = AuditEntry.objects.get(action="meeting.publish")
    assert told(entry, "en") == "Lismia Elita published the meeting"
    assert told(entry, "id") == "Lismia Elita menerbitkan rapat"


def test_a_venue_change_names_the_old_and_new_venue(meeting, organizer):
    meeting_services.update_meeting(
        meeting, actor=organizer, venue_name="Hotel Borobudur", capacity_onsite=60
    )

    entry = latest(meeting)
    assert told(entry, "en") == (
        "Lismia Elita changed the venue from “Gedung BP2MI” to “Hotel Borobudur”; "
        "the on-site capacity from “50” to “60”"
    )
    assert told(entry, "id") == (
        "Lismia Elita mengubah tempat dari “Gedung BP2MI” menjadi “Hotel Borobudur”; "
        "kapasitas luring dari “50” menjadi “60”"
    )


def test_assigning_a_speaker_names_the_person_and_the_item(meeting, organizer):
    item = AgendaItem.objects.get(title="Paparan Narasumber")
    person = PersonFactory(full_name="Dr. Anisa Rahma")

    meeting_services.assign_agenda_role(item, actor=organizer, person=person, role="speaker")

    entry = latest(meeting)
    assert told(entry, "en") == "Lismia Elita assigned Dr. Anisa Rahma as speaker of “Paparan Narasumber”"
    assert (
        told(entry, "id")
        == "Lismia Elita menetapkan Dr. Anisa Rahma sebagai narasumber pada “Paparan Narasumber”"
    )


def test_an_agenda_item_change_says_what_changed(meeting, organizer):
    item = AgendaItem.objects.get(title="Pembukaan")

    meeting_services.update_agenda_item(
        item, actor=organizer, title="Pembukaan dan Sambutan", start_time=time(9), end_time=time(9, 30)
    )

    entry = latest(meeting)
    assert told(entry, "en") == (
        "Lismia Elita changed the agenda item “Pembukaan dan Sambutan”: "
        "the title from “Pembukaan” to “Pembukaan dan Sambutan”; the end time from “10:00” to “09:30”"
    )
    assert told(entry, "id") == (
        "Lismia Elita mengubah butir agenda “Pembukaan dan Sambutan”: "
        "judul dari “Pembukaan” menjadi “Pembukaan dan Sambutan”; waktu selesai dari “10.00” menjadi “09.30”"
    )


def test_an_entry_without_a_person_is_told_as_the_system(meeting):
    entry = audit.record(meeting, "meeting.reminder_sent", None, reminder=1, offset="1d@09:00", recipients=12)

    assert told(entry, "en") == "Sinergi sent the reminder “1 day before, at 09:00” to 12 people"
    assert told(entry, "id") == "Sinergi mengirim pengingat “1 hari sebelumnya, pukul 09.00” kepada 12 orang"


def test_hostile_values_are_escaped(meeting):
    villain = UserFactory(email="villain@example.test", full_name='<img src=x onerror="alert(1)">')
    meeting.organizers.add(villain)

    meeting_services.update_meeting(meeting, actor=villain, venue_name="<script>alert(2)</script>")

    assert told(latest(meeting), "en") == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; changed the venue from “Gedung BP2MI” "
        "to “&lt;script&gt;alert(2)&lt;/script&gt;”"
    )


def test_an_unknown_action_gets_a_readable_generic_sentence(meeting, organizer):
    entry = audit.record(meeting, "meeting.moved_to_the_cloud", organizer, where="<b>langit</b>")

    assert (
        told(entry, "en")
        == "Lismia Elita made a change to “FGD Pengawasan P3MI” (meeting: moved to the cloud)"
    )
    assert told(entry, "id") == (
        "Lismia Elita membuat perubahan pada “FGD Pengawasan P3MI” (meeting: moved to the cloud)"
    )


def test_an_entry_whose_details_do_not_fit_falls_back_to_the_generic_sentence(meeting, organizer):
    entry = audit.record(meeting, "meeting.updated", organizer, changes="not a mapping")

    assert told(entry, "en") == "Lismia Elita made a change to “FGD Pengawasan P3MI” (meeting: updated)"


def actions_in_the_code() -> set[str]:
    """Every action the services write: string literals like "meeting.created", and the
    meeting lifecycle's f"meeting.{verb}"."""
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", "benchmarks", ".venv", "var"} or "migrations" in parts:
            continue
        text = path.read_text()
        if "audit.record(" not in text and 'action="' not in text:
            continue
        found |= set(
            re.findall(
                r'"((?:meeting|agenda|registration|invitation|attendance|organization|person|account|policy)\.[a-z_]+)"',
                text,
            )
        )
    found |= {f"meeting.{verb}" for verb in meeting_services.TRANSITIONS}
    return found


def test_every_action_in_the_code_has_its_own_sentence():
    actions = actions_in_the_code()

    assert len(actions) > 40
    assert sorted(actions - audit.described_actions()) == []


def test_the_meeting_page_shows_sentences_not_codes(client, meeting, organizer):
    meeting_services.publish(meeting, actor=organizer)
    client.force_login(organizer)

    body = client.get(reverse("meetings:detail", kwargs={"code": meeting.code})).content.decode()

    assert "Lismia Elita menerbitkan rapat" in body
    assert "meeting.publish" not in body


# The details each action is written with (as the services write them), to tell every sentence once.
SAMPLES = {
    "account.profile_updated": {"changes": {"position": ["", "Analis"]}},
    "account.calendar_link_reset": {"version": 2},
    "api.token_created": {"name": "Sistem informasi kebijakan", "prefix": "sng_AbCdEf"},
    "api.token_revoked": {"name": "Sistem informasi kebijakan", "prefix": "sng_AbCdEf"},
    "meeting.created": {"title": "FGD"},
    "meeting.copied": {"source": "abcdefgh", "title": "FGD"},
    "meeting.series_created": {"title": "Sosialisasi", "units": 3},
    "meeting.updated": {"changes": {"moderation": ["False", "True"]}},
    "meeting.publish": {"old_status": "draft", "new_status": "published"},
    "meeting.unpublish": {"old_status": "published", "new_status": "draft"},
    "meeting.mark_held": {"old_status": "published", "new_status": "held"},
    "meeting.reopen": {"old_status": "held", "new_status": "published"},
    "meeting.close": {"old_status": "held", "new_status": "closed"},
    "meeting.cancel": {"old_status": "published", "new_status": "cancelled", "reason": "Banjir"},
    "meeting.staff_changed": {"organizers": ["a@example.test"], "secretaries": []},
    "meeting.day_added": {"date": "2031-09-24"},
    "meeting.day_changed": {
        "old": ["2031-09-24", "09:00:00", "12:00:00"],
        "new": ["2031-09-25", "09:00:00", "12:00:00"],
    },
    "meeting.day_removed": {"date": "2031-09-24"},
    "agenda.item_added": {"title": "Diskusi", "day": "2031-09-22"},
    "agenda.item_changed": {"title": "Diskusi", "changes": {"description": ["", "Baru"]}},
    "agenda.item_deleted": {"title": "Diskusi"},
    "agenda.item_moved": {"title": "Diskusi", "direction": -1},
    "meeting.online_room_set": {"join_url": "https://zoom.example/j/1?pwd=rahasia"},
    "meeting.online_room_opened": {},
    "meeting.online_room_made_private": {},
    "meeting.zoom_room_requested": {"settings": {"waiting_room": True}},
    "meeting.online_room_created": {"provider_id": "81234567890"},
    "meeting.online_room_deleted": {"provider_id": "81234567890"},
    "meeting.online_room_failed": {"error": "Zoom 400 (code 300): Invalid password."},
    "meeting.online_room_retried": {},
    "meeting.host_link_fetched": {},
    "meeting.zoom_registrants_synced": {"added": 30, "cancelled": 1},
    "registration.created": {"state": "confirmed", "mode": "onsite", "source": "public"},
    "registration.reactivated": {"state": "waitlisted", "mode": "online", "source": "public"},
    "registration.duplicate_attempt": {"notified": False},
    "registration.promoted": {"mode": "onsite"},
    "registration.cancelled": {"old_state": "confirmed", "new_state": "cancelled"},
    "registration.declined": {"old_state": "pending", "new_state": "declined"},
    "registration.approved": {"old_state": "pending", "new_state": "confirmed"},
    "registration.waitlisted": {"old_state": "confirmed", "new_state": "waitlisted"},
    "registration.mode_changed": {"old_mode": "onsite", "new_mode": "online"},
    "registration.public_listing": {"listed": True},
    "registration.details_corrected": {"changes": {"position": ["Analis", "Analis Ahli Muda"]}},
    "registration.link_revoked": {},
    "registration.attached_to_invitation": {"invitation": 1},
    "registration.detached_from_invitation": {"invitation": 1},
    "registration.organization_linked": {"typed": "kemlu", "organization": 1, "organization_name": "Kemlu"},
    "invitation.created": {"organization": "Kemlu", "quota": 3, "focal_point": "fp@example.test"},
    "invitation.copied": {"organization": "Kemlu", "quota": 3, "source": "abcdefgh"},
    "invitation.reopened": {"organization": "Kemlu", "quota": 1, "focal_point": "fp@example.test"},
    "invitation.quota_changed": {"old_quota": 2, "new_quota": 5},
    "invitation.revoked": {"old_state": "invited", "delegates_kept": 2},
    "invitation.reminded": {"reminder_count": 1},
    "invitation.nominated": {"registration": "ABC123"},
    "invitation.nomination_asked": {"nomination": 4},
    "invitation.deadline_changed": {"old_deadline": None, "new_deadline": "2031-09-15T16:00:00+07:00"},
    "invitation.deadline_reminded": {"reminder_count": 1},
    "invitation.nomination_accepted": {"registration": "ABC123", "nomination": 4},
    "invitation.responded": {},
    "invitation.delegate_replaced": {"old_registration": "ABC123"},
    "invitation.delegate_withdrawn": {"registration": "ABC123"},
    "attendance.checked_in": {"day": "2031-09-22", "mode": "onsite"},
    "attendance.check_in_undone": {"day": "2031-09-22"},
    "attendance.online_recorded": {"day": "2031-09-22", "source": "manual"},
    "attendance.online_removed": {"day": "2031-09-22"},
    "attendance.zoom_matched_by_hand": {"zoom_name": "Budi - BP2MI", "rows": 3},
    "meeting.zoom_report_imported": {"rows": 70, "new": 70, "unmatched": 4, "present": 20, "days": []},
    "meeting.zoom_report_failed": {"error": "Zoom 404 (code 3001)", "attempt": 1, "retrying": True},
    "organization.created": {},
    "organization.updated": {},
    "organization.imported": {},
    "person.created": {},
    "person.updated": {},
    "meeting.host_added": {"organization": "BP2MI", "role": "co_host"},
    "meeting.host_removed": {"organization": "BP2MI"},
    "agenda.role_assigned": {"item": "Panel 1", "person": "Dr. A", "role": "moderator"},
    "agenda.role_removed": {"item": "Panel 1", "person": "Dr. A", "role": "speaker"},
    "meeting.announcement_sent": {"announcement": 1, "subject": "Bahan", "audience": {}, "recipients": 1},
    "meeting.reminder_sent": {"reminder": 1, "offset": "1h", "recipients": 3},
    "meeting.reminders_planned": {"schedule_version": 1, "due": ["2031-09-21T02:00:00+00:00"]},
    "meeting.reminders_superseded": {"count": 2},
    "meeting.reminders_skipped": {"count": 2, "reason": "cancelled"},
    "meeting.personal_data_purged": {"registrations": 40, "invitations": 3, "emails": 120},
    "minutes.prepared": {"version": 1},
    "minutes.submitted": {"version": 1},
    "minutes.returned": {"version": 1, "reason": "Lengkapi kesimpulan"},
    "minutes.approved": {"version": 1, "supersedes": None},
    "minutes.correction_opened": {"version": 2, "reason": "Salah ketik nama"},
    "minutes.published": {"version": 1, "audience": "participants"},
    "minutes.unpublished": {"version": 1},
    "minutes.transcript_imported": {"filename": "rekaman.vtt", "cues": 120, "drafts": 30, "skipped": 0},
    "minutes.draft_edited": {"draft": 1, "speaker": "Rendra S - Kemnaker"},
    "minutes.draft_accepted": {"point": 1, "section": "Paparan", "speaker": "Rendra Setiawan"},
    "minutes.drafts_merged": {"point": 1, "count": 2, "section": "Paparan"},
    "minutes.draft_discarded": {"draft": 1, "speaker": "Peserta"},
    "minutes.letter_drafted": {"number": "1/UND/DITPP/IX/2031", "addressees": "Kemlu"},
    "minutes.letter_changed": {"number": "1/UND/DITPP/IX/2031", "fields": ["hal"]},
    "minutes.letter_sent": {"number": "1/UND/DITPP/IX/2031", "emails": 1},
    "minutes.letter_deleted": {"number": "1/UND/DITPP/IX/2031"},
    "minutes.letter_numbering_changed": {"organization": "DITPP", "pattern": "{seq}/UND/{unit}/{year}"},
    "meeting.online_room_changed_in_zoom": {"operator": "host@example.test", "fields": ["topic"]},
    "meeting.online_room_deleted_in_zoom": {"operator": "host@example.test"},
    "policy.follow_up": {
        "state": "accepted",
        "previous": "proposed",
        "by": "Budi, Kemnaker",
        "evidence": True,
    },
    "policy.due_set": {"due": "2022-03-31", "previous": ""},
    "policy.merged": {"keys": ["0f2c"]},
    "policy.unmerged": {"key": "0f2c"},
    "policy.focal_point_added": {"organization": "Kemnaker"},
    "policy.focal_point_link_sent": {},
    "policy.focal_point_link_revoked": {},
    "policy.focal_point_removed": {},
    "policy.brief_created": {"title": "Masukan Kebijakan P3MI", "recommendations": 3},
    "policy.brief_saved": {"version": 2},
    "materials.added": {"title": "Paparan Dirjen", "kind": "file", "item": "Pembukaan"},
    "materials.changed": {"title": "Paparan Dirjen", "fields": ["visibility"], "visibility": "public"},
    "materials.deleted": {"title": "Paparan Dirjen", "kind": "link", "item": ""},
    "materials.upload_link_created": {"item": "Paparan Narasumber", "emailed": True},
    "materials.upload_link_revoked": {"item": "Paparan Narasumber"},
    "materials.photos_added": {"count": 3, "day": "2021-09-20", "names": ["a.jpg"]},
    "materials.photo_changed": {"name": "a.jpg", "caption": "Pembukaan", "fields": ["caption"]},
    "materials.photo_deleted": {"name": "a.jpg", "caption": "Pembukaan"},
    "minutes.report_section_saved": {"section": "penutup", "reset": False},
    "minutes.news_saved": {"fields": "headline, lead"},
    "minutes.news_redrafted": {},
}


@pytest.mark.parametrize(
    ("action", "data", "expected"),
    [
        (
            "registration.cancelled",
            {"old_state": "confirmed", "new_state": "cancelled"},
            "Budi (R1) cancelled their registration",
        ),
        (
            "registration.created",
            {"state": "waitlisted", "mode": "online", "source": "public"},
            "Budi (R1) registered (Online, waiting list)",
        ),
        (
            "invitation.nominated",
            {"registration": "R1"},
            "The focal point nominated the delegate R1 for Budi (R1)",
        ),
    ],
)
def test_an_entry_nobody_signed_in_for_is_told_as_the_person_s_own(action, data, expected):
    entry = AuditEntry(actor=None, action=action, object_repr="Budi (R1)", data=data)

    assert told(entry, "en") == expected


def test_the_samples_cover_every_described_action():
    assert sorted(audit.described_actions() - set(SAMPLES)) == []


@pytest.mark.parametrize("action", sorted(SAMPLES))
def test_every_sentence_tells_its_action_in_both_languages(action, organizer):
    entry = AuditEntry(actor=organizer, action=action, object_repr="Subjek", data=SAMPLES[action])
    generic = {
        "en": f"Lismia Elita made a change to “Subjek” ({action.replace('.', ': ').replace('_', ' ')})",
        "id": f"Lismia Elita membuat perubahan pada “Subjek” ({action.replace('.', ': ').replace('_', ' ')})",
    }

    sentences = {language: told(entry, language) for language in ("en", "id")}

    assert sentences["en"] != generic["en"]
    assert sentences["id"] != generic["id"]
    assert sentences["en"] != sentences["id"]


def test_a_check_in_outside_its_day_says_so(organizer):
    entry = AuditEntry(
        actor=organizer,
        action="attendance.checked_in",
        object_repr="Budi (R1)",
        data={"day": "2031-09-22", "mode": "onsite", "outside_day": True},
    )
    assert told(entry, "en") == (
        "Lismia Elita checked in Budi (R1) on Monday, 22 September 2031 (On-site), outside that day"
    )
