"""Policy-input documents: who may use them, choosing recommendations (by hand, by the registry's
filters), drafting, saving versions (never overwriting, stale saves refused) and the downloads."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document

from core.models import AuditEntry
from meetings.models import Meeting
from minutes.models import Minutes, Recommendation, Section, Theme
from policy.documents import filename
from policy.models import PolicyBrief, PolicyBriefVersion, State, Tracking
from policy.services import briefs
from tests.conftest import login
from tests.factories import (
    AgendaItemFactory,
    MeetingDayFactory,
    MeetingFactory,
    MeetingHostFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

LIST = reverse("policy:briefs")
CREATE = reverse("policy:brief_create")


def make_meeting(organizer, days: list[date], title: str, **fields) -> Meeting:
    m = MeetingFactory(title=title, organizers=[organizer], status=Meeting.Status.CLOSED, **fields)
    for day in days:
        MeetingDayFactory(meeting=m, date=day)
    m.refresh_from_db()
    return m


def make_rec(minutes, text, *, themes=(), addressed_to=(), **fields) -> Recommendation:
    rec = Recommendation.objects.create(minutes=minutes, text=text, **fields)
    rec.themes.set(themes)
    rec.addressed_to.set(addressed_to)
    return rec


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


@pytest.fixture
def other_analyst(db):
    return UserFactory(email="analis2@example.test", full_name="Analis Kedua", is_policy_analyst=True)


@pytest.fixture
def world(organizer, other_organizer):
    """The 2021 FGD (approved minutes, a speaker, two recommendations), another organizer's
    meeting (approved, one recommendation) and an organizer's draft minutes (one recommendation
    only its organizer sees)."""
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    ditpp = OrganizationFactory(
        name="Direktorat Pelindungan dan Pemberdayaan Kawasan Asia dan Afrika", parent=bp2mi
    )
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    fgd = make_meeting(
        organizer,
        [date(2021, 9, 20), date(2021, 9, 21)],
        "FGD Pengawasan P3MI",
        theme="Peningkatan Sinergi dan Koordinasi Multi Stakeholder",
        background="7.848 pengaduan diterima Crisis Center BP2MI sejak 2019.",
        venue_name="Kantor BP2MI",
        venue_room="Ruang Rapat Lantai 2",
        venue_address="Jakarta",
        mode=Meeting.Mode.HYBRID,
    )
    MeetingHostFactory(meeting=fgd, organization=ditpp, role="organizer")
    rakor = make_meeting(
        other_organizer,
        [date(2022, 3, 10)],
        "Rakor Pelindungan ABK",
        theme="",
        background="Awak kapal perikanan bekerja tanpa data terpadu.",
        mode=Meeting.Mode.ONLINE,
    )
    hidden = make_meeting(organizer, [date(2023, 5, 2)], "Rapat Draf")
    fgd_minutes = Minutes.objects.create(meeting=fgd, state=Minutes.State.APPROVED, version=1)
    item = AgendaItemFactory(day=fgd.days.order_by("date").first(), title="Paparan Narasumber")
    section = Section.objects.create(
        minutes=fgd_minutes,
        title="Paparan Narasumber",
        agenda_item=item,
        roles=[
            {
                "role": "speaker",
                "name": "Rendra Setiawan",
                "position": "Direktur Bina Penempatan dan Pelindungan PMI",
                "organization": "Kementerian Ketenagakerjaan",
            },
            {"role": "moderator", "name": "Dewi Anggraini", "position": "", "organization": ""},
        ],
    )
    pengawasan = Theme.objects.create(name="Pengawasan", slug="pengawasan")
    pelindungan = Theme.objects.create(name="Pelindungan", slug="pelindungan")
    watratan = PersonFactory(full_name="F.X. Watratan", organization=kemnaker)
    a = make_rec(
        fgd_minutes,
        "Perkuat **pengawasan** perusahaan penempatan",
        rationale="Banyak pelanggaran izin P3MI di daerah.",
        section=section,
        themes=[pengawasan],
        addressed_to=[kemnaker],
        instrument=Recommendation.Instrument.REGULATION,
        proposed_by_person=watratan,
        order=0,
    )
    c = make_rec(
        fgd_minutes,
        "Susun SOP rujukan pengaduan",
        rationale="Rujukan pengaduan antarinstansi belum baku.",
        section=section,
        themes=[pengawasan, pelindungan],
        addressed_to=[kemnaker, kemlu],
        instrument=Recommendation.Instrument.SOP,
        order=1,
    )
    b = make_rec(
        Minutes.objects.create(meeting=rakor, state=Minutes.State.APPROVED, version=1),
        "Satu data awak kapal perikanan",
        rationale="Data tersebar di banyak instansi.",
        themes=[pelindungan],
        addressed_to=[kemlu],
        instrument=Recommendation.Instrument.PROGRAMME,
    )
    draft = make_rec(
        Minutes.objects.create(meeting=hidden, state=Minutes.State.DRAFT, version=1),
        "Rahasia draf belum disetujui",
    )
    Tracking.objects.create(
        key=a.key, state=State.IN_PROGRESS, due_on=timezone.localdate() - timedelta(days=3)
    )
    return {
        "fgd": fgd,
        "rakor": rakor,
        "a": a,
        "b": b,
        "c": c,
        "draft": draft,
        "kemnaker": kemnaker,
        "kemlu": kemlu,
        "pengawasan": pengawasan,
        "pelindungan": pelindungan,
        "section": section,
    }


@pytest.fixture
def brief(analyst, world):
    return briefs.create_brief(
        analyst,
        "Masukan Kebijakan Pengawasan P3MI",
        "id",
        [str(world[k].key) for k in ("a", "b", "c")],
    )


def keys_of(world, *names) -> list[str]:
    return [str(world[n].key) for n in names]


def edit_data(version: int, **fields) -> dict:
    data = {
        "based_on": str(version),
        "title": "Masukan Kebijakan Pengawasan P3MI",
        "summary": "Ringkasan baru",
        "background": "Latar belakang baru",
        "finding-pengawasan": "Temuan pengawasan",
        "finding-pelindungan": "Temuan pelindungan",
        "closing": "Penutup baru",
    }
    data.update(fields)
    return data


# Who may use them ---------------------------------------------------------------------------


def urls_of(brief) -> list[str]:
    return [
        LIST,
        CREATE,
        reverse("policy:brief", args=[brief.pk]),
        reverse("policy:brief_versions", args=[brief.pk]),
        reverse("policy:brief_document", args=[brief.pk]),
    ]


def test_briefs_anonymous_goes_to_login(client, brief):
    for url in urls_of(brief):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ["organizer", "plain_user"])
def test_briefs_forbidden_to_organizer_and_plain_user(client, brief, who, request):
    user = request.getfixturevalue(who)
    login(client, user)
    for url in urls_of(brief):
        assert client.get(url).status_code == 403, url
    response = client.post(CREATE, {"title": "X", "language": "id", "key": [brief.keys[0]]})

    assert response.status_code == 403
    assert PolicyBrief.objects.count() == 1


def test_briefs_open_to_analysts_and_superusers(client, brief, other_analyst):
    admin = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    for user in (other_analyst, admin):
        login(client, user)
        for url in urls_of(brief):
            assert client.get(url).status_code == 200, (user, url)


def test_brief_list_shows_title_count_and_last_version(client, analyst, brief):
    response = login(client, analyst).get(LIST)

    assert [b.pk for b in response.context["briefs"]] == [brief.pk]
    row = response.context["briefs"][0]
    assert (row.last_number, row.last_saved_by, len(row.keys)) == (1, "Analis Kebijakan", 3)
    content = response.content.decode()
    assert "Masukan Kebijakan Pengawasan P3MI" in content
    assert "versi 1" in content


# Choosing and creating ------------------------------------------------------------------------


def test_create_by_hand_shows_the_chosen_and_drafts_version_one(client, analyst, world):
    login(client, analyst)
    keys = keys_of(world, "b", "a")
    page = client.get(CREATE, {"key": keys})

    assert page.status_code == 200
    assert [r.text for r in page.context["recommendations"]] == [world["a"].text, world["b"].text]
    response = client.post(CREATE, {"title": "  Bahan Masukan ABK  ", "language": "en", "key": keys})

    brief = PolicyBrief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:brief", args=[brief.pk])
    assert (brief.title, brief.language, brief.keys, brief.created_by) == (
        "Bahan Masukan ABK",
        "en",
        keys,
        analyst,
    )
    version = brief.versions.get()
    assert (version.number, version.title, version.saved_by) == (1, "Bahan Masukan ABK", analyst)
    # Drafted in the document's language.
    assert version.summary.startswith("This document brings together 2 recommendations from 2 meetings.")
    assert set(version.findings) == {"pengawasan", "pelindungan"}
    entry = AuditEntry.objects.get(action="policy.brief_created")
    assert (entry.actor, entry.object_id) == (analyst, str(brief.pk))


def test_create_by_filter_resolves_the_registry_filters(client, analyst, world):
    login(client, analyst)
    page = client.get(CREATE, {"all": "1", "theme": world["pelindungan"].pk})

    assert [r.text for r in page.context["recommendations"]] == [world["c"].text, world["b"].text]
    form = page.context["form"]
    assert sorted(form.initial["key"]) == sorted(keys_of(world, "b", "c"))
    assert 'name="key"' in page.content.decode()


def test_create_by_filter_of_search_and_addressee(client, analyst, world):
    page = login(client, analyst).get(CREATE, {"all": "1", "addressed_to": world["kemnaker"].pk})

    assert [r.text for r in page.context["recommendations"]] == [world["a"].text, world["c"].text]


def test_drafted_sections_from_the_meetings(analyst, world):
    with translation.override("id"):
        draft = briefs.draft_sections(briefs.recommendations(analyst, keys_of(world, "a", "b", "c")))

    assert draft["summary"] == (
        "Dokumen ini menghimpun 3 rekomendasi dari 2 pertemuan. Rekomendasi terutama ditujukan "
        "kepada Kementerian Ketenagakerjaan; Kementerian Luar Negeri."
    )
    assert draft["background"].split("\n\n") == [
        "FGD Pengawasan P3MI (Senin, 20 September 2021 – Selasa, 21 September 2021): tema "
        "“Peningkatan Sinergi dan Koordinasi Multi Stakeholder”.",
        "7.848 pengaduan diterima Crisis Center BP2MI sejak 2019.",
        "Rakor Pelindungan ABK (Kamis, 10 Maret 2022).",
        "Awak kapal perikanan bekerja tanpa data terpadu.",
    ]
    assert draft["findings"] == {
        "pelindungan": "Rujukan pengaduan antarinstansi belum baku.\n\nData tersebar di banyak instansi.",
        "pengawasan": "Banyak pelanggaran izin P3MI di daerah.\n\nRujukan pengaduan antarinstansi belum baku.",
    }
    assert draft["closing"].startswith("Rekomendasi ini disampaikan sebagai bahan masukan")


def test_draft_minutes_recommendation_cannot_be_put_in_a_brief(client, analyst, organizer, world):
    # The organizer sees it (so it exists and could leak); the analyst does not.
    from policy.permissions import visible_recommendations

    assert visible_recommendations(organizer).filter(key=world["draft"].key).exists()
    login(client, analyst)
    page = client.get(CREATE, {"key": keys_of(world, "draft", "a")})

    assert [r.text for r in page.context["recommendations"]] == [world["a"].text]
    assert page.context["refused"] == 1
    assert "Rahasia draf" not in page.content.decode()
    response = client.post(CREATE, {"title": "Coba", "language": "id", "key": keys_of(world, "a", "draft")})

    assert response.status_code == 200
    assert PolicyBrief.objects.count() == 0
    assert response.context["form"].errors["key"] == [
        "1 rekomendasi yang dipilih tidak dikenal atau tidak tersedia bagi Anda: tidak ada yang "
        "dibuat. Pilih kembali rekomendasinya di daftar rekomendasi."
    ]
    assert "Rahasia draf" not in response.content.decode()
    with pytest.raises(briefs.ValidationError):
        briefs.create_brief(analyst, "Coba", "id", keys_of(world, "draft"))
    assert PolicyBrief.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "language": "id"},
        {"title": "   ", "language": "id"},
        {"title": "Judul", "language": "fr"},
        {"title": "Judul", "language": "id", "key": ["not-a-uuid"]},
        {"title": "Judul", "language": "id", "key": ["00000000-0000-0000-0000-000000000000"]},
        {"title": "Judul", "language": "id", "key": []},
        {"title": "x" * 301, "language": "id"},
    ],
)
def test_create_bad_input_changes_nothing(client, analyst, world, data):
    data = {"key": keys_of(world, "a"), **data}
    response = login(client, analyst).post(CREATE, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert (PolicyBrief.objects.count(), PolicyBriefVersion.objects.count()) == (0, 0)


def test_create_without_keys_sends_back_to_the_registry(client, analyst, world):
    response = login(client, analyst).get(CREATE)

    assert list(response.context["recommendations"]) == []
    assert reverse("policy:registry") in response.content.decode()


# Editing: every save a version ------------------------------------------------------------------


def test_edit_page_shows_prose_fields_and_generated_parts(client, analyst, brief, world):
    response = login(client, analyst).get(reverse("policy:brief", args=[brief.pk]))

    form = response.context["form"]
    assert list(form.fields) == [
        "based_on",
        "title",
        "summary",
        "background",
        "finding-pelindungan",
        "finding-pengawasan",
        "closing",
    ]
    assert form.initial["based_on"] == 1
    groups = response.context["addressees"]
    assert [
        (g.name, [(i.label, [r.number for r in i.recommendations]) for i in g.instruments]) for g in groups
    ] == [
        ("Kementerian Ketenagakerjaan", [("Peraturan", [1]), ("SOP atau alur proses", [2])]),
        ("Kementerian Luar Negeri", [("SOP atau alur proses", [2]), ("Program", [3])]),
    ]
    content = response.content.decode()
    assert (
        "Rendra Setiawan (Direktur Bina Penempatan dan Pelindungan PMI, Kementerian Ketenagakerjaan)"
        in content
    )
    assert "<strong>pengawasan</strong>" in content
    assert "Dewi Anggraini" not in content  # a moderator is no speaker
    assert reverse("policy:brief_document", args=[brief.pk]) + "?lang=en" in content


def test_each_save_is_a_new_version_and_old_versions_still_download(client, analyst, other_analyst, brief):
    url = reverse("policy:brief", args=[brief.pk])
    first = brief.versions.get()
    response = login(client, analyst).post(url, edit_data(1, title="Judul Kedua"))

    assert response.status_code == 302
    login(client, other_analyst).post(url, edit_data(2, summary="Ringkasan ketiga"))

    versions = list(brief.versions.order_by("number"))
    assert [(v.number, v.title, v.saved_by) for v in versions] == [
        (1, "Masukan Kebijakan Pengawasan P3MI", analyst),
        (2, "Judul Kedua", analyst),
        (3, "Masukan Kebijakan Pengawasan P3MI", other_analyst),
    ]
    assert versions[0].summary == first.summary  # never overwritten
    assert versions[2].findings == {"pelindungan": "Temuan pelindungan", "pengawasan": "Temuan pengawasan"}
    brief.refresh_from_db()
    assert brief.title == "Masukan Kebijakan Pengawasan P3MI"
    listing = client.get(reverse("policy:brief_versions", args=[brief.pk]))
    assert [v.number for v in listing.context["versions"]] == [3, 2, 1]
    old = client.get(reverse("policy:brief_document", args=[brief.pk]), {"version": "2", "lang": "en"})
    assert old.status_code == 200
    assert old["Content-Disposition"] == 'attachment; filename="policy-input-judul-kedua-v2-en.docx"'
    assert old["Cache-Control"].startswith("private, no-store")
    assert Document(io.BytesIO(old.content)).core_properties.title == "Judul Kedua"
    latest = client.get(reverse("policy:brief_document", args=[brief.pk]))
    assert latest["Content-Disposition"] == (
        'attachment; filename="masukan-kebijakan-masukan-kebijakan-pengawasan-p3mi-v3.docx"'
    )
    assert client.get(reverse("policy:brief_document", args=[brief.pk]), {"version": "9"}).status_code == 404
    assert client.get(reverse("policy:brief_document", args=[brief.pk]), {"version": "x"}).status_code == 404


def test_stale_save_is_refused_and_keeps_the_text(client, analyst, other_analyst, brief):
    url = reverse("policy:brief", args=[brief.pk])
    login(client, other_analyst).post(url, edit_data(1, summary="Disimpan lebih dulu"))
    response = login(client, analyst).post(url, edit_data(1, summary="Teks saya yang panjang"))

    assert response.status_code == 409
    assert [v.number for v in brief.versions.all()] == [2, 1]
    assert brief.versions.get(number=2).summary == "Disimpan lebih dulu"
    content = response.content.decode()
    assert "Analis Kedua menyimpan versi 2" in content
    assert "Teks saya yang panjang" in content
    # Saving again, knowingly, is based on the newer version and goes through.
    assert response.context["form"]["based_on"].value() == "2"
    again = client.post(url, edit_data(2, summary="Teks saya yang panjang"))
    assert again.status_code == 302
    assert brief.versions.get(number=3).summary == "Teks saya yang panjang"


def test_save_version_service_refuses_stale(analyst, brief):
    briefs.save_version(brief, analyst, 1, edit_data(1))
    with pytest.raises(briefs.StaleVersion) as error:
        briefs.save_version(brief, analyst, 1, edit_data(1))

    assert error.value.latest.number == 2
    assert brief.versions.count() == 2


def test_edit_bad_input_changes_nothing(client, analyst, brief):
    url = reverse("policy:brief", args=[brief.pk])
    login(client, analyst)
    for data in (edit_data(1, title=" "), edit_data(1, based_on="x"), {"summary": "x"}):
        response = client.post(url, data)

        assert response.status_code == 200
        assert response.context["form"].errors
    assert brief.versions.count() == 1


def test_brief_of_an_unknown_pk_is_404(client, analyst, db):
    assert login(client, analyst).get(reverse("policy:brief", args=[999])).status_code == 404


def test_viewer_sees_only_visible_recommendations_of_a_brief(client, organizer, world):
    # A superuser's brief may hold a draft's recommendation; an analyst never sees it there.
    admin = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    analyst = UserFactory(email="a3@example.test", is_policy_analyst=True)
    brief = briefs.create_brief(admin, "Campuran", "id", keys_of(world, "a", "draft"))
    response = login(client, analyst).get(reverse("policy:brief", args=[brief.pk]))

    assert [r.text for r in response.context["recommendations"]] == [world["a"].text]
    assert response.context["missing"] == 1
    assert "Rahasia draf" not in response.content.decode()
    # The shared prose was drafted from the approved minutes only.
    assert brief.versions.get().summary.startswith("Dokumen ini menghimpun 1 rekomendasi dari 1 pertemuan.")
    doc = client.get(reverse("policy:brief_document", args=[brief.pk]))
    text = "\n".join(
        c.text for t in Document(io.BytesIO(doc.content)).tables for r in t.rows for c in r.cells
    )
    assert "Perkuat" in text
    assert "Rahasia" not in text


def test_document_and_page_queries_do_not_grow_with_size(client, analyst, world):
    login(client, analyst)
    small = briefs.create_brief(analyst, "Kecil", "id", keys_of(world, "a"))
    minutes = world["a"].minutes
    many = [world["a"], world["b"], world["c"]]
    for n in range(6):
        many.append(
            make_rec(
                minutes,
                f"Tambahan {n}",
                section=world["section"],
                themes=[world["pengawasan"]],
                addressed_to=[world["kemlu"], OrganizationFactory()],
            )
        )
    big = briefs.create_brief(analyst, "Besar", "id", [str(r.key) for r in many])
    counts = {}
    for brief in (small, big):
        for name in ("brief", "brief_document"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(f"policy:{name}", args=[brief.pk])).status_code == 200
            counts[(brief.title, name)] = len(queries)

    assert counts[("Kecil", "brief")] == counts[("Besar", "brief")]
    assert counts[("Kecil", "brief_document")] == counts[("Besar", "brief_document")]


def test_filename_is_a_slug():
    brief = PolicyBrief(pk=7, title="x")
    version = PolicyBriefVersion(number=2, title="Masukan: <P3MI> & ABK!")

    assert filename(brief, version, "id") == "masukan-kebijakan-masukan-p3mi-abk-v2.docx"
    assert filename(brief, PolicyBriefVersion(number=1, title="!!!"), "en") == "policy-input-7-v1-en.docx"
