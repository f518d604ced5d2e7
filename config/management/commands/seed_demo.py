"""Demo data: the 2021 FGD on P3MI supervision, its agencies and people, three upcoming meetings.

Idempotent: every object is looked up by its natural key (user email, organization name, person
email, meeting title) and created only when missing, so a second run changes nothing. Meetings are
built through the meeting and participant services, so the audit log reads as if an organizer had
planned them by hand.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

import config.demo_minutes as demo_minutes
import config.demo_reports as demo_reports
import config.demo_transcripts as demo_transcripts
from accounts.models import User
from config import (
    demo_api,
    demo_certificates,
    demo_letters,
    demo_materials,
    demo_participants,
    demo_photos,
    demo_policy,
    demo_series,
    demo_zoom,
)
from core.models import OutgoingEmail
from directory import services as directory_services
from directory.models import Organization, Person
from meetings import services as meeting_services
from meetings.models import AgendaRole, Meeting, MeetingHost

PASSWORD = "sinergi-demo-2021"

USERS = [
    {"email": "admin@sinergi.test", "full_name": "Administrator Sinergi", "superuser": True},
    {"email": "penyelenggara@sinergi.test", "full_name": "Penyelenggara Demo", "can_organize": True},
    {"email": "notulis@sinergi.test", "full_name": "Notulis Demo"},
    {"email": "analis@sinergi.test", "full_name": "Analis Kebijakan Demo", "policy_analyst": True},
    # Kemnaker's focal point for the follow-up of recommendations (config/demo_policy.py).
    {"email": "narahubung@sinergi.test", "full_name": "Narahubung Kemnaker Demo"},
]

BP2MI = "Badan Pelindungan Pekerja Migran Indonesia"
DITPP = "Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika"
KEMNAKER = "Kementerian Ketenagakerjaan"

Kind = Organization.Kind
# (name, acronym, kind, parent name); parents come before their units.
ORGANIZATIONS = [
    (BP2MI, "BP2MI", Kind.AGENCY, None),
    (DITPP, "DITPP Kawasan Asaf", Kind.AGENCY, BP2MI),
    (KEMNAKER, "Kemnaker", Kind.MINISTRY, None),
    ("Kementerian Luar Negeri", "Kemlu", Kind.MINISTRY, None),
    ("Kementerian Kelautan dan Perikanan", "KKP", Kind.MINISTRY, None),
    ("Kementerian Perhubungan", "Kemenhub", Kind.MINISTRY, None),
    ("Kementerian Pelindungan Pekerja Migran Indonesia", "KemenP2MI", Kind.MINISTRY, None),
]

# Invited to the 2021 FGD besides the 23 regional units (domain.md).
FGD_INVITED_MINISTRIES = [
    "Kementerian Luar Negeri",
    "Kementerian Kelautan dan Perikanan",
    "Kementerian Perhubungan",
]

WIB, WIB_KALBAR, WITA = "Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar"
# BP2MI's 23 regional units (BP3MI), "BP3MI <province> (<city>)" where domain.md names the city.
# The list is plausible demo data (domain.md); each unit's zone follows its province.
REGIONAL_UNITS = [
    ("Aceh", None, WIB),
    ("Sumatera Utara", "Medan", WIB),
    ("Sumatera Barat", "Padang", WIB),
    ("Riau", "Pekanbaru", WIB),
    ("Kepulauan Riau", "Batam", WIB),
    ("Jambi", None, WIB),
    ("Sumatera Selatan", "Palembang", WIB),
    ("Lampung", None, WIB),
    ("Banten", "Serang", WIB),
    ("DKI Jakarta", None, WIB),
    ("Jawa Barat", "Bandung", WIB),
    ("Jawa Tengah", "Semarang", WIB),
    ("DI Yogyakarta", None, WIB),
    ("Jawa Timur", "Surabaya", WIB),
    ("Bali", "Denpasar", WITA),
    ("NTB", "Mataram", WITA),
    ("NTT", "Kupang", WITA),
    ("Kalimantan Barat", "Pontianak", WIB_KALBAR),
    ("Kalimantan Utara", "Nunukan", WITA),
    ("Kalimantan Selatan", "Banjarbaru", WITA),
    ("Sulawesi Selatan", "Makassar", WITA),
    ("Sulawesi Utara", "Manado", WITA),
    ("Sulawesi Tengah", "Palu", WITA),
]


def regional_unit_name(province: str, city: str | None) -> str:
    return f"BP3MI {province} ({city})" if city else f"BP3MI {province}"


# People of the 2021 FGD (seed-fgd-2021.txt); addresses under example.test, never real ones.
LISMIA = "lismia.elita@example.test"
DEVRIEL = "devriel.sogia@example.test"
RENDRA = "rendra.setiawan@example.test"
WATRATAN = "fx.watratan@example.test"
MODERATOR = "dewi.anggraini@example.test"
ARIF = "arif.hidayat@example.test"
PEOPLE = [
    (LISMIA, "Lismia Elita", "Direktur PP Kawasan Asia dan Afrika", DITPP),
    (DEVRIEL, "Devriel Sogia", "Plh. Deputi Penempatan dan Pelindungan Kawasan Asia dan Afrika", BP2MI),
    (RENDRA, "Rendra Setiawan", "Direktur Bina Penempatan dan Pelindungan PMI", KEMNAKER),
    (
        WATRATAN,
        "F.X. Watratan",
        "Koordinator Pengawasan Norma Pelatihan, Penempatan Tenaga Kerja, Hubungan Kerja dan "
        "Kebebasan Berserikat",
        KEMNAKER,
    ),
    # The source names no moderator; this one is invented for the demo.
    (MODERATOR, "Dewi Anggraini", "Analis Kebijakan Ahli Madya, DITPP Kawasan Asaf", DITPP),
    # In none of the demo organizer's meetings: the directory shows the organizer his name,
    # position and agency, and his email and phone to the site administrator only.
    (ARIF, "Arif Hidayat", "Kepala Subdirektorat Kerja Sama Ketenagakerjaan", "Kementerian Luar Negeri"),
]

FGD_TITLE = "Focus Group Discussion Pengawasan P3MI"
FGD_THEME = (
    "Peningkatan Sinergi dan Koordinasi Multi Stakeholder Melalui Pengawasan Perusahaan "
    "Penempatan Pekerja Migran Indonesia (P3MI)"
)
FGD_DESCRIPTION = (
    "BP2MI melalui Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika (DITPP "
    "Kawasan Asaf) bersama Kementerian Ketenagakerjaan menyelenggarakan Focus Group Discussion "
    "tentang pengawasan Perusahaan Penempatan Pekerja Migran Indonesia (P3MI). Kegiatan "
    "berlangsung secara luring di Jakarta dan daring melalui Zoom, diikuti perwakilan Kementerian "
    "Luar Negeri, Kementerian Kelautan dan Perikanan, Kementerian Perhubungan, serta 23 UPT BP2MI "
    "di daerah."
)
FGD_BACKGROUND = (
    "Sepanjang tahun 2019 sampai semester I tahun 2021, Crisis Center BP2MI menerima 7.848 "
    "pengaduan, baik melalui pengaduan langsung, telepon, surat, media sosial, maupun email. "
    "Sebagian besar kasus diselesaikan dengan klarifikasi dan mediasi; sebagian lainnya "
    "dilimpahkan ke instansi lain seperti Kementerian Ketenagakerjaan, Kementerian Luar Negeri, "
    "dan Kementerian Perhubungan.\n\n"
    "Kegiatan ini menjadi sarana informasi dan persamaan persepsi tentang pengawasan P3MI bagi "
    "petugas yang sehari-hari menangani pelayanan pengaduan dan penanganan kasus CPMI dan PMI, "
    "di pusat maupun di daerah. Hasilnya dibahas lebih lanjut dan menjadi masukan dalam penyusunan "
    "peraturan, keputusan, ataupun alur proses mekanisme terkait pengawasan, termasuk pembentukan "
    "Tim Pengawasan yang melibatkan berbagai unsur."
)

SPEAKER, MODERATOR_ROLE = AgendaRole.Role.SPEAKER, AgendaRole.Role.MODERATOR
ORGANIZER, CO_HOST = MeetingHost.Role.ORGANIZER, MeetingHost.Role.CO_HOST


def _t(hhmm: str) -> time:
    hours, minutes = hhmm.split(".")
    return time(int(hours), int(minutes))


# Each agenda item: (start, end, title, description, [(person email, role), ...]).
FGD_DAYS = [
    (
        date(2021, 9, 20),
        "09.00",
        "15.00",
        [
            ("09.00", "09.15", "Pembukaan", "Laporan penyelenggara dan pembukaan.", [(LISMIA, SPEAKER)]),
            (
                "09.15",
                "09.45",
                "Sambutan dan arahan",
                "Pelindungan dan penempatan PMI tidak dapat dilakukan sendiri oleh BP2MI.",
                [(DEVRIEL, SPEAKER)],
            ),
            (
                "09.45",
                "11.00",
                "Paparan: Kebijakan penempatan dan pelindungan PMI",
                "",
                [(RENDRA, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
            ),
            (
                "11.00",
                "12.15",
                "Paparan: Pengawasan norma penempatan tenaga kerja oleh pengawas ketenagakerjaan",
                "",
                [(WATRATAN, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
            ),
            ("12.15", "13.15", "Ishoma", "", []),
            (
                "13.15",
                "15.00",
                "Diskusi dan tanya jawab",
                "Penanganan pengaduan CPMI/PMI di pusat dan daerah.",
                [(RENDRA, SPEAKER), (WATRATAN, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
            ),
        ],
    ),
    (
        date(2021, 9, 21),
        "09.00",
        "12.00",
        [
            (
                "09.00",
                "10.30",
                "Diskusi: Mekanisme pengawasan P3MI lintas instansi",
                "Pembagian peran pusat, UPT dan instansi terkait; usulan Tim Pengawasan.",
                [(MODERATOR, MODERATOR_ROLE)],
            ),
            (
                "10.30",
                "11.30",
                "Perumusan kesimpulan dan rekomendasi",
                "Masukan untuk peraturan, keputusan dan alur proses mekanisme pengawasan.",
                [(LISMIA, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
            ),
            ("11.30", "12.00", "Penutupan", "", [(LISMIA, SPEAKER)]),
        ],
    ),
]


def _weekday_from(start: date, days_needed: int = 1) -> date:
    """The first date on or after `start` that begins `days_needed` consecutive weekdays."""
    day = start
    while any((day + timedelta(days=i)).weekday() >= 5 for i in range(days_needed)):
        day += timedelta(days=1)
    return day


def upcoming_meetings(today: date) -> list[dict]:
    """Three published meetings of other kinds, dated relative to today (found again by title)."""
    coordination = _weekday_from(today + timedelta(days=14), 2)
    socialization = _weekday_from(today + timedelta(days=24))
    webinar = _weekday_from(today + timedelta(days=35))
    return [
        {
            "fields": {
                "title": "Rapat Koordinasi Penanganan Pengaduan PMI Wilayah Sulawesi",
                "theme": "Penguatan koordinasi BP2MI, UPT dan pemerintah daerah dalam penanganan pengaduan",
                "kind": Meeting.Kind.COORDINATION,
                "mode": Meeting.Mode.ONSITE,
                "timezone": WITA,
                "description": "Rapat koordinasi tindak lanjut FGD Pengawasan P3MI bersama BP3MI di Sulawesi.",
                "venue_name": "Kantor BP3MI Sulawesi Selatan",
                "venue_address": "Makassar, Sulawesi Selatan",
                "venue_room": "Ruang Rapat Kepala Kantor",
                # A small room: six registrants leave one on the waiting list (shown on the dashboard).
                "capacity_onsite": 5,
            },
            # More seats for the agencies than the room holds: the invitation page warns.
            "agency_seats": 24,
            "days": [
                (
                    coordination,
                    "09.00",
                    "15.00",
                    [
                        ("09.00", "09.30", "Pembukaan", "", [(LISMIA, SPEAKER)]),
                        (
                            "09.30",
                            "12.00",
                            "Paparan data pengaduan per UPT",
                            "",
                            [(MODERATOR, MODERATOR_ROLE)],
                        ),
                        (
                            "13.00",
                            "15.00",
                            "Pembahasan alur rujukan kasus",
                            "",
                            [(MODERATOR, MODERATOR_ROLE)],
                        ),
                    ],
                ),
                (
                    coordination + timedelta(days=1),
                    "09.00",
                    "12.00",
                    [
                        ("09.00", "11.30", "Penyusunan rencana tindak lanjut", "", [(LISMIA, SPEAKER)]),
                        ("11.30", "12.00", "Penutupan", "", []),
                    ],
                ),
            ],
            "hosts": [(DITPP, ORGANIZER), (regional_unit_name("Sulawesi Selatan", "Makassar"), CO_HOST)],
        },
        {
            "fields": {
                "title": "Sosialisasi Tata Cara Pengaduan bagi Calon Pekerja Migran Indonesia",
                "theme": "Mengenal saluran pengaduan resmi dan hak CPMI",
                "kind": Meeting.Kind.SOCIALIZATION,
                "mode": Meeting.Mode.HYBRID,
                "timezone": WIB,
                "description": "Sosialisasi bagi petugas layanan dan CPMI tentang saluran pengaduan resmi.",
                "venue_name": "Kantor BP2MI",
                "venue_address": "Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan",
                "venue_room": "Ruang Layanan Pengaduan",
                # A small room: its on-site seats are taken and two people wait for one.
                "capacity_onsite": 3,
                "capacity_online": 300,
                # Registrations wait for the organizer's approval: the first ones are approved
                # (two of them onto the waiting list), two still wait (the dashboard's "awaiting
                # approval").
                "moderation": True,
            },
            "waiting": 2,
            "pending": 2,
            "days": [
                (
                    socialization,
                    "09.00",
                    "12.00",
                    [
                        ("09.00", "09.15", "Pembukaan", "", [(DEVRIEL, SPEAKER)]),
                        (
                            "09.15",
                            "10.45",
                            "Hak dan kewajiban CPMI dalam penempatan",
                            "",
                            [(RENDRA, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
                        ),
                        ("10.45", "12.00", "Tanya jawab", "", [(MODERATOR, MODERATOR_ROLE)]),
                    ],
                ),
            ],
            "hosts": [(BP2MI, ORGANIZER), (KEMNAKER, CO_HOST)],
        },
        {
            "fields": {
                "title": "Webinar Migrasi Aman: Mengenali Penempatan Nonprosedural",
                "theme": "Pencegahan penempatan PMI nonprosedural",
                "kind": Meeting.Kind.WEBINAR,
                "mode": Meeting.Mode.ONLINE,
                "timezone": WIB,
                "description": "Webinar terbuka tentang ciri penempatan nonprosedural dan cara melaporkannya.",
                "capacity_online": 500,
            },
            "days": [
                (
                    webinar,
                    "13.00",
                    "15.30",
                    [
                        ("13.00", "13.15", "Pembukaan", "", [(LISMIA, SPEAKER)]),
                        (
                            "13.15",
                            "14.30",
                            "Pengawasan P3MI dan modus penempatan nonprosedural",
                            "",
                            [(WATRATAN, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
                        ),
                        ("14.30", "15.30", "Tanya jawab", "", [(MODERATOR, MODERATOR_ROLE)]),
                    ],
                ),
            ],
            "hosts": [(DITPP, ORGANIZER)],
            "room": {
                "join_url": "https://meet.example.test/sinergi-webinar-migrasi-aman",
                "passcode": "Aman2021",
                "instructions": "Gunakan nama lengkap dan instansi sebagai nama tampilan.",
                # A webinar: anyone may join, so the link is on the public page and calendars.
                "open_to_public": True,
            },
        },
    ]


class Command(BaseCommand):
    help = "Load the demo data (the 2021 FGD, agencies, people, three upcoming meetings); idempotent."

    def handle(self, *args, **options):
        self.created: Counter[str] = Counter()
        self.present: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()

        users = {spec["email"]: self._user(**spec) for spec in USERS}
        admin = users["admin@sinergi.test"]
        organizer = users["penyelenggara@sinergi.test"]
        secretary = users["notulis@sinergi.test"]

        orgs = self._organizations(actor=admin)
        people = {
            email: self._person(email, name, position, orgs[org_name], actor=admin)
            for email, name, position, org_name in PEOPLE
        }
        ctx = {"orgs": orgs, "people": people, "organizer": organizer, "secretary": secretary}

        last_email = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self._fgd(**ctx)
        for spec in upcoming_meetings(timezone.localdate()):
            self._upcoming(spec, **ctx)
        demo_zoom.socialization_room(actor=organizer)
        demo_transcripts.import_sample_transcript(author=secretary)
        demo_minutes.record_fgd_minutes(FGD_TITLE, secretary=secretary, organizer=organizer)
        self._follow_up_meeting(**ctx)
        demo_policy.follow_up_history(FGD_TITLE, analyst=users["analis@sinergi.test"], organizer=organizer)
        self.stdout.write(demo_api.analyst_token(users["analis@sinergi.test"]))
        demo_series.upt_series(FGD_TITLE, organizer=organizer)
        demo_photos.fgd_photos(FGD_TITLE, organizer=organizer)
        demo_letters.fgd_letter(FGD_TITLE, organizer=organizer)
        demo_certificates.fgd_certificates(FGD_TITLE, organizer=organizer)
        demo_materials.fgd_materials(FGD_TITLE, organizer=organizer)
        demo_reports.fgd_reports(FGD_TITLE, organizer=organizer, secretary=secretary)
        dropped = demo_participants.drop_queued_emails(last_email)
        if dropped:
            self.stdout.write(f"{dropped} emails to invented demo participants were not sent.")

        self._summary()

    # Users and directory ----------------------------------------------------------------------

    def _user(
        self,
        email: str,
        full_name: str,
        superuser: bool = False,
        can_organize: bool = False,
        policy_analyst: bool = False,
    ) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            if superuser:
                user = User.objects.create_superuser(email, PASSWORD, full_name=full_name)
            else:
                user = User.objects.create_user(
                    email,
                    PASSWORD,
                    full_name=full_name,
                    can_organize=can_organize,
                    is_policy_analyst=policy_analyst,
                )
            self.created["users"] += 1
        else:
            self.present["users"] += 1
            if policy_analyst and not user.is_policy_analyst:
                # A database seeded before the analyst role existed.
                user.is_policy_analyst = True
                user.save(update_fields=["is_policy_analyst"])
                self.updated["users"] += 1
        # Verification is mandatory: without a verified address the demo accounts could not log in.
        address, made = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not made and not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
            self.updated["email addresses"] += 1
        return user

    def _organization(self, name, acronym, kind, parent, tz, *, actor) -> Organization:
        org = Organization.objects.filter(name__iexact=name).first()
        if org is not None:
            self.present["organizations"] += 1
            return org
        org = Organization(name=name, acronym=acronym, kind=kind, parent=parent, timezone=tz)
        self.created["organizations"] += 1
        return directory_services.save_organization(org, actor=actor)

    def _organizations(self, *, actor) -> dict[str, Organization]:
        orgs: dict[str, Organization] = {}
        for name, acronym, kind, parent in ORGANIZATIONS:
            orgs[name] = self._organization(name, acronym, kind, orgs.get(parent), WIB, actor=actor)
        for province, city, tz in REGIONAL_UNITS:
            name = regional_unit_name(province, city)
            orgs[name] = self._organization(name, "", Kind.REGIONAL_UNIT, orgs[BP2MI], tz, actor=actor)
        return orgs

    def _person(self, email, full_name, position, organization, *, actor) -> Person:
        person = Person.objects.filter(email__iexact=email).first()
        if person is not None:
            self.present["people"] += 1
            return person
        self.created["people"] += 1
        person = Person(full_name=full_name, position=position, organization=organization, email=email)
        return directory_services.save_person(person, actor=actor)

    # Meetings ---------------------------------------------------------------------------------

    def _fgd(self, *, orgs, people, organizer, secretary) -> None:
        if self._meeting_present(FGD_TITLE):
            return
        jakarta = ZoneInfo(WIB)
        with transaction.atomic():
            meeting = self._build(
                fields={
                    "title": FGD_TITLE,
                    "theme": FGD_THEME,
                    "kind": Meeting.Kind.FGD,
                    "mode": Meeting.Mode.HYBRID,
                    "timezone": WIB,
                    "description": FGD_DESCRIPTION,
                    "background": FGD_BACKGROUND,
                    "venue_name": "Kantor BP2MI",
                    "venue_address": "Jl. MT Haryono Kav. 52, Pancoran, Jakarta Selatan",
                    "venue_room": "Ruang Rapat Lantai 2",
                    "capacity_onsite": 40,
                    "capacity_online": 300,
                    # A window that closed before the first day, so the past meeting validates.
                    "registration_opens_at": datetime(2021, 9, 6, 8, 0, tzinfo=jakarta),
                    "registration_closes_at": datetime(2021, 9, 17, 16, 0, tzinfo=jakarta),
                },
                days=FGD_DAYS,
                hosts=[(DITPP, ORGANIZER), (KEMNAKER, CO_HOST)],
                room={
                    "join_url": "https://meet.example.test/fgd-pengawasan-p3mi-2021",
                    "passcode": "P3MI2021",
                },
                orgs=orgs,
                people=people,
                organizer=organizer,
                secretary=secretary,
            )
            meeting_services.publish(meeting, actor=organizer)
            demo_participants.fgd_participants(
                meeting,
                ministries=[orgs[name] for name in FGD_INVITED_MINISTRIES],
                units=[orgs[regional_unit_name(p, c)] for p, c, _tz in REGIONAL_UNITS],
                host=orgs[DITPP],
                actor=organizer,
            )
            demo_zoom.fgd_room(meeting, actor=organizer)
            meeting_services.mark_held(meeting, actor=organizer)
            demo_participants.check_ins(meeting, actor=secretary)
            demo_zoom.fgd_zoom_reports(meeting, actor=organizer)
            meeting_services.close(meeting, actor=organizer)

    def _follow_up_meeting(self, *, orgs, people, organizer, secretary) -> None:
        """March 2022: the FGD's follow-up coordination meeting, held, with approved minutes."""
        title = demo_policy.FOLLOW_UP_TITLE
        if self._meeting_present(title):
            meeting = Meeting.objects.get(title=title)
        else:
            jakarta = ZoneInfo(WIB)
            day = demo_policy.FOLLOW_UP_DAY
            with transaction.atomic():
                meeting = self._build(
                    fields={
                        **demo_policy.FOLLOW_UP_MEETING,
                        "kind": Meeting.Kind.COORDINATION,
                        "mode": Meeting.Mode.ONSITE,
                        "timezone": WIB,
                        "venue_name": "Kantor Kementerian Ketenagakerjaan",
                        "venue_address": "Jl. Jend. Gatot Subroto Kav. 51, Jakarta Selatan",
                        "venue_room": "Ruang Rapat Ditjen Binapenta",
                        "capacity_onsite": 30,
                        "registration_opens_at": datetime(2022, 3, 1, 8, 0, tzinfo=jakarta),
                        "registration_closes_at": datetime(2022, 3, 14, 16, 0, tzinfo=jakarta),
                    },
                    days=[
                        (
                            day,
                            "09.00",
                            "12.00",
                            [
                                ("09.00", "09.15", "Pembukaan", "", [(LISMIA, SPEAKER)]),
                                (
                                    "09.15",
                                    "11.30",
                                    "Kemajuan tindak lanjut rekomendasi FGD",
                                    "Paparan Kemnaker dan BP2MI, tanggapan Kemlu.",
                                    [(RENDRA, SPEAKER), (MODERATOR, MODERATOR_ROLE)],
                                ),
                                (
                                    "11.30",
                                    "12.00",
                                    "Kesimpulan dan rekomendasi",
                                    "",
                                    [(MODERATOR, MODERATOR_ROLE)],
                                ),
                            ],
                        )
                    ],
                    hosts=[(KEMNAKER, ORGANIZER), (DITPP, CO_HOST)],
                    room=None,
                    orgs=orgs,
                    people=people,
                    organizer=organizer,
                    secretary=secretary,
                )
                meeting_services.publish(meeting, actor=organizer)
                meeting_services.mark_held(meeting, actor=organizer)
                meeting_services.close(meeting, actor=organizer)
        demo_policy.record_follow_up_minutes(meeting, secretary=secretary, organizer=organizer)

    def _upcoming(self, spec: dict, *, orgs, people, organizer, secretary) -> None:
        fields = dict(spec["fields"])
        if self._meeting_present(fields["title"]):
            return
        tz = ZoneInfo(fields["timezone"])
        first_day = spec["days"][0][0]
        fields["registration_opens_at"] = timezone.now().replace(minute=0, second=0, microsecond=0)
        fields["registration_closes_at"] = datetime.combine(
            first_day - timedelta(days=1), time(16, 0), tzinfo=tz
        )
        with transaction.atomic():
            meeting = self._build(
                fields=fields,
                days=spec["days"],
                hosts=spec["hosts"],
                room=spec.get("room"),
                orgs=orgs,
                people=people,
                organizer=organizer,
                secretary=secretary,
            )
            meeting_services.publish(meeting, actor=organizer)
            demo_participants.upcoming_participants(
                meeting,
                invited=[orgs[name] for name in FGD_INVITED_MINISTRIES[:2]],
                actor=organizer,
                waiting=spec.get("waiting", 0),
                pending=spec.get("pending", 0),
                quota=spec.get("agency_seats", 2),
            )

    def _meeting_present(self, title: str) -> bool:
        if Meeting.objects.filter(title=title).exists():
            self.present["meetings"] += 1
            return True
        self.created["meetings"] += 1
        return False

    def _build(self, *, fields, days, hosts, room, orgs, people, organizer, secretary) -> Meeting:
        """A draft meeting with days, agenda, roles, hosts, staff and (optionally) a manual room."""
        meeting = meeting_services.create_meeting(
            actor=organizer,
            days=[{"date": d, "start_time": _t(start), "end_time": _t(end)} for d, start, end, _ in days],
            **fields,
        )
        day_rows = {day.date: day for day in meeting.days.all()}
        for day_date, _start, _end, items in days:
            for start, end, title, description, roles in items:
                item = meeting_services.add_agenda_item(
                    day_rows[day_date],
                    actor=organizer,
                    start_time=_t(start),
                    end_time=_t(end),
                    title=title,
                    description=description,
                )
                for email, role in roles:
                    meeting_services.assign_agenda_role(
                        item, actor=organizer, person=people[email], role=role
                    )
        for org_name, role in hosts:
            meeting_services.add_host(meeting, actor=organizer, organization=orgs[org_name], role=role)
        meeting_services.set_staff(meeting, actor=organizer, organizers=[organizer], secretaries=[secretary])
        if room:
            meeting_services.set_manual_room(meeting, actor=organizer, **room)
        return meeting

    # Report -----------------------------------------------------------------------------------

    def _summary(self) -> None:
        kinds = ["users", "organizations", "people", "meetings"]
        for kind in kinds + sorted(set(self.updated) - set(kinds)):
            line = f"{kind}: {self.created[kind]} created, {self.present[kind]} already present"
            if self.updated[kind]:
                line += f", {self.updated[kind]} updated"
            self.stdout.write(line)
        style = self.style.SUCCESS if sum(self.created.values()) else self.style.NOTICE
        self.stdout.write(style("Demo data ready." if self.created else "Demo data was already complete."))
