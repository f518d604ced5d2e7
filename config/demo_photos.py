"""Demo documentation photos of the 2021 FGD: six per day, drawn with Pillow (a meeting room, a
banner, a screen, people as simple shapes; no real person's picture), with Indonesian captions;
two of each day are chosen for the activity report and the news article. Run again, it changes
nothing."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from materials.models import DocumentationPhoto
from materials.services import photos
from meetings.models import Meeting

# (caption, scene, in the report) per photo, day by day.
DAY_1 = [
    ("Pembukaan FGD oleh Direktur PP Kawasan Asia dan Afrika BP2MI, Lismia Elita", "podium", True),
    (
        "Sambutan Plh. Deputi Penempatan dan Pelindungan Kawasan Asia dan Afrika, Devriel Sogia",
        "podium",
        False,
    ),
    ("Paparan Direktur Bina Penempatan dan Pelindungan PMI Kemnaker, Rendra Setiawan", "screen", True),
    ("Peserta FGD dari kementerian dan lembaga di ruang rapat", "audience", False),
    ("Perwakilan 23 UPT BP2MI mengikuti FGD melalui Zoom Meeting", "zoom", False),
    ("Sesi tanya jawab hari pertama", "audience", False),
]
DAY_2 = [
    ("Paparan Koordinator Pengawasan Norma Penempatan Kemnaker, F.X. Watratan", "screen", True),
    ("Diskusi kelompok tentang pengawasan P3MI", "table", False),
    ("Tanggapan perwakilan Kementerian Luar Negeri", "podium", False),
    ("Perumusan rekomendasi FGD", "table", True),
    ("Penutupan FGD Pengawasan P3MI", "podium", False),
    ("Foto bersama peserta FGD", "group", False),
]
SIZE = (1200, 800)
BANNER = "FGD Pengawasan P3MI - BP2MI dan Kemnaker - 20-21 September 2021"


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # a Pillow built without FreeType
        return ImageFont.load_default()


def _person(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, colour) -> None:
    head = int(22 * scale)
    draw.ellipse((x - head, y - 3 * head, x + head, y - head), fill=(224, 186, 150))
    draw.rounded_rectangle((x - 2 * head, y - head, x + 2 * head, y + 3 * head), radius=head, fill=colour)


def scene(kind: str, seed: int) -> bytes:
    """A JPEG of a meeting-room scene of this kind; the same seed always draws the same picture."""
    rng = random.Random(seed)
    width, height = SIZE
    image = Image.new("RGB", SIZE, (236, 230, 218))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(height * 0.62), width, height), fill=(150, 112, 80))  # the floor
    draw.rectangle((0, 0, width, 70), fill=(12, 64, 120))  # the banner
    draw.text((24, 20), BANNER, fill=(255, 255, 255), font=_font(30))
    suits = [(40, 40, 60), (70, 70, 90), (120, 30, 40), (30, 90, 70), (200, 170, 60)]
    if kind in ("screen", "zoom"):
        draw.rectangle((330, 110, 870, 420), fill=(250, 250, 250), outline=(40, 40, 40), width=6)
        if kind == "zoom":
            for row in range(3):
                for col in range(4):
                    x, y = 345 + col * 131, 125 + row * 98
                    draw.rectangle((x, y, x + 122, y + 88), fill=(60 + 10 * col, 70, 90 + 15 * row))
                    _person(draw, x + 61, y + 62, 0.8, rng.choice(suits))
        else:
            draw.text((360, 140), "Pengawasan P3MI", fill=(12, 64, 120), font=_font(40))
            for line in range(5):
                draw.rectangle(
                    (360, 210 + line * 36, 360 + rng.randint(260, 470), 226 + line * 36), fill=(170, 180, 190)
                )
    if kind == "podium":
        draw.rectangle((520, 400, 680, 640), fill=(110, 70, 40))
        _person(draw, 600, 390, 1.6, rng.choice(suits))
        draw.text((545, 500), "BP2MI", fill=(250, 220, 120), font=_font(28))
    if kind in ("audience", "screen", "zoom", "table"):
        table_y = 600 if kind != "table" else 520
        draw.rectangle((120, table_y, width - 120, table_y + 40), fill=(90, 60, 40))
        for n in range(8 if kind != "table" else 6):
            _person(
                draw, 180 + n * (840 // 7 if kind != "table" else 160), table_y - 10, 1.2, rng.choice(suits)
            )
    if kind == "group":
        for row, y in enumerate((520, 650)):
            for n in range(9 - row):
                _person(draw, 130 + row * 60 + n * 120, y, 1.5, rng.choice(suits))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def fgd_photos(title: str, *, organizer) -> int:
    """The FGD's photos, added once; returns how many it has."""
    meeting = Meeting.objects.get(title=title)
    existing = DocumentationPhoto.objects.filter(meeting=meeting)
    if existing.exists():
        return existing.count()
    days = list(meeting.days.order_by("date"))
    for day_index, (day, plan) in enumerate(zip(days, (DAY_1, DAY_2), strict=False)):
        uploads = [
            photos.Upload(
                SimpleUploadedFile(
                    f"DSC_{day_index + 1}{n:03d}.jpg", scene(kind, 100 * day_index + n), "image/jpeg"
                ),
                caption,
            )
            for n, (caption, kind, _chosen) in enumerate(plan, start=1)
        ]
        added = photos.add_photos(meeting, day=day, uploads=uploads, actor=organizer)
        for photo, (_caption, _kind, chosen) in zip(added, plan, strict=True):
            if chosen:
                photos.set_in_report(photo, True, actor=organizer)
    return existing.count()
