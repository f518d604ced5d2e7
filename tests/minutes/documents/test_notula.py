"""The Notula read back with python-docx: every cell of the heading fields, the recommendation
and action tables, the repeated header rows, the page fields, the properties, rich text, both
languages, and hostile input that must stay text."""

import pytest
from docx.oxml.ns import qn

from minutes.documents import notula
from minutes.documents.toolkit import safe
from minutes.models import Minutes, Point, Section

from .conftest import approve, read

pytestmark = pytest.mark.django_db

FIELDS_ID = [
    ["Sidang/Rapat", ":", "FGD Pengawasan P3MI"],
    ["Hari/Tanggal", ":", "Senin, 22 September 2031 – Selasa, 23 September 2031"],
    ["Surat Undangan", ":", "B.123/DITPP/IX/2031, 1 September 2031"],
    [
        "Waktu Sidang/Rapat",
        ":",
        "Senin, 22 September 2031: 09.00–15.00 WIB\nSelasa, 23 September 2031: 09.00–12.00 WIB",
    ],
    ["Acara", ":", "1.\tPembukaan\n2.\tPaparan Narasumber"],
    ["Pimpinan Sidang/Rapat", "", ""],
    ["Ketua", ":", "Lismia Elita"],
    ["Sekretaris", ":", "Sekretaris Rapat"],
    ["Pencatat", ":", "Notulis Rapat"],
    ["Peserta Sidang/Rapat", ":", "terlampir (daftar hadir)"],
    ["Kegiatan Sidang/Rapat", ":", ""],
]
FIELDS_EN = [
    ["Session/Meeting", ":", "FGD Pengawasan P3MI"],
    ["Day/Date", ":", "Monday, 22 September 2031 – Tuesday, 23 September 2031"],
    ["Invitation letter", ":", "B.123/DITPP/IX/2031, 1 September 2031"],
    [
        "Time of the meeting",
        ":",
        "Monday, 22 September 2031: 09:00–15:00 WIB\nTuesday, 23 September 2031: 09:00–12:00 WIB",
    ],
    ["Agenda items", ":", "1.\tPembukaan\n2.\tPaparan Narasumber"],
    ["Chairing the meeting", "", ""],
    ["Chair", ":", "Lismia Elita"],
    ["Secretary", ":", "Sekretaris Rapat"],
    ["Recorder", ":", "Notulis Rapat"],
    ["Participants of the meeting", ":", "attached (attendance list)"],
    ["Proceedings", ":", ""],
]


def cells(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def is_header(row) -> bool:
    trpr = row._tr.trPr
    return trpr is not None and trpr.find(qn("w:tblHeader")) is not None


def test_indonesian_fields_tables_and_signature(minutes):
    doc = read(notula.render(minutes, language="id"))
    fields, recommendations, actions, signature, *appendix = doc.tables
    assert cells(fields) == FIELDS_ID
    assert cells(recommendations) == [
        ["No", "Rekomendasi", "Ditujukan kepada", "Instrumen"],
        [
            "1.",
            "Membentuk tim pengawasan P3MI lintas instansi",
            "Badan Pelindungan Pekerja Migran Indonesia\nKementerian Ketenagakerjaan",
            "Keputusan",
        ],
        ["2.", "Menyusun SOP rujukan pengaduan", "-", "SOP atau alur proses"],
    ]
    assert cells(actions) == [
        ["No", "Tindak Lanjut", "Penanggung Jawab", "Tenggat"],
        [
            "1.",
            "Menyusun draf SK tim",
            "Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika",
            "31 Oktober 2031",
        ],
        ["2.", "Mengundang Kemenhub", "Rendra Setiawan (Kementerian Ketenagakerjaan)", "-"],
    ]
    for table in (recommendations, actions):
        assert [is_header(row) for row in table.rows] == [True, False, False]
    assert cells(signature) == [
        [
            "",
            "Jakarta, 23 September 2031\nPimpinan Sidang/Rapat,\nDirektur PP Kawasan Asia dan Afrika,"
            "\n\n\n\nLismia Elita\nNIP 197001011990032001",
        ]
    ]
    # The appendix: one Daftar Hadir per day, each a fields table and a list.
    assert len(appendix) == 4
    assert cells(appendix[1])[0] == ["No", "Nama", "Jabatan", "Instansi", "Kehadiran", "Tanda Tangan"]
    body = [p.text for p in doc.paragraphs]
    assert body[:4] == [
        "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
        "DIREKTORAT PELINDUNGAN DAN PEMBERDAYAAN KAWASAN ASIA DAN AFRIKA",
        "",
        "NOTULA",
    ]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "1. Kata Pembukaan",
        "2. Pembahasan",
        "2.1 Pembukaan",
        "2.2 Paparan Narasumber",
        "3. Keputusan",
        "3.1 Kesimpulan",
        "3.2 Rekomendasi",
        "3.3 Tindak Lanjut",
    ]
    assert body.count("Lampiran: Daftar Hadir") == 2
    assert "Narasumber: Rendra Setiawan (Direktur Bina Penempatan, Kementerian Ketenagakerjaan)" in body


def test_english_labels(minutes):
    doc = read(notula.render(minutes, language="en"))
    fields, recommendations, actions, *_rest = doc.tables
    assert cells(fields) == FIELDS_EN
    assert cells(recommendations)[0] == ["No.", "Recommendation", "Addressed to", "Instrument"]
    assert cells(recommendations)[1][3] == "Decision (keputusan)"
    assert cells(actions)[0] == ["No.", "Follow-up action", "Person or agency responsible", "Deadline"]
    assert cells(actions)[1][3] == "31 October 2031"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "1. Opening remarks",
        "2. Discussion by agenda item",
        "3. Decisions",
    ]
    assert doc.core_properties.language == "en-GB"
    assert [p.text for p in doc.sections[0].footer.paragraphs] == [
        "Minutes — FGD Pengawasan P3MI\tPage 1 of 1"
    ]


def test_page_x_of_y_fields_in_the_footer(minutes):
    doc = read(notula.render(minutes))
    footer = doc.sections[0].footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert footer.text == "Notula — FGD Pengawasan P3MI\tHalaman 1 dari 1"


def test_core_properties_page_and_fonts(minutes):
    doc = read(notula.render(minutes))
    props = doc.core_properties
    assert (props.title, props.subject, props.author, props.language) == (
        "Notula — FGD Pengawasan P3MI",
        minutes.meeting.theme or "FGD Pengawasan P3MI",
        "Notulis Rapat",
        "id-ID",
    )
    assert props.keywords == "notula, versi 1"
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert [
        round(m.cm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [2.0, 2.0, 3.0, 2.0]
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Arial"


def test_a_draft_says_draft_and_an_approved_version_does_not(minutes):
    doc = read(notula.render(minutes))
    assert [p.text for p in doc.sections[0].header.paragraphs] == ["DRAFT  Versi 1, draf: belum disetujui"]
    Minutes.objects.filter(pk=minutes.pk).update(state=Minutes.State.SUBMITTED)
    minutes.refresh_from_db()
    header = read(notula.render(minutes)).sections[0].header.paragraphs[0].text
    assert header.startswith("DRAFT  Versi 1, ")
    approve(minutes)
    assert [p.text for p in read(notula.render(minutes)).sections[0].header.paragraphs] == [""]


def test_rich_text_is_carried_faithfully(minutes):
    doc = read(notula.render(minutes))
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Rendra Setiawan (Direktur"))
    lead = paragraphs[start]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in lead.runs] == [
        ("Rendra Setiawan (Direktur Bina Penempatan, Kementerian Ketenagakerjaan): ", True, False),
        ("Perlu ", False, False),
        ("tim terpadu", True, False),
        (" dan ", False, False),
        ("rujukan", False, True),
        (" yang jelas:", False, False),
    ]
    items = paragraphs[start + 1 : start + 5]
    assert [(p.style.name, p.text) for p in items] == [
        ("List Bullet", "pengaduan di UPT"),
        ("List Bullet", "rujukan ke Kemlu"),
        ("List Number", "pertama"),
        ("List Number", "kedua"),
    ]
    # The numbered list has its own numbering, starting at 1.
    num_ids = {p._p.pPr.numPr.numId.val for p in items[2:]}
    assert len(num_ids) == 1
    numbering = doc.part.numbering_part.element
    num_id = num_ids.pop()
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_two_numbered_lists_each_start_at_their_own_number(minutes):
    section = minutes.sections.get(kind="closing")
    Section.objects.filter(pk=section.pk).update(summary="1. satu\n2. dua\n\nTeks.\n\n3. tiga\n4. empat")
    doc = read(notula.render(minutes))
    numbered = [
        p
        for p in doc.paragraphs
        if p.style.name == "List Number" and p.text in ("satu", "dua", "tiga", "empat")
    ]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    numbering = doc.part.numbering_part.element
    starts = [
        next(n for n in numbering.num_lst if n.numId == i)
        .find(qn("w:lvlOverride"))
        .find(qn("w:startOverride"))
        .get(qn("w:val"))
        for i in (ids[0], ids[2])
    ]
    assert starts == ["1", "3"]
    assert "4. Penutup" in [p.text for p in doc.paragraphs]


def test_without_the_attendance_list_the_agencies_are_named_not_the_people(minutes):
    doc = read(notula.render(minutes, with_attendance=False))
    fields = cells(doc.tables[0])
    assert fields[9] == [
        "Peserta Sidang/Rapat",
        ":",
        "1.\tBP3MI Bali\n2.\tKementerian Ketenagakerjaan\n3.\tKementerian Luar Negeri",
    ]
    everything = "\n".join(
        [p.text for p in doc.paragraphs] + [c for t in doc.tables for r in cells(t) for c in r]
    )
    for name in ("Budi Santoso", "Citra Lestari", "Agus Wirawan", "+6281234567890", "@example.test"):
        assert name not in everything
    assert len(doc.tables) == 4


def _structure(doc):
    return (
        [p.style.name for p in doc.paragraphs],
        [(len(t.rows), len(t.columns)) for t in doc.tables],
    )


HOSTILE = "<w:p><w:r><w:t>x</w:t></w:r></w:p> {{ x }} {% if %} ]]> &amp; \"'\x07\x1b\ufffe"


def test_hostile_input_stays_text_and_changes_no_structure(minutes):
    plain = _structure(read(notula.render(minutes)))
    # Written past the services (which clean texts) to be sure the document cleans them itself.
    Minutes.objects.filter(pk=minutes.pk).update(
        invitation_reference=HOSTILE, chair_name=HOSTILE, signer_name=HOSTILE, signer_position=HOSTILE
    )
    point = Point.objects.filter(section__minutes=minutes, speaker_name="Lismia Elita").get()
    Point.objects.filter(pk=point.pk).update(text=HOSTILE, speaker_name=HOSTILE)
    minutes.recommendations.filter(order=1).update(text=HOSTILE)
    minutes.actions.filter(order=1).update(text=HOSTILE)
    minutes.refresh_from_db()
    doc = read(notula.render(minutes))
    assert _structure(doc) == plain
    shown = safe(HOSTILE)
    assert shown == "<w:p><w:r><w:t>x</w:t></w:r></w:p> {{ x }} {% if %} ]]> &amp; \"'"
    fields = cells(doc.tables[0])
    assert fields[2][2] == shown
    assert fields[6][2] == shown
    assert cells(doc.tables[1])[2][1] == shown
    assert cells(doc.tables[2])[2][1] == shown
    assert f"{shown}: {shown}" in [p.text for p in doc.paragraphs]
    assert f"\n{shown}\nNIP 197001011990032001" in cells(doc.tables[3])[0][1]


def test_long_texts_are_kept_whole(minutes):
    long = ("Pengawasan P3MI lintas instansi. " * 700)[:20_000]
    section = minutes.sections.get(kind="opening")
    Section.objects.filter(pk=section.pk).update(summary=long)
    minutes.recommendations.filter(order=0).update(text=long)
    doc = read(notula.render(minutes))
    assert long.strip() in [p.text for p in doc.paragraphs]
    assert cells(doc.tables[1])[1][1] == long.strip()
    # Rows are kept on one page (cantSplit), except one too long for a page: it breaks across.
    rows = doc.tables[1].rows
    kept = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows]
    assert kept == [False, False, True]


def test_filename_is_ascii_and_slugified(minutes):
    type(minutes.meeting).objects.filter(pk=minutes.meeting.pk).update(
        title="Rapat Koordinasi: “Pengawasan” P3MI / 2031 é"
    )
    minutes.meeting.refresh_from_db()
    assert notula.filename(minutes, "id") == "notula-rapat-koordinasi-pengawasan-p3mi-2031-e-v1-draft.docx"
    approve(minutes)
    assert notula.filename(minutes, "en") == "minutes-rapat-koordinasi-pengawasan-p3mi-2031-e-v1-en.docx"


def test_queries_do_not_grow_with_the_content(minutes, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as small:
        notula.render(minutes)
    for n in range(30):
        Point.objects.create(
            section=minutes.sections.get(kind="opening"), text=f"Poin {n}", speaker_name="X", order=n + 10
        )
    minutes.recommendations.first().addressed_to.add(
        *list(minutes.recommendations.first().addressed_to.all())
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        notula.render(minutes)


# The speakers' materials (Daftar Materi) -----------------------------------------------------------


@pytest.fixture
def with_materials(minutes, organizer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from materials.services import materials as material_services
    from materials.services import upload_links

    meeting = minutes.meeting
    item = meeting.days.order_by("date").first().items.get(order=2)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    link = upload_links.create(meeting, agenda_item=item, actor=organizer)
    for visibility, title in (("staff", "Catatan internal"), ("participants", "Paparan Kemnaker")):
        material_services.add_file(
            meeting,
            upload=SimpleUploadedFile(f"{title}.pdf", pdf * 20),
            title=title,
            agenda_item=item,
            visibility=visibility,
            upload_link=link if visibility == "participants" else None,
            actor=organizer,
        )
    material_services.add_link(
        meeting,
        url="https://example.test/rekaman?hari=1&x=<y>",
        title="Rekaman Zoom",
        visibility="public",
        actor=organizer,
    )
    return minutes


def materials_table(doc):
    found = [t for t in doc.tables if cells(t)[0][:2] == ["No", "Judul"]]
    return cells(found[0]) if found else None


def test_the_materials_appendix_lists_what_each_audience_may_see(with_materials):
    from tests.factories import move_days_to_the_past

    minutes = with_materials
    staff = read(notula.render(minutes, audience="staff"))
    participants = read(notula.render(minutes, audience="participants", with_attendance=False))

    assert materials_table(staff) == [
        ["No", "Judul", "Butir agenda", "Narasumber/Pengunggah", "Jenis", "Ukuran"],
        [
            "1.",
            "Rekaman Zoom\nhttps://example.test/rekaman?hari=1&x=<y>",
            "Rapat secara keseluruhan",
            "Lismia Elita",
            "Tautan",
            "-",
        ],
        [
            "2.",
            "Catatan internal\nCatatan internal.pdf",
            "Paparan Narasumber",
            "Lismia Elita",
            "PDF",
            "1,5\xa0KB",
        ],
        [
            "3.",
            "Paparan Kemnaker\nPaparan Kemnaker.pdf",
            "Paparan Narasumber",
            "Rendra Setiawan",
            "PDF",
            "1,5\xa0KB",
        ],
    ]
    assert [p.text for p in staff.paragraphs].count("Lampiran: Daftar Materi") == 1
    assert [row[0] for row in materials_table(participants)] == ["No", "1.", "2."]
    assert "Catatan internal" not in "".join(c for row in materials_table(participants) for c in row)
    # The public sees public materials only, and only once the meeting has ended.
    assert materials_table(read(notula.render(minutes, with_attendance=False))) is None
    type(minutes.meeting).objects.filter(pk=minutes.meeting_id).update(status="held")
    move_days_to_the_past(minutes.meeting)
    minutes.meeting.refresh_from_db()
    public = materials_table(read(notula.render(minutes, with_attendance=False)))
    assert [row[1] for row in public] == ["Judul", "Rekaman Zoom\nhttps://example.test/rekaman?hari=1&x=<y>"]


def test_a_notula_without_materials_has_no_materials_appendix(minutes):
    doc = read(notula.render(minutes, audience="staff"))
    assert materials_table(doc) is None
    assert "Lampiran: Daftar Materi" not in [p.text for p in doc.paragraphs]


def test_hostile_material_titles_stay_text_in_the_appendix(with_materials):
    from materials.models import Material

    Material.objects.filter(title="Catatan internal").update(title=HOSTILE)
    doc = read(notula.render(with_materials, audience="staff", language="en"))
    rows = materials_table_en(doc)
    assert rows[2][1] == f"{safe(HOSTILE)}\nCatatan internal.pdf"
    assert rows[0] == ["No.", "Title", "Agenda item", "Speaker or uploader", "Type", "Size"]


def materials_table_en(doc):
    return next(cells(t) for t in doc.tables if cells(t)[0][:2] == ["No.", "Title"])


def test_libreoffice_renders_the_materials_appendix(with_materials):
    from tests import libreoffice

    text = libreoffice.pdf_text(
        notula.render(with_materials, audience="staff", with_attendance=False), "notula-materi"
    )

    last = [p for p in text.split("\f") if p.strip()][-1]
    assert "Lampiran: Daftar Materi" in last
    for shown in (
        "Rekaman Zoom",
        "https://example.test/",  # the rest wraps in its narrow column
        "Paparan Kemnaker",
        "Rendra",
    ):
        assert shown in last
