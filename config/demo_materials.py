"""Demo speakers' materials of the 2021 FGD: the two paparan as PDFs (one uploaded by its speaker
through his upload link, for participants; one public), the supervision data as a Word file for
the staff, the recording of day one and the agency's news page as links, and an upload link
still open for the other speaker. Run again, it changes nothing.
"""

from __future__ import annotations

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

from materials.models import Material, UploadLink
from materials.services import materials, upload_links
from meetings.models import AgendaItem, Meeting

KEBIJAKAN = "Paparan: Kebijakan penempatan dan pelindungan PMI"
PENGAWASAN = "Paparan: Pengawasan norma penempatan tenaga kerja oleh pengawas ketenagakerjaan"
DISKUSI = "Diskusi dan tanya jawab"


def pdf(lines: list[str]) -> bytes:
    """A small valid PDF (one A4 page of Helvetica text), written by hand: no PDF library needed
    for a demo, and every offset in its cross-reference table is exact."""

    def text(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 14 Tf 56 780 Td 18 TL " + " ".join(f"({text(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _data_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Data Pengawasan P3MI 2019 – Semester I 2021", level=1)
    document.add_paragraph("Pengaduan yang diterima Crisis Center BP2MI: 7.848 (2019 – semester I 2021).")
    document.add_paragraph("Bahan internal penyelenggara; belum untuk dibagikan.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _item(meeting: Meeting, title: str) -> AgendaItem:
    return AgendaItem.objects.get(day__meeting=meeting, title=title)


def fgd_materials(title: str, *, organizer) -> int:
    """Add the FGD's materials and links once; returns how many materials the FGD has."""
    meeting = Meeting.objects.get(title=title)
    kebijakan, pengawasan = _item(meeting, KEBIJAKAN), _item(meeting, PENGAWASAN)
    have = set(Material.objects.filter(meeting=meeting).values_list("title", flat=True))

    rendra = UploadLink.objects.filter(meeting=meeting, agenda_item=kebijakan).first()
    if rendra is None:
        rendra = upload_links.create(meeting, agenda_item=kebijakan, actor=organizer)
    if not UploadLink.objects.filter(meeting=meeting, agenda_item=pengawasan).exists():
        # Still open: the speaker has not uploaded yet (the organizer copies the link to him).
        upload_links.create(meeting, agenda_item=pengawasan, actor=organizer)

    files = [
        (
            "Kebijakan Penempatan dan Pelindungan PMI",
            "Kebijakan Penempatan dan Pelindungan PMI.pdf",
            lambda: pdf(
                [
                    "Kebijakan Penempatan dan Pelindungan PMI",
                    "Direktorat Bina Penempatan dan Pelindungan PMI, Kemnaker",
                    "FGD Pengawasan P3MI, 20 September 2021",
                ]
            ),
            kebijakan,
            Material.Visibility.PARTICIPANTS,
            rendra,
        ),
        (
            "Pengawasan Norma Penempatan Tenaga Kerja",
            "Pengawasan Norma Penempatan.pdf",
            lambda: pdf(
                [
                    "Pengawasan Norma Penempatan Tenaga Kerja",
                    "oleh Pengawas Ketenagakerjaan",
                    "FGD Pengawasan P3MI, 20 September 2021",
                ]
            ),
            pengawasan,
            Material.Visibility.PUBLIC,
            None,
        ),
        (
            "Data pengawasan P3MI (bahan internal)",
            "Data Pengawasan P3MI.docx",
            _data_docx,
            pengawasan,
            Material.Visibility.STAFF,
            None,
        ),
    ]
    for name, filename, content, item, visibility, link in files:
        if name in have:
            continue
        materials.add_file(
            meeting,
            upload=SimpleUploadedFile(filename, content()),
            title=name,
            agenda_item=item,
            visibility=visibility,
            # What the speaker uploaded through his link has no staff member as its author.
            actor=None if link else organizer,
            upload_link=link,
        )
    links = [
        (
            "Rekaman Zoom hari pertama",
            "https://zoom.example.test/rec/share/fgd-p3mi-2021-hari-1",
            _item(meeting, DISKUSI),
            Material.Visibility.PARTICIPANTS,
        ),
        (
            "Berita kegiatan di situs BP2MI",
            "https://bp2mi.example.test/berita/fgd-pengawasan-p3mi",
            None,
            Material.Visibility.PUBLIC,
        ),
    ]
    for name, url, item, visibility in links:
        if name not in have:
            materials.add_link(
                meeting, url=url, title=name, agenda_item=item, visibility=visibility, actor=organizer
            )
    return Material.objects.filter(meeting=meeting).count()
