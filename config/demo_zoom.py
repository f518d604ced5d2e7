"""Demo data: the Zoom side of the meetings, so the Zoom pages have something to show without
Zoom credentials (the demo has none, and nothing here calls Zoom or leaves a task that would).

- The 2021 FGD's room is the Zoom meeting Sinergi made for it (ready, in step since September
  2021, personal join links on), and every confirmed online registrant is a Zoom registrant with
  a personal link. The room and the links are written as the sync would have left them.
- Both days' participants reports go through the real import (`zoom_attendance.store_report`):
  most rows matched by registrant id, one by email, one by name (the agency settling a tie), one
  person who joined twice, one stay under the minimum, "iPhone Siti" matched by hand after the
  first day (and found again in the second day's report), "Ruang Rapat Disnaker" left unmatched
  for the organizer. Every person the organizer ticked by hand is in Zoom's report, so the
  attendance counts stay what they were; their marks become Zoom's.
- Zoom's cloud transcript of the first day is downloaded and offered to the minutes, not imported.
- The upcoming hybrid socialization has a Zoom room too, in step with Zoom since the seed ran.

Addresses are under example.test (zoom.example.test for Zoom's links), never zoom.us. The ids and
tokens are derived from fixed strings, so every seed makes the same ones.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core import audit
from meetings.conferencing import zoom
from meetings.models import Meeting, OnlineRoom
from minutes.models import ZoomTranscript
from minutes.transcripts import parsing
from participants.models import Registration, ZoomAttendanceRow
from participants.services import zoom_attendance

JAKARTA = ZoneInfo("Asia/Jakarta")
ZOOM_HOST = "https://zoom.example.test"
FGD_ZOOM_ID = "84512345678"
FGD_PASSCODE = "P3MI2021"
# When the room and its registrants were last brought in step (the invitation letter's day).
FGD_SYNCED_AT = datetime(2021, 9, 13, 10, 15, tzinfo=JAKARTA)
SOCIALIZATION_TITLE = "Sosialisasi Tata Cara Pengaduan bagi Calon Pekerja Migran Indonesia"
SOCIALIZATION_ZOOM_ID = "87623450981"
SOCIALIZATION_PASSCODE = "CPMIaduan"


def _token(label: str, size: int = 16) -> str:
    """A random-looking, stable Zoom-style id (base64url, no padding)."""
    digest = hashlib.sha256(f"sinergi-demo:{label}".encode()).digest()[:size]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _user_id(label: str) -> str:
    return str(16778240 + int(hashlib.sha256(label.encode()).hexdigest()[:6], 16))


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _remote(meeting: Meeting) -> dict:
    """What the sync remembers of Zoom's meeting: per day its occurrence (Zoom's id is the start in
    milliseconds) and, for several days, the series the occurrences belong to."""
    slots = zoom.day_slots(meeting)
    if len(slots) == 1:
        day, start, minutes = slots[0]
        return {"days": {day.isoformat(): {"start": _z(start), "duration": minutes}}}
    days = {
        day.isoformat(): {"id": str(int(start.timestamp() * 1000)), "start": _z(start), "duration": minutes}
        for day, start, minutes in slots
    }
    first_day, first_start, first_minutes = slots[0]
    return {"days": days, "series": f"{first_day}|{slots[-1][0]}|{_z(first_start)}|{first_minutes}"}


def _make_zoom_room(meeting: Meeting, *, provider_id: str, passcode: str, settings: dict, synced_at, actor):
    """The room as a successful sync leaves it; the audit log as the service and the sync write it."""
    room, _created = OnlineRoom.objects.get_or_create(meeting=meeting)
    room.provider = OnlineRoom.Provider.ZOOM
    room.provider_id = provider_id
    room.join_url = f"{ZOOM_HOST}/j/{provider_id}"
    room.host_url = ""  # fetched from Zoom when a host asks
    room.passcode = passcode
    room.settings = {**zoom.DEFAULT_SETTINGS, **settings}
    room.remote = _remote(meeting)
    room.state = OnlineRoom.State.READY
    room.last_synced_at = synced_at
    room.last_error = room.attempt = ""
    room.leased_until = None
    room.full_clean()
    room.save()
    audit.record(meeting, "meeting.zoom_room_requested", actor, settings=room.settings)
    audit.record(meeting, "meeting.online_room_created", None, provider_id=provider_id)
    return room


# The FGD's room and registrants -------------------------------------------------------------


def _online(meeting: Meeting) -> list[Registration]:
    return list(
        Registration.objects.filter(
            meeting=meeting, mode=Registration.Mode.ONLINE, state=Registration.State.CONFIRMED
        ).order_by("id")
    )


def fgd_room(meeting: Meeting, *, actor) -> OnlineRoom:
    """The FGD's Zoom room and its registrants' personal links. Call once its participants are
    registered (a room with personal links would hold their emails for a registrant sync)."""
    with transaction.atomic():
        room = _make_zoom_room(
            meeting,
            provider_id=FGD_ZOOM_ID,
            passcode=FGD_PASSCODE,
            settings={
                "waiting_room": True,
                "mute_upon_entry": True,
                "auto_recording": "cloud",
                "registration": True,
            },
            synced_at=FGD_SYNCED_AT,
            actor=actor,
        )
        people = _online(meeting)
        for registration in people:
            registration.zoom_registrant_id = _token(f"registrant:{registration.email}")
            registration.personal_join_url = (
                f"{ZOOM_HOST}/w/{FGD_ZOOM_ID}?tk={_token(f'tk:{registration.email}', 32)}"
            )
        Registration.objects.bulk_update(people, ["zoom_registrant_id", "personal_join_url"])
        audit.record(meeting, "meeting.zoom_registrants_synced", None, added=len(people), cancelled=0)
    return room


# The FGD's participants reports ------------------------------------------------------------


def _row(name, joined, left, *, email="", registrant_id="", participant_id=None):
    """One row of Zoom's participants report (GET /report/meetings/{id}/participants)."""
    label = f"{name}|{email}|{registrant_id}"
    return {
        # Zoom's participant uuid; empty for a guest without a Zoom account (its user_id counts).
        "id": _token(f"participant:{label}") if participant_id is None else participant_id,
        "user_id": _user_id(f"{label}|{joined.isoformat()}"),
        "name": name,
        "user_email": email,
        "join_time": _z(joined),
        "leave_time": _z(left),
        "duration": int((left - joined).total_seconds()),
        "registrant_id": registrant_id,
        "status": "in_meeting",
    }


def _at(day, hhmm: str, seconds: int = 0) -> datetime:
    hours, minutes = map(int, hhmm.split("."))
    return datetime.combine(day.date, datetime.min.time(), tzinfo=JAKARTA) + timedelta(
        hours=hours, minutes=minutes, seconds=seconds
    )


def _ticked(day) -> list[Registration]:
    """The online people the organizer ticked on the online-attendance page that day."""
    return list(
        Registration.objects.filter(
            meeting_id=day.meeting_id,
            mode=Registration.Mode.ONLINE,
            state=Registration.State.CONFIRMED,
            attendances__day=day,
            attendances__how="online",
        ).order_by("id")
    )


def _org(registration: Registration) -> str:
    return registration.organization.acronym or registration.organization.name


def _report(day, people: list[Registration], special: dict) -> list[dict]:
    """A day's report: each ticked person from their personal link (registrant id and email),
    joining in the twenty minutes around the opening and leaving around the closing; the special
    cases as `special` names them (registration id → how)."""
    end = day.end_time.strftime("%H.%M")
    rows = []
    for index, person in enumerate(people):
        joined = _at(day, "08.52", seconds=index * 37 % 1200)
        left = _at(day, end, seconds=(index * 53 % 600) - 240)
        how = special.get(person.pk, "registrant")
        personal = {"email": person.email, "registrant_id": person.zoom_registrant_id}
        if how == "email":  # the shared link, signed in to Zoom with the registered address
            rows.append(_row(person.full_name, joined, left, email=person.email))
        elif how == "name":  # a guest in the browser, "Name - Agency" as asked
            rows.append(_row(f"{person.full_name} - {_org(person)}", joined, left, participant_id=""))
        elif how == "twice":  # the connection dropped once
            rows.append(_row(person.full_name, joined, _at(day, "10.41", 12), **personal))
            rows.append(_row(person.full_name, _at(day, "10.44", 3), left, **personal))
        elif how == "iphone":  # Zoom's app on a phone, not signed in
            rows.append(_row("iPhone Siti", joined, left, participant_id=""))
        else:
            rows.append(_row(person.full_name, joined, left, **personal))
    return rows


def _find(people: list[Registration], email_prefix: str) -> Registration:
    return next(person for person in people if person.email.startswith(email_prefix))


def fgd_attendance(meeting: Meeting, *, actor) -> None:
    """Both days' reports imported as the task after each day's end would (no actor), and the
    organizer's match by hand in between. Call while the meeting is held (before it is closed)."""
    day1, day2 = meeting.days.order_by("date")
    online = _online(meeting)
    by_email = _find(online, "kemlu.agus.")
    by_name = _find(online, "kkp.siti.")
    twice = _find(online, "bp3mikalimantanbarat.agus.")
    iphone = _find(online, "bp3mijawatengahsemar.siti.")
    short = _find(online, "kemenhub.siti.")  # not ticked on the second day

    first = _report(
        day1,
        _ticked(day1),
        {by_email.pk: "email", by_name.pk: "name", twice.pk: "twice", iphone.pk: "iphone"},
    )
    # A provincial labour office's meeting room, on its Zoom Room device: nobody to match it to.
    first.append(
        _row(
            "Ruang Rapat Disnaker",
            _at(day1, "09.12", 40),
            _at(day1, "14.48", 5),
            participant_id=_token("zoom-room"),
        )
    )
    zoom_attendance.store_report(meeting, first, instance=_token("instance:2021-09-20") + "==")

    [row] = ZoomAttendanceRow.objects.filter(meeting=meeting, name="iPhone Siti")
    zoom_attendance.match_by_hand(row, iphone, actor=actor)

    second = _report(day2, _ticked(day2), {iphone.pk: "iphone"})
    # Joined after the opening and dropped out for good: under the minimum, not counted.
    second.append(
        _row(
            short.full_name,
            _at(day2, "09.06", 21),
            _at(day2, "09.18", 50),
            email=short.email,
            registrant_id=short.zoom_registrant_id,
        )
    )
    zoom_attendance.store_report(meeting, second, instance=_token("instance:2021-09-21") + "==")


# The FGD's transcript --------------------------------------------------------------------------

# Zoom's cloud transcript of the first day's recording (started 09.00.40 WIB): the opening, the
# remarks and the first presentation. What the speakers say is invented for the demo, kept close
# to the seed article and to the minutes.
FGD_TRANSCRIPT = """WEBVTT

1
00:00:21.300 --> 00:00:29.800
Dewi Anggraini (DITPP Asaf): Selamat pagi Bapak Ibu, peserta luring di Ruang Rapat Lantai 2 dan peserta daring. Mohon gunakan nama lengkap dan instansi sebagai nama tampilan.

2
00:01:05.000 --> 00:01:18.400
Lismia Elita (DITPP Asaf): Terima kasih. Sepanjang tahun 2019 sampai semester I tahun 2021, Crisis Center BP2MI menerima 7.848 pengaduan, melalui pengaduan langsung, telepon, surat, media sosial, maupun email.

3
00:01:18.400 --> 00:01:31.900
Lismia Elita (DITPP Asaf): Sebagian kasus kami limpahkan ke Kementerian Ketenagakerjaan, Kementerian Luar Negeri dan Kementerian Perhubungan. Karena itu FGD ini menjadi sarana persamaan persepsi tentang pengawasan P3MI.

4
00:15:42.100 --> 00:15:55.600
Devriel Sogia - BP2MI: Pelindungan dan penempatan PMI tidak dapat dilakukan sendiri oleh BP2MI. Kita perlu sinergi dan koordinasi dengan seluruh pemangku kepentingan, di pusat maupun di daerah.

5
00:16:02.000 --> 00:16:14.300
Devriel Sogia - BP2MI: Saya minta hasil diskusi dua hari ini dirumuskan menjadi masukan untuk mekanisme pengawasan, termasuk usulan Tim Pengawasan lintas instansi.

6
00:45:10.500 --> 00:45:19.000
Dewi Anggraini (DITPP Asaf): Baik, selanjutnya paparan kebijakan penempatan dan pelindungan PMI. Kami persilakan Bapak Rendra Setiawan dari Kementerian Ketenagakerjaan.

7
00:45:40.200 --> 00:45:56.800
Rendra Setiawan (Kemnaker): Terima kasih, Ibu Dewi. Izin penempatan P3MI diterbitkan Kementerian Ketenagakerjaan; pengawasan atas pelaksanaannya menjadi tanggung jawab bersama pusat dan daerah.

8
00:46:01.000 --> 00:46:15.500
Rendra Setiawan (Kemnaker): Pengaduan dari UPT BP2MI yang menyangkut pelanggaran P3MI mohon dilengkapi data perusahaan dan bukti, supaya pengawas ketenagakerjaan dapat segera menindaklanjuti.
"""
FGD_TRANSCRIPT_STARTED = datetime(2021, 9, 20, 9, 0, 40, tzinfo=JAKARTA)
FGD_TRANSCRIPT_ENDED = datetime(2021, 9, 20, 15, 2, 10, tzinfo=JAKARTA)
FGD_TRANSCRIPT_FETCHED = datetime(2021, 9, 20, 17, 41, 5, tzinfo=JAKARTA)


def fgd_transcript(meeting: Meeting) -> ZoomTranscript:
    """The first day's transcript as the download leaves it: offered, not imported."""
    data = FGD_TRANSCRIPT.encode("utf-8")
    parsing.parse(data)  # what the download checks before keeping a file
    file_id = _token("transcript:2021-09-20")
    offered, created = ZoomTranscript.objects.get_or_create(
        zoom_file_id=file_id,
        defaults={
            "meeting": meeting,
            "zoom_meeting_uuid": _token("instance:2021-09-20") + "==",
            "recording_start": FGD_TRANSCRIPT_STARTED,
            "recording_end": FGD_TRANSCRIPT_ENDED,
            "download_url": f"{ZOOM_HOST}/rec/download/{file_id}",
            "text": parsing.decode(data),
            "size": len(data),
            "fetched_at": FGD_TRANSCRIPT_FETCHED,
        },
    )
    if created:
        audit.record(meeting, "minutes.zoom_transcript_fetched", None, file=file_id, size=len(data))
    return offered


def fgd_zoom_reports(meeting: Meeting, *, actor) -> None:
    """What Zoom gave after the FGD: both days' attendance and the first day's transcript."""
    with transaction.atomic():
        fgd_attendance(meeting, actor=actor)
        fgd_transcript(meeting)


# The upcoming socialization --------------------------------------------------------------------


def socialization_room(*, actor, title: str = SOCIALIZATION_TITLE) -> OnlineRoom | None:
    """The hybrid socialization's Zoom room, in step with Zoom since now (its registrants use the
    shared link). Idempotent: nothing happens when the meeting is missing or has a room already."""
    meeting = Meeting.objects.filter(title=title).first()
    if meeting is None or OnlineRoom.objects.filter(meeting=meeting).exists():
        return None
    with transaction.atomic():
        return _make_zoom_room(
            meeting,
            provider_id=SOCIALIZATION_ZOOM_ID,
            passcode=SOCIALIZATION_PASSCODE,
            settings={},
            synced_at=timezone.now(),
            actor=actor,
        )
