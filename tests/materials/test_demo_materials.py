"""The demo's speakers' materials of the 2021 FGD: files and links per agenda item with mixed
visibility, one uploaded through its speaker's link, one link still open; seeding again changes
nothing; the public page of the ended FGD lists only the public ones."""

import pytest

from accounts.models import User
from config.demo_materials import fgd_materials
from config.management.commands.seed_demo import FGD_TITLE
from materials.models import Material, UploadLink
from meetings.models import Meeting


@pytest.fixture
def fgd(seeded_demo, db):
    return Meeting.objects.get(title=FGD_TITLE)


def test_the_fgd_has_materials_of_every_visibility_per_agenda_item(fgd):
    rows = list(
        Material.objects.filter(meeting=fgd)
        .order_by("pk")
        .values_list("title", "kind", "visibility", "agenda_item__title", "upload_link__name")
    )

    assert rows == [
        (
            "Kebijakan Penempatan dan Pelindungan PMI",
            "file",
            "participants",
            "Paparan: Kebijakan penempatan dan pelindungan PMI",
            "Rendra Setiawan",
        ),
        (
            "Pengawasan Norma Penempatan Tenaga Kerja",
            "file",
            "public",
            "Paparan: Pengawasan norma penempatan tenaga kerja oleh pengawas ketenagakerjaan",
            None,
        ),
        (
            "Data pengawasan P3MI (bahan internal)",
            "file",
            "staff",
            "Paparan: Pengawasan norma penempatan tenaga kerja oleh pengawas ketenagakerjaan",
            None,
        ),
        ("Rekaman Zoom hari pertama", "link", "participants", "Diskusi dan tanya jawab", None),
        ("Berita kegiatan di situs BP2MI", "link", "public", None, None),
    ]
    for material in Material.objects.filter(meeting=fgd, kind="file"):
        assert material.file.storage.open(material.file.name).read(4) in (b"%PDF", b"PK\x03\x04")
    assert list(UploadLink.objects.filter(meeting=fgd).values_list("name", "revoked_at")) == [
        ("Rendra Setiawan", None),
        ("F.X. Watratan", None),
    ]


def test_seeding_the_materials_again_changes_nothing(fgd):
    organizer = User.objects.get(email="penyelenggara@sinergi.test")
    before = list(Material.objects.values_list("pk", "file", "title")), UploadLink.objects.count()

    assert fgd_materials(FGD_TITLE, organizer=organizer) == 5

    assert (list(Material.objects.values_list("pk", "file", "title")), UploadLink.objects.count()) == before


def test_the_ended_fgds_public_page_lists_its_public_materials(fgd, client):
    html = client.get(fgd.urls.public).content.decode()

    agenda, below = html.split('id="materials"')
    assert "Pengawasan Norma Penempatan Tenaga Kerja" in agenda  # under its agenda item
    assert "https://bp2mi.example.test/berita/fgd-pengawasan-p3mi" in below  # the meeting's own
    for hidden in ("bahan internal", "Rekaman Zoom", "Kebijakan Penempatan dan Pelindungan PMI"):
        assert hidden not in html
