"""A meeting with an agenda, speakers and registrants, its draft minutes, and Zoom-style files."""

from datetime import date, time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Meeting
from minutes.services.preparation import prepare_minutes
from participants.models import Registration
from tests.factories import (
    AgendaItemFactory,
    AgendaRoleFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizationFactory,
    OrganizerFactory,
    PersonFactory,
    UserFactory,
)

# As Zoom writes a cloud recording's transcript: numbered cues, offsets from the recording's
# start, "Name - Agency: text". The recording starts at 09.00: the opening item runs 09.00–09.10,
# BP2MI's presentation 09.10–09.20, the discussion 09.20–09.30.
ZOOM_VTT = """WEBVTT

1
00:00:05.120 --> 00:00:09.480
Lismia Elita: Selamat pagi Bapak Ibu sekalian, kita mulai FGD hari ini.

2
00:00:09.480 --> 00:00:14.010
Lismia Elita: Terima kasih atas kehadirannya.

3
00:09:55.000 --> 00:10:04.300
Rendra S - Kemnaker: Baik, terima kasih. Saya akan memaparkan data penempatan.

4
00:10:04.300 --> 00:10:12.000
Rendra S - Kemnaker: Ada peningkatan pengaduan PMI nonprosedural sepanjang tahun ini.

5
00:12:30.500 --> 00:12:40.000
Siti N (BP2MI): Izin menambahkan, perlu tim pengawasan terpadu lintas kementerian.

6
00:14:02.000 --> 00:14:08.000
iPhone Galaxy: Suaranya putus-putus, Pak.

7
00:20:01.000 --> 00:20:09.000
Rendra S - Kemnaker: Untuk rujukan kasus, kami usulkan alur yang jelas.

8
00:20:09.000 --> 00:20:15.500
Rendra S - Kemnaker: Antara BP2MI, Kemnaker, Kemlu, dan Kemenhub.

9
00:31:00.000 --> 00:31:05.000
Lismia Elita: Demikian, terima kasih. Kita tutup.
"""

ZOOM_SRT = """1
00:00:05,120 --> 00:00:09,480
Lismia Elita: Selamat pagi.

2
00:10:04,300 --> 00:10:12,000
Rendra S - Kemnaker: Ada peningkatan pengaduan.
"""

PLAIN = """Lismia Elita: Selamat pagi.
Rendra S - Kemnaker: Data penempatan naik.
dan pengaduan juga naik.
Siti N (BP2MI): Perlu tim terpadu.
"""


def upload(content, name="GMT20310922-020000_Recording.transcript.vtt", encoding="utf-8"):
    data = content if isinstance(content, bytes) else content.encode(encoding)
    return SimpleUploadedFile(name, data, content_type="text/vtt")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Upload limits are counted in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organizer(db):
    return OrganizerFactory(email="lismia@example.test", full_name="Lismia Elita")


@pytest.fixture
def secretary(db):
    return UserFactory(email="notulis@example.test", full_name="Dewi Notulis")


@pytest.fixture
def meeting(organizer, secretary):
    meeting = MeetingFactory(
        title="FGD Pengawasan P3MI",
        organizers=[organizer],
        secretaries=[secretary],
        status=Meeting.Status.PUBLISHED,
        timezone="Asia/Jakarta",
    )
    day = MeetingDayFactory(meeting=meeting, date=date(2031, 9, 22), start_time=time(9), end_time=time(12))
    AgendaItemFactory(day=day, start_time=time(9), end_time=time(9, 10), title="Pembukaan", order=1)
    paparan = AgendaItemFactory(
        day=day, start_time=time(9, 10), end_time=time(9, 20), title="Paparan Kemnaker", order=2
    )
    AgendaItemFactory(day=day, start_time=time(9, 20), end_time=time(9, 30), title="Diskusi", order=3)
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    rendra = PersonFactory(full_name="Rendra Setiawan", position="Direktur", organization=kemnaker)
    AgendaRoleFactory(agenda_item=paparan, person=rendra, role="speaker")
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    Registration.objects.create(
        meeting=meeting,
        full_name="Siti Nurhaliza",
        position="Analis",
        organization=bp2mi,
        email="siti@example.test",
        mode=Registration.Mode.ONLINE,
        state=Registration.State.CONFIRMED,
    )
    meeting.refresh_from_db()
    meeting.day = day
    meeting.rendra = rendra
    return meeting


@pytest.fixture
def minutes(meeting, organizer):
    return prepare_minutes(meeting, author=organizer)
