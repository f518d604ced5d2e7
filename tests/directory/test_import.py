"""CSV import of organizations: all or nothing, errors reported per line."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from directory import services
from directory.models import Organization
from tests.factories import OrganizationFactory

IMPORT_URL = reverse("directory:organization_import")


def upload(client, content: bytes, name="organisasi.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_import_page_explains_columns_and_offers_template(client, organizer):
    client.force_login(organizer)
    body = client.get(IMPORT_URL).content.decode()
    for column in services.CSV_COLUMNS:
        assert f"<code>{column}</code>" in body
    assert reverse("directory:organization_import_template") in body


def test_import_template_is_a_csv_the_importer_accepts(client, organizer):
    client.force_login(organizer)
    response = client.get(reverse("directory:organization_import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="organizations-template.csv"'
    report = services.import_organizations_csv(response.content, actor=organizer)
    assert report.errors == []
    assert sorted(o.name for o in Organization.objects.all()) == [
        "Badan Pelindungan Pekerja Migran Indonesia",
        "UPT BP2MI Jayapura",
        "UPT BP2MI Makassar",
    ]


def test_import_creates_rows_with_parents_by_name_acronym_and_earlier_row(client, organizer):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    client.force_login(organizer)
    content = (
        b"Name,Acronym,Kind,Parent,Timezone\n"
        b"Badan Pelindungan Pekerja Migran Indonesia,BP2MI,agency,,\n"
        b"UPT BP2MI Makassar,,regional_unit,bp2mi,Asia/Makassar\n"
        b"UPT BP2MI Jayapura,,Regional unit,Badan Pelindungan Pekerja Migran Indonesia,Asia/Jayapura\n"
        b"Ditjen Binapenta dan PKK,Binapenta,,KEMNAKER,\n"
    )
    response = upload(client, content)
    assert response.status_code == 302
    assert response.url == reverse("directory:organization_list")
    rows = {
        o.name: (o.acronym, o.kind, o.parent.name if o.parent else None, o.timezone)
        for o in Organization.objects.exclude(pk=kemnaker.pk)
    }
    bp2mi = "Badan Pelindungan Pekerja Migran Indonesia"
    assert rows == {
        bp2mi: ("BP2MI", "agency", None, "Asia/Jakarta"),
        "UPT BP2MI Makassar": ("", "regional_unit", bp2mi, "Asia/Makassar"),
        "UPT BP2MI Jayapura": ("", "regional_unit", bp2mi, "Asia/Jayapura"),
        "Ditjen Binapenta dan PKK": ("Binapenta", "other", "Kementerian Ketenagakerjaan", "Asia/Jakarta"),
    }
    assert AuditEntry.objects.filter(action="organization.imported", actor=organizer).count() == 4
    shown = list(client.get(response.url).context["messages"])
    assert [m.level_tag for m in shown] == ["success"]
    assert "4" in str(shown[0])


def test_import_reports_bad_rows_with_line_numbers_and_saves_nothing(client, organizer):
    OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    client.force_login(organizer)
    content = (
        b"name,acronym,kind,parent,timezone\n"
        b"Instansi Baik,IB,agency,,\n"
        b",X,agency,,\n"
        b"kementerian luar negeri,,ministry,,\n"
        b"Instansi Aneh,,planet,,\n"
        b"Instansi Jauh,,agency,Tidak Ada,Europe/Paris\n"
        b"Instansi Baik,,agency,,\n"
    )
    response = upload(client, content)
    assert response.status_code == 200
    report = response.context["report"]
    assert [line for line, _message in report.errors] == [3, 4, 5, 6, 7]
    assert "Tidak Ada" in dict(report.errors)[6]
    assert "Europe/Paris" in dict(report.errors)[6]
    assert Organization.objects.count() == 1
    assert AuditEntry.objects.filter(action="organization.imported").count() == 0
    assert 'id="import-errors"' in response.content.decode()


def test_import_rejects_non_utf8_file(client, organizer):
    client.force_login(organizer)
    response = upload(client, "name\nDinas Tenaga Kerja Sulawesi Selatan – Bagian Ü\n".encode("cp1252"))
    assert response.status_code == 200
    assert [line for line, _m in response.context["report"].errors] == [0]
    assert Organization.objects.count() == 0


def test_import_rejects_missing_name_header(client, organizer):
    client.force_login(organizer)
    response = upload(client, b"Kementerian Luar Negeri,Kemlu\nBP2MI,BP2MI\n")
    assert response.status_code == 200
    assert [line for line, _m in response.context["report"].errors] == [1]
    assert Organization.objects.count() == 0


def test_import_rejects_empty_file(client, organizer):
    client.force_login(organizer)
    response = upload(client, b"")
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert Organization.objects.count() == 0


def test_import_rejects_other_extension_and_large_file(client, organizer):
    client.force_login(organizer)
    response = upload(client, b"name\nA\n", name="organisasi.xlsx")
    assert list(response.context["form"].errors) == ["file"]
    response = upload(client, b"name\n" + b"x" * (1024 * 1024 + 1))
    assert list(response.context["form"].errors) == ["file"]
    assert Organization.objects.count() == 0


def test_import_reports_overlong_acronym(client, organizer):
    client.force_login(organizer)
    response = upload(client, ("name,acronym\nInstansi," + "A" * 60 + "\n").encode())
    assert [line for line, _m in response.context["report"].errors] == [2]
    assert Organization.objects.count() == 0


def test_import_line_numbers_count_multiline_fields(organizer):
    content = b'name,acronym\n"Instansi\nDua Baris",A\n,B\n'
    report = services.import_organizations_csv(content, actor=organizer)
    assert [line for line, _m in report.errors] == [4]


def test_import_forbidden_to_plain_user(client, plain_user):
    client.force_login(plain_user)
    response = upload(client, b"name\nInstansi Baru\n")
    assert response.status_code == 403
    assert Organization.objects.count() == 0


def test_import_accepts_utf8_with_bom_from_spreadsheets(organizer):
    content = "\ufeffname,acronym\nDinas Tenaga Kerja – Provinsi Sulawesi Selatan,Disnaker Sulsel\n".encode()
    report = services.import_organizations_csv(content, actor=organizer)
    assert report.errors == []
    assert list(Organization.objects.values_list("name", "acronym")) == [
        ("Dinas Tenaga Kerja – Provinsi Sulawesi Selatan", "Disnaker Sulsel")
    ]


def test_import_reports_a_field_over_the_csv_limit_on_its_line_and_checks_the_rest(client, organizer):
    client.force_login(organizer)
    content = b"name,acronym\nInstansi Satu,S\nInstansi Dua," + b"A" * (200 * 1024) + b"\n,Tanpa Nama\n"
    response = upload(client, content)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.errors == [
        (3, "baris ini memuat isian lebih dari 128 KiB"),
        (4, "nama kosong"),
    ]
    assert Organization.objects.count() == 0


def test_import_reports_a_nul_byte_on_its_line_and_saves_nothing(client, organizer):
    client.force_login(organizer)
    response = upload(client, b"name,acronym\nInstansi Satu,S\nInstansi\x00Dua,D\n")
    assert response.status_code == 200
    assert response.context["report"].errors == [(3, "baris ini memuat karakter NUL")]
    assert Organization.objects.count() == 0


def test_import_refuses_a_file_with_more_rows_than_the_cap_before_saving_any(client, organizer):
    client.force_login(organizer)
    rows = b"".join(b"Instansi %d\n" % n for n in range(services.IMPORT_MAX_ROWS + 1))
    response = upload(client, b"name\n" + rows)
    assert response.status_code == 200
    assert response.context["report"].errors == [
        (0, "Berkas memuat lebih dari 2.000 baris; bagi menjadi beberapa berkas.")
    ]
    assert Organization.objects.count() == 0


def test_import_accepts_a_file_of_exactly_the_cap(organizer):
    rows = b"".join(b"Instansi %d\n" % n for n in range(services.IMPORT_MAX_ROWS))
    report = services.import_organizations_csv(b"name\n" + rows, actor=organizer)
    assert report.errors == []
    assert Organization.objects.count() == services.IMPORT_MAX_ROWS
