"""Demo data: the 2021 FGD's approved minutes (points per agenda item from the seed article, the
recommendations it implies, action items), published to its participants, so a newcomer opens the
editor, the history and the Notula without typing anything. Everything goes through the services.

The article (docs: ../shared/reference/seed-fgd-2021.txt) reports the opening, the deputy's remarks
and the speakers; what the speakers and participants said in detail is invented for the demo,
kept plausible and attributed to the agenda's own speakers.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from directory.models import Organization, Person
from meetings.models import Meeting
from minutes.models import Minutes, Point, Section
from minutes.services import editing, recommendations, workflow
from minutes.services.points import add_point
from minutes.services.preparation import prepare_minutes

BP2MI = "Badan Pelindungan Pekerja Migran Indonesia"
DITPP = "Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika"
KEMNAKER = "Kementerian Ketenagakerjaan"
INVITATION = "B.1520/DITPP-ASAF/IX/2021 tanggal 13 September 2021"
CHAIR = "Lismia Elita"
CHAIR_POSITION = "Direktur Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika"

# Per agenda item (by title): summary, conclusions, points as (speaker email or free name, text),
# or (..., QUOTABLE) for a point the secretary marked quotable in the news article.
QUOTABLE = True
SECTIONS: dict[str, dict] = {
    "Pembukaan": {
        "summary": (
            "Direktur PP Kawasan Asaf membuka FGD dan menyampaikan laporan penyelenggara: latar "
            "belakang pengaduan CPMI/PMI dan tujuan kegiatan."
        ),
        "points": [
            (
                "lismia.elita@example.test",
                "Sepanjang tahun 2019 sampai semester I tahun 2021 Crisis Center BP2MI menerima "
                "**7.848 pengaduan**, melalui:\n\n- pengaduan langsung,\n- telepon dan surat,\n"
                "- media sosial dan email.\n\nSebagian besar diselesaikan dengan klarifikasi dan "
                "mediasi.",
                QUOTABLE,
            ),
            (
                "lismia.elita@example.test",
                "Sebagian kasus dilimpahkan ke instansi lain, seperti Kementerian Ketenagakerjaan, "
                "Kementerian Luar Negeri, Kementerian Perhubungan dan instansi terkait lainnya.",
            ),
            (
                "lismia.elita@example.test",
                "Kegiatan ini menjadi sarana informasi dan persamaan persepsi tentang pengawasan "
                "bagi petugas pengaduan di pusat dan daerah; hasilnya menjadi *masukan dalam "
                "penyusunan peraturan, keputusan ataupun alur proses mekanisme* terkait pengawasan, "
                "termasuk pembentukan Tim Pengawasan yang melibatkan berbagai unsur.",
                QUOTABLE,
            ),
        ],
    },
    "Sambutan dan arahan": {
        "summary": "Arahan Plh. Deputi tentang sinergi dan koordinasi seluruh pemangku kepentingan.",
        "points": [
            (
                "devriel.sogia@example.test",
                "Pelindungan dan penempatan PMI tidak dapat dilakukan sendiri oleh BP2MI. Melalui "
                "sinergi dan koordinasi dengan seluruh pemangku kepentingan, semua program akan "
                "dijalankan dengan baik.",
                QUOTABLE,
            ),
            (
                "devriel.sogia@example.test",
                "Ke depan kegiatan serupa diharapkan terlaksana bersama perwakilan BP2MI di 23 UPT daerah.",
            ),
        ],
    },
    "Paparan: Kebijakan penempatan dan pelindungan PMI": {
        "summary": (
            "Paparan kebijakan penempatan dan pelindungan PMI serta pembagian kewenangan pusat dan "
            "daerah dalam pengawasan P3MI."
        ),
        "points": [
            (
                "rendra.setiawan@example.test",
                "Pengawasan P3MI merupakan kewenangan bersama: Kementerian Ketenagakerjaan atas "
                "perizinan dan norma, BP2MI atas pelayanan penempatan dan pelindungan, pemerintah "
                "daerah atas layanan di daerah.",
            ),
            (
                "rendra.setiawan@example.test",
                "Data pengaduan yang dilimpahkan BP2MI perlu disertai kronologi dan dokumen "
                "pendukung agar dapat segera diperiksa.",
            ),
        ],
    },
    "Paparan: Pengawasan norma penempatan tenaga kerja oleh pengawas ketenagakerjaan": {
        "summary": "Paparan pelaksanaan pengawasan norma penempatan oleh pengawas ketenagakerjaan.",
        "points": [
            (
                "fx.watratan@example.test",
                "Temuan pelanggaran oleh P3MI ditindaklanjuti dengan:\n\n1. nota pemeriksaan,\n"
                "2. penyidikan bila ada unsur pidana,\n3. rekomendasi sanksi administratif.",
            ),
        ],
    },
    "Diskusi dan tanya jawab": {
        "summary": (
            "Peserta dari UPT menyampaikan kendala rujukan kasus ke instansi lain dan meminta alur yang baku."
        ),
        "conclusions": "Diperlukan alur rujukan kasus yang baku antara BP2MI dan instansi terkait.",
        "points": [
            (
                "Peserta BP3MI Jawa Timur (Surabaya)",
                "Pengaduan yang diterima UPT sering memerlukan rujukan ke dinas ketenagakerjaan "
                "daerah, tetapi belum ada alur rujukan dan batas waktu tanggapan yang baku.",
            ),
            (
                "fx.watratan@example.test",
                "Pengawas ketenagakerjaan di provinsi dapat menjadi titik rujukan UPT; kontaknya akan "
                "dibagikan kepada seluruh UPT.",
            ),
        ],
    },
    "Diskusi: Mekanisme pengawasan P3MI lintas instansi": {
        "summary": (
            "Pembahasan pembagian peran pusat, UPT dan instansi terkait, serta usulan pembentukan "
            "Tim Pengawasan P3MI."
        ),
        "points": [
            (
                "dewi.anggraini@example.test",
                "Peserta sepakat bahwa Tim Pengawasan melibatkan BP2MI, Kemnaker, Kemlu, Kemenhub "
                "dan KKP, dengan UPT BP2MI sebagai simpul di daerah.",
            ),
            (
                "Perwakilan Kementerian Perhubungan",
                "Kasus awak kapal perikanan memerlukan keterlibatan Kemenhub dan KKP sejak awal penanganan.",
            ),
        ],
    },
    "Perumusan kesimpulan dan rekomendasi": {
        "summary": "Perumusan kesimpulan dan rekomendasi FGD sebagai masukan kebijakan.",
        "conclusions": (
            "- Pengawasan P3MI dilakukan bersama oleh BP2MI dan instansi terkait.\n"
            "- Alur rujukan kasus dan penanganan pengaduan di UPT perlu dibakukan."
        ),
        "points": [
            (
                "lismia.elita@example.test",
                "Rekomendasi FGD akan disampaikan kepada instansi terkait sebagai masukan penyusunan "
                "peraturan, keputusan dan alur proses mekanisme pengawasan.",
            ),
        ],
    },
    "Penutupan": {
        "summary": "FGD ditutup oleh Direktur PP Kawasan Asaf.",
        "points": [],
    },
}

RECOMMENDATIONS = [
    {
        "text": (
            "Membentuk **Tim Pengawasan P3MI** lintas instansi yang melibatkan BP2MI, Kemnaker, "
            "Kemlu, Kemenhub dan KKP, dengan UPT BP2MI sebagai simpul di daerah."
        ),
        "rationale": "Pelindungan dan penempatan PMI tidak dapat dilakukan sendiri oleh BP2MI.",
        "addressed_to": [BP2MI, KEMNAKER],
        "instrument": "decision",
        "priority": "high",
        "themes": ["Pengawasan", "Koordinasi"],
        "proposed_by_person": "lismia.elita@example.test",
    },
    {
        "text": (
            "Menyusun aturan rujukan (pelimpahan) kasus antara BP2MI, Kemnaker, Kemlu dan "
            "Kemenhub: kriteria, batas waktu tanggapan dan umpan balik atas kasus yang dilimpahkan."
        ),
        "rationale": (
            "Sebagian dari 7.848 pengaduan 2019 sampai semester I 2021 dilimpahkan ke instansi lain "
            "tanpa alur yang baku."
        ),
        "addressed_to": [
            KEMNAKER,
            "Kementerian Luar Negeri",
            "Kementerian Perhubungan",
            BP2MI,
        ],
        "instrument": "regulation",
        "priority": "high",
        "themes": ["Pengaduan", "Rujukan kasus"],
        "proposed_by_person": "rendra.setiawan@example.test",
    },
    {
        "text": (
            "Menetapkan SOP penanganan pengaduan CPMI/PMI di UPT BP2MI (klarifikasi, mediasi dan "
            "pelimpahan) dengan pencatatan yang sama di pusat dan daerah."
        ),
        "rationale": "Petugas UPT menangani pengaduan sehari-hari dengan cara yang berbeda-beda.",
        "addressed_to": [BP2MI],
        "instrument": "sop",
        "priority": "medium",
        "themes": ["Pengaduan"],
        "proposed_by_organization": DITPP,
    },
]

ACTIONS = [
    ("Menyusun draf keputusan pembentukan Tim Pengawasan P3MI", DITPP, date(2021, 10, 29), "open"),
    (
        "Menyampaikan notula dan rekomendasi FGD kepada Kemnaker, Kemlu, Kemenhub dan KKP",
        DITPP,
        date(2021, 9, 30),
        "done",
    ),
    ("Mengumpulkan data pelimpahan kasus dari 23 UPT", BP2MI, date(2021, 10, 15), "open"),
]


def _organization(name: str) -> Organization | None:
    if not name:  # not "the first organization without an acronym"
        return None
    return Organization.objects.filter(name=name).first() or Organization.objects.filter(acronym=name).first()


def _person(email: str) -> Person | None:
    return Person.objects.filter(email=email).first()


def _add_points(section: Section, points: list[tuple], *, author) -> None:
    for who, text, *mark in points:
        person = _person(who) if "@" in who else None
        add_point(
            section,
            author=author,
            text=text,
            person=person,
            speaker_name="" if person else who,
            quotable=bool(mark and mark[0]),
        )


def _record(minutes: Minutes, *, author) -> None:
    editing.update_heading(
        minutes,
        author=author,
        base=None,
        invitation_reference=INVITATION,
        chair_name=CHAIR,
        secretary_name=getattr(author, "full_name", "") or "",
        recorder_name=getattr(author, "full_name", "") or "",
        signed_by=Minutes.Signer.CHAIR,
        signer_name=CHAIR,
        signer_position=CHAIR_POSITION,
        signed_place="Jakarta",
        signed_on=date(2021, 9, 21),
    )
    sections = {section.title: section for section in minutes.sections.all()}
    for title, spec in SECTIONS.items():
        section = sections.get(title)
        if section is None:
            continue
        editing.update_section(
            section,
            author=author,
            base=None,
            summary=spec.get("summary", ""),
            conclusions=spec.get("conclusions", ""),
        )
        _add_points(section, spec["points"], author=author)
    source = sections.get("Perumusan kesimpulan dan rekomendasi")
    for spec in RECOMMENDATIONS:
        recommendations.add_recommendation(
            minutes,
            author=author,
            text=spec["text"],
            rationale=spec["rationale"],
            instrument=spec["instrument"],
            priority=spec["priority"],
            addressed_to=[org for org in map(_organization, spec["addressed_to"]) if org],
            themes=spec["themes"],
            section=source,
            proposed_by_person=_person(spec.get("proposed_by_person", "")),
            proposed_by_organization=_organization(spec.get("proposed_by_organization", "")),
        )
    for text, owner, due_on, state in ACTIONS:
        recommendations.add_action(
            minutes,
            author=author,
            text=text,
            owner_organization=_organization(owner),
            due_on=due_on,
            state=state,
            section=source,
        )


def record_fgd_minutes(meeting_title: str, *, secretary, organizer) -> Minutes | None:
    """The FGD's minutes recorded by the secretary, approved by the organizer and published to the
    confirmed participants. Idempotent: nothing happens once the minutes have points or left draft."""
    meeting = Meeting.objects.filter(title=meeting_title).first()
    if meeting is None:
        return None
    existing = Minutes.objects.filter(meeting=meeting).order_by("-version").first()
    if existing is not None and (
        existing.state != Minutes.State.DRAFT or Point.objects.filter(section__minutes=existing).exists()
    ):
        return None
    with transaction.atomic():
        minutes = prepare_minutes(meeting, author=secretary)
        _record(minutes, author=secretary)
        minutes = workflow.submit(minutes, by=secretary)
        minutes = workflow.approve(minutes, by=organizer, signed_on=date(2021, 9, 21))
        return workflow.publish(minutes, by=organizer, audience=Minutes.Audience.PARTICIPANTS)
