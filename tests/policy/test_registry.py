"""The recommendations registry: who sees which recommendations, the filters, the search, the
exports and the page's query count."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Meeting
from minutes.models import Minutes, Recommendation, Section, Theme
from tests.conftest import login
from tests.factories import (
    AgendaItemFactory,
    MeetingDayFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

URL = reverse("policy:registry")


def make_meeting(organizer, day: date, title: str) -> Meeting:
    m = MeetingFactory(title=title, organizers=[organizer], status=Meeting.Status.CLOSED)
    MeetingDayFactory(meeting=m, date=day)
    m.refresh_from_db()
    return m


def make_minutes(meeting: Meeting, state=Minutes.State.APPROVED, version: int = 1) -> Minutes:
    return Minutes.objects.create(meeting=meeting, state=state, version=version)


def make_rec(minutes: Minutes, text: str, *, themes=(), addressed_to=(), **fields) -> Recommendation:
    rec = Recommendation.objects.create(minutes=minutes, text=text, **fields)
    rec.themes.set(themes)
    rec.addressed_to.set(addressed_to)
    return rec


def texts(response) -> list[str]:
    return [r.text for r in response.context["recommendations"]]


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


@pytest.fixture
def world(organizer, other_organizer):
    """Two organizers' meetings: approved, draft and superseded minutes, each with recommendations."""
    own = make_meeting(organizer, date(2021, 9, 20), "FGD Pengawasan P3MI")
    theirs = make_meeting(other_organizer, date(2022, 3, 10), "Rakor Pelindungan ABK")
    draft = make_meeting(other_organizer, date(2023, 5, 2), "Rapat Draf")
    old = make_minutes(own, Minutes.State.SUPERSEDED, version=1)
    own_minutes = make_minutes(own, Minutes.State.APPROVED, version=2)
    make_rec(old, "Versi lama yang sudah dikoreksi")
    item = AgendaItemFactory(day=own.days.get(), title="Paparan Narasumber")
    section = Section.objects.create(minutes=own_minutes, title="Paparan Narasumber", agenda_item=item)
    kemnaker, kemlu = (
        OrganizationFactory(name="Kementerian Ketenagakerjaan"),
        OrganizationFactory(name="Kementerian Luar Negeri"),
    )
    pengawasan = Theme.objects.create(name="Pengawasan", slug="pengawasan")
    pelindungan = Theme.objects.create(name="Pelindungan", slug="pelindungan")
    speaker = PersonFactory(full_name="Dr. Nurhayati")
    return {
        "own": own,
        "theirs": theirs,
        "kemnaker": kemnaker,
        "kemlu": kemlu,
        "pengawasan": pengawasan,
        "pelindungan": pelindungan,
        "section": section,
        "item": item,
        "a": make_rec(
            own_minutes,
            "Perkuat pengawasan perusahaan penempatan",
            rationale="Banyak pelanggaran izin di daerah",
            section=section,
            themes=[pengawasan],
            addressed_to=[kemnaker],
            instrument=Recommendation.Instrument.REGULATION,
            priority=Recommendation.Priority.HIGH,
            proposed_by_person=speaker,
        ),
        "b": make_rec(
            make_minutes(theirs),
            "Satu data awak kapal perikanan",
            rationale="Data tersebar di banyak instansi",
            themes=[pelindungan],
            addressed_to=[kemlu],
            instrument=Recommendation.Instrument.PROGRAMME,
            priority=Recommendation.Priority.LOW,
        ),
        "draft": make_rec(make_minutes(draft, Minutes.State.DRAFT), "Rahasia draf belum disetujui"),
    }


# Who sees what ------------------------------------------------------------------------------


def test_registry_anonymous_goes_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_registry_analyst_sees_approved_minutes_only(client, analyst, world):
    response = login(client, analyst).get(URL)

    assert response.status_code == 200
    # Newest meeting first; the draft and the superseded version stay out.
    assert texts(response) == ["Satu data awak kapal perikanan", "Perkuat pengawasan perusahaan penempatan"]
    assert "Rahasia draf" not in response.content.decode()
    assert "Versi lama" not in response.content.decode()


def test_registry_organizer_sees_own_meetings_only(client, organizer, world):
    response = login(client, organizer).get(URL)
    page = response.content.decode()

    assert texts(response) == ["Perkuat pengawasan perusahaan penempatan"]
    assert "Satu data awak kapal" not in page
    assert "Rakor Pelindungan ABK" not in page  # not even in the meeting filter's choices
    assert "Rahasia draf" not in page


def test_registry_organizer_sees_own_drafts(client, other_organizer, world):
    response = login(client, other_organizer).get(URL)

    assert sorted(texts(response)) == ["Rahasia draf belum disetujui", "Satu data awak kapal perikanan"]


def test_registry_csv_never_carries_another_organizers_recommendation(client, organizer, world):
    response = login(client, organizer).get(URL, {"format": "csv"})
    content = response.content.decode("utf-8-sig")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Perkuat pengawasan perusahaan penempatan" in content
    assert "Satu data awak kapal" not in content
    assert "Rahasia draf" not in content


def test_registry_plain_user_sees_none(client, plain_user, world):
    response = login(client, plain_user).get(URL)

    assert response.status_code == 200
    assert texts(response) == []
    assert "Perkuat pengawasan" not in response.content.decode()
    csv_rows = list(
        csv.reader(
            io.StringIO(login(client, plain_user).get(URL, {"format": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert len(csv_rows) == 1  # the header only


def test_registry_links_to_meeting_and_agenda_item_and_names_proposer(client, organizer, world):
    page = login(client, organizer).get(URL).content.decode()

    assert f'href="{world["own"].urls.detail}"' in page
    assert f'href="{world["own"].urls.agenda}#item-{world["item"].pk}"' in page
    assert "Dr. Nurhayati" in page
    assert "Kementerian Ketenagakerjaan" in page
    assert "Banyak pelanggaran izin di daerah" in page


def test_registry_analyst_links_to_public_meeting_page(client, analyst, world):
    page = login(client, analyst).get(URL).content.decode()

    assert f'href="{world["own"].urls.public}"' in page
    assert world["own"].urls.detail not in page


def test_registry_navigation_link_for_analysts_and_organizers_only(client, analyst, organizer, plain_user):
    assert URL in login(client, analyst).get(reverse("dashboard")).content.decode()
    assert URL in login(client, organizer).get(reverse("dashboard")).content.decode()
    assert URL not in login(client, plain_user).get(reverse("dashboard")).content.decode()


# Filters and search -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "pengawasan"}, ["a"]),
        ({"theme": "pelindungan"}, ["b"]),
        ({"addressed_to": "kemlu"}, ["b"]),
        ({"instrument": "regulation"}, ["a"]),
        ({"priority": "low"}, ["b"]),
        ({"meeting": "theirs"}, ["b"]),
        ({"date_from": "2022-01-01"}, ["b"]),
        ({"date_to": "2021-12-31"}, ["a"]),
        ({"date_from": "2021-09-20", "date_to": "2021-09-20"}, ["a"]),
        ({"q": "pengawasan"}, ["a"]),
        ({"q": "PERIKANAN"}, ["b"]),  # any case
        ({"q": "instansi"}, ["b"]),  # the rationale too
        ({"q": "banyak izin"}, ["a"]),  # every word, across text and rationale
        ({"q": "banyak"}, ["b", "a"]),
        ({"q": "tidakada"}, []),
        ({"sort": "oldest"}, ["a", "b"]),
        ({"sort": "priority"}, ["a", "b"]),
    ],
)
def test_registry_filters_narrow(client, analyst, world, params, expected):
    # Choices by their name in `world`, turned into primary keys.
    query = {k: world[v].pk if k in ("theme", "addressed_to", "meeting") else v for k, v in params.items()}

    response = login(client, analyst).get(URL, query)

    assert response.status_code == 200
    assert texts(response) == [world[k].text for k in expected]


def test_registry_sort_by_priority_puts_high_first(client, analyst, world):
    Recommendation.objects.filter(pk=world["b"].pk).update(priority=Recommendation.Priority.HIGH)
    Recommendation.objects.filter(pk=world["a"].pk).update(priority=Recommendation.Priority.LOW)

    response = login(client, analyst).get(URL, {"sort": "priority"})

    assert texts(response) == [world["b"].text, world["a"].text]


def test_registry_filters_export_the_same_set(client, analyst, world):
    response = login(client, analyst).get(URL, {"theme": world["pelindungan"].pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert [row[4] for row in rows[1:]] == ["Satu data awak kapal perikanan"]
    assert rows[1][1] == "Rakor Pelindungan ABK"
    assert rows[1][6] == str(world["kemlu"])


def test_registry_meeting_choice_of_another_organizer_is_refused(client, organizer, world):
    response = login(client, organizer).get(URL, {"meeting": world["theirs"].pk})

    # An invalid choice filters nothing more, and shows nothing of the other meeting.
    assert texts(response) == ["Perkuat pengawasan perusahaan penempatan"]
    assert "Satu data awak kapal" not in response.content.decode()


# Exports ------------------------------------------------------------------------------------


def test_registry_exports_neutralise_formulas(client, analyst, world):
    Recommendation.objects.filter(pk=world["a"].pk).update(text="=cmd|' /C calc'!A0", rationale="+SUM(A1)")

    csv_response = login(client, analyst).get(URL, {"format": "csv", "priority": "high"})
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert (rows[1][4], rows[1][5]) == ("'=cmd|' /C calc'!A0", "'+SUM(A1)")

    xlsx_response = client.get(URL, {"format": "xlsx", "priority": "high"})
    assert xlsx_response["Content-Disposition"] == 'attachment; filename="recommendations.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    cell = sheet.cell(row=2, column=5)
    assert (cell.value, cell.data_type) == ("=cmd|' /C calc'!A0", "s")


# Queries ------------------------------------------------------------------------------------


def _page_queries(client, user, count: int) -> int:
    meeting = make_meeting(user, date(2024, 1, 15), f"Rapat {count}")
    minutes = make_minutes(meeting)
    section = Section.objects.create(
        minutes=minutes, title="Sesi", agenda_item=AgendaItemFactory(day=meeting.days.get())
    )
    theme = Theme.objects.get_or_create(name="Tata kelola", slug="tata-kelola")[0]
    for n in range(count):
        make_rec(
            minutes,
            f"Rekomendasi {n}",
            section=section,
            themes=[theme],
            addressed_to=[OrganizationFactory()],
            proposed_by_person=PersonFactory(),
        )
    client.force_login(user)
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert len(response.context["recommendations"]) == min(count, 25)
    return len(queries)


def test_registry_query_count_does_not_grow_with_rows(client, db):
    few = _page_queries(client, UserFactory(email="a@example.test", can_organize=True), 5)
    many = _page_queries(client, UserFactory(email="b@example.test", can_organize=True), 30)

    assert few == many


def test_registry_page_is_in_indonesian(client, analyst, world):
    page = login(client, analyst).get(URL).content.decode()

    # Labels whose msgids the catalogue already has; the page's new strings (its heading, the
    # export buttons, the sort choices) are translated later and not asserted here.
    assert "Ditujukan kepada" in page  # Addressed to
    assert "Peraturan" in page  # the instrument Regulation
    assert "Tinggi" in page  # the priority High


@pytest.mark.postgres
def test_search_uses_the_gin_index_on_postgresql(db):
    """The index's expression is the one the search query uses: PostgreSQL plans a bitmap scan on
    it (with sequential scans off, as a large table would make it choose)."""
    from minutes.models import Recommendation as Rec
    from policy.services.search import search

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'policy_recommendation_search'")
        assert "gin" in cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = search(Rec.objects.only("pk"), "pengawasan").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "policy_recommendation_search" in plan
