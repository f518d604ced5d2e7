"""Demo data of the policy app: the FGD's follow-up coordination meeting of March 2022 with its
approved minutes, the focal points of Kemnaker and Kemlu, two agencies' follow-up history (one
change with an evidence link, one overdue recommendation), a recommendation of both meetings
marked as the same, and a policy-input document on P3MI supervision compiled from both.

Everything goes through the services, as a user's clicks would; found again by title, so a
second seed changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from directory.models import Organization
from minutes.models import Minutes, Recommendation
from minutes.services import editing, recommendations, workflow
from minutes.services.preparation import prepare_minutes
from policy.models import FocalPoint, PolicyBrief
from policy.services import briefs, focal_points, followup

FOLLOW_UP_TITLE = "Rapat Koordinasi Tindak Lanjut Rekomendasi FGD Pengawasan P3MI"
BRIEF_TITLE = "Penguatan Pengawasan Perusahaan Penempatan Pekerja Migran Indonesia (P3MI)"
FOCAL_POINT_ACCOUNT = "narahubung@sinergi.test"

FOLLOW_UP_MEETING = {
    "title": FOLLOW_UP_TITLE,
    "theme": "Tindak lanjut rekomendasi FGD 20–21 September 2021 tentang pengawasan P3MI",
    "description": "Rapat koordinasi BP2MI, Kemnaker dan Kemlu tentang kemajuan tindak lanjut rekomendasi FGD.",
    "background": (
        "FGD Pengawasan P3MI pada 20–21 September 2021 merumuskan rekomendasi kepada BP2MI, "
        "Kemnaker, Kemlu dan Kemenhub. Rapat ini menilai kemajuan tindak lanjutnya dan menyepakati "
        "langkah berikutnya, termasuk sistem informasi pengawasan P3MI."
    ),
}
FOLLOW_UP_DAY = date(2022, 3, 15)

RECOMMENDATIONS = [
    {
        # The same as the FGD's first recommendation: marked as the same below.
        "text": (
            "Menetapkan keputusan bersama pembentukan **Tim Pengawasan P3MI** lintas instansi "
            "dengan UPT BP2MI sebagai simpul di daerah."
        ),
        "rationale": "Draf keputusan pembentukan tim belum ditetapkan sejak FGD September 2021.",
        "addressed_to": ["Badan Pelindungan Pekerja Migran Indonesia", "Kementerian Ketenagakerjaan"],
        "instrument": "decision",
        "priority": "high",
        "themes": ["Pengawasan", "Koordinasi"],
    },
    {
        "text": (
            "Membangun sistem informasi pengawasan P3MI yang terintegrasi antara Kemnaker dan "
            "BP2MI: izin, pelanggaran, sanksi dan pengaduan dalam satu data."
        ),
        "rationale": "Data pelanggaran P3MI tersebar di Kemnaker, BP2MI dan 23 UPT.",
        "addressed_to": ["Kementerian Ketenagakerjaan"],
        "instrument": "programme",
        "priority": "high",
        "themes": ["Pengawasan", "Data"],
    },
    {
        "text": (
            "Perwakilan RI melalui atase ketenagakerjaan melaporkan P3MI yang bermasalah di negara "
            "penempatan kepada Kemnaker dan BP2MI setiap triwulan."
        ),
        "rationale": "Pelanggaran di negara penempatan baru diketahui setelah ada pengaduan.",
        "addressed_to": ["Kementerian Luar Negeri"],
        "instrument": "sop",
        "priority": "medium",
        "themes": ["Pengawasan", "Pelindungan di luar negeri"],
    },
]

FOCAL_POINTS = [
    ("Kementerian Ketenagakerjaan", "Narahubung Kemnaker Demo", FOCAL_POINT_ACCOUNT, "id"),
    ("Kementerian Luar Negeri", "Ratna Puspitasari", "ratna.puspitasari@kemlu.example.test", "en"),
]


def _org(name: str) -> Organization | None:
    return Organization.objects.filter(name=name).first()


def record_follow_up_minutes(meeting, *, secretary, organizer) -> Minutes | None:
    """The coordination meeting's minutes: three recommendations, approved. Idempotent."""
    if Minutes.objects.filter(meeting=meeting).exists():
        return None
    with transaction.atomic():
        minutes = prepare_minutes(meeting, author=secretary)
        editing.update_heading(
            minutes,
            author=secretary,
            base=None,
            chair_name="Lismia Elita",
            signed_by=Minutes.Signer.CHAIR,
            signer_name="Lismia Elita",
            signer_position="Direktur Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika",
            signed_place="Jakarta",
            signed_on=FOLLOW_UP_DAY,
        )
        section = minutes.sections.filter(title="Kesimpulan dan rekomendasi").first()
        for spec in RECOMMENDATIONS:
            recommendations.add_recommendation(
                minutes,
                author=secretary,
                text=spec["text"],
                rationale=spec["rationale"],
                instrument=spec["instrument"],
                priority=spec["priority"],
                addressed_to=[o for o in map(_org, spec["addressed_to"]) if o],
                themes=spec["themes"],
                section=section,
                proposed_by_organization=_org("Kementerian Ketenagakerjaan"),
            )
        minutes = workflow.submit(minutes, by=secretary)
        return workflow.approve(minutes, by=organizer, signed_on=FOLLOW_UP_DAY)


def _in_force(meeting_title: str) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(
            minutes__meeting__title=meeting_title, minutes__state=Minutes.State.APPROVED
        ).order_by("order", "pk")
    )


def follow_up_history(fgd_title: str, *, analyst, organizer) -> bool:
    """Focal points, two agencies' changes, due dates, the merge and the document. Idempotent:
    nothing happens once the focal points exist."""
    fgd, later = _in_force(fgd_title), _in_force(FOLLOW_UP_TITLE)
    if len(fgd) < 3 or len(later) < 3 or FocalPoint.objects.exists():
        return False
    with transaction.atomic():
        points = {}
        for org_name, name, email, language in FOCAL_POINTS:
            org = _org(org_name)
            if org is None:
                return False
            points[org_name] = focal_points.add_focal_point(
                organization=org, name=name, email=email, language=language, user=analyst
            )
        kemnaker, kemlu = points["Kementerian Ketenagakerjaan"], points["Kementerian Luar Negeri"]
        team, referral, sop = fgd[0], fgd[1], fgd[2]
        # The coordination meeting repeated the FGD's team recommendation: one row, two sources.
        followup.merge(team, [later[0]], user=analyst)
        followup.set_due(team, date(2022, 12, 31), user=organizer)
        followup.set_due(referral, date(2022, 6, 30), user=organizer)  # open and overdue
        followup.set_due(later[1], date(2023, 12, 31), user=organizer)

        def change(rec, state, day, note, fp=None, **evidence):
            followup.record_follow_up(
                rec,
                state=state,
                note=note,
                happened_on=day,
                user=None if fp else organizer,
                focal_point=fp,
                staff=fp is None,
                **evidence,
            )

        change(team, "accepted", date(2021, 10, 12), "Disepakati dalam rapat pimpinan BP2MI dan Kemnaker.")
        change(
            team,
            "in_progress",
            date(2022, 3, 15),
            "Draf keputusan bersama dibahas kembali dalam rapat koordinasi tindak lanjut.",
        )
        change(
            referral,
            "accepted",
            date(2021, 11, 3),
            "Ditjen Binapenta menyiapkan draf aturan rujukan kasus.",
            kemnaker,
        )
        change(
            later[1],
            "accepted",
            date(2022, 4, 20),
            "Masuk rencana kerja Pusdatin Kemnaker 2023.",
            kemnaker,
            evidence_url="https://satudata.kemnaker.go.id/",
        )
        change(
            later[2],
            "accepted",
            date(2022, 4, 5),
            "Disampaikan kepada perwakilan RI di negara penempatan utama.",
            kemlu,
        )
        change(
            later[2],
            "implemented",
            date(2022, 9, 30),
            "Laporan triwulan pertama dari atase ketenagakerjaan diterima Kemnaker dan BP2MI.",
            kemlu,
        )
        change(sop, "accepted", date(2021, 10, 1), "SOP disusun oleh Direktorat Pelindungan Asia dan Afrika.")
        if not PolicyBrief.objects.filter(title=BRIEF_TITLE).exists():
            keys = [str(r.key) for r in (*fgd, later[1], later[2])]
            briefs.create_brief(analyst, BRIEF_TITLE, "id", keys)
    return True
