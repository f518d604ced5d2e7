"""The statistics page: who sees it and whose figures, each chart's numbers on a hand-built
dataset, the CSV equal to the table, the charts' accessible names and the fixed query count."""

import csv
import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from meetings.models import Meeting
from minutes.models import Minutes, Recommendation
from participants.models import Attendance, Registration
from policy.models import State, Tracking
from policy.services import dashboard
from tests.conftest import login
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory, UserFactory

URL = reverse("policy:dashboard")
CHARTS = ("meetings", "participants", "attendance", "states", "addressees", "overdue")
JAKARTA = ZoneInfo("Asia/Jakarta")


def csv_url(chart: str) -> str:
    return reverse("policy:dashboard_csv", kwargs={"chart": chart})


def make_meeting(organizer, days, title, status=Meeting.Status.HELD, **fields) -> Meeting:
    m = MeetingFactory(title=title, organizers=[organizer], status=status, **fields)
    for day in days:
        MeetingDayFactory(meeting=m, date=day)
    m.refresh_from_db()
    return m


_seq = iter(range(1, 1_000_000))


def register(meeting, mode, state=Registration.State.CONFIRMED, *, org=None, typed="") -> Registration:
    n = next(_seq)
    return Registration.objects.create(
        meeting=meeting,
        full_name=f"Peserta {n}",
        email=f"peserta{n}@example.test",
        mode=mode,
        state=state,
        organization=org,
        organization_name=typed,
    )


def attend(registration, day, how) -> Attendance:
    return Attendance.objects.create(
        registration=registration,
        day=day,
        how=how,
        first_seen_at=datetime.combine(day.date, time(9), tzinfo=JAKARTA),
    )


def recommend(minutes, text, *, addressed_to=(), state=None, due=None, merged_into=None) -> Recommendation:
    rec = Recommendation.objects.create(minutes=minutes, text=text)
    rec.addressed_to.set(addressed_to)
    if state or due or merged_into:
        rec.tracking = Tracking.objects.create(
            key=rec.key, state=state or State.PROPOSED, due_on=due, merged_into=merged_into
        )
    return rec


def figure_rows(response, ident: str) -> list[list]:
    (figure,) = [f for f in response.context["figures"] if f.ident == ident]
    return figure.rows


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


@pytest.fixture
def world(organizer, other_organizer):
    """The organizer's held two-day FGD and a later meeting, the other organizer's meeting,
    a draft and a cancelled one; registrations, attendance and recommendations."""
    bp2mi = OrganizationFactory(name="Badan Pelindungan Pekerja Migran Indonesia", acronym="BP2MI")
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="")
    kkp = OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")

    fgd = make_meeting(organizer, [date(2021, 9, 20), date(2021, 9, 21)], "FGD Pengawasan P3MI")
    later = make_meeting(
        organizer, [date(2021, 11, 5)], "Rapat Tindak Lanjut", status=Meeting.Status.PUBLISHED
    )
    theirs = make_meeting(
        other_organizer, [date(2022, 3, 10)], "Rakor Pelindungan ABK", status=Meeting.Status.CLOSED
    )
    draft = make_meeting(organizer, [date(2021, 10, 1)], "Rapat Draf", status=Meeting.Status.DRAFT)
    cancelled = make_meeting(organizer, [date(2021, 10, 2)], "Rapat Batal", status=Meeting.Status.CANCELLED)
    day1, day2 = fgd.days.order_by("date")

    on, off = Registration.Mode.ONSITE, Registration.Mode.ONLINE
    b1, b2, b3 = (register(fgd, on, org=bp2mi) for _ in range(3))
    b_online = register(fgd, off, org=bp2mi)
    k1, k2 = register(fgd, off, org=kemnaker), register(fgd, off, org=kemnaker)
    upt = register(fgd, on, typed="UPT BP2MI Surabaya")
    gone = register(fgd, on, Registration.State.CANCELLED, org=bp2mi)
    register(fgd, on, Registration.State.PENDING, org=kemnaker)
    register(draft, on, org=bp2mi)
    register(cancelled, on, org=bp2mi)
    # Day 1: 3 of 4 on-site; 2 of 3 online (k1 by Zoom and by hand counts once).
    for r in (b1, b2, b3):
        attend(r, day1, Attendance.How.ONSITE)
    attend(k1, day1, Attendance.How.ZOOM)
    attend(k1, day1, Attendance.How.ONLINE)
    attend(k2, day1, Attendance.How.ZOOM)
    attend(gone, day1, Attendance.How.ONSITE)  # cancelled: not counted
    # Day 2: 2 of 4 on-site, 1 of 3 online.
    attend(b1, day2, Attendance.How.ONSITE)
    attend(upt, day2, Attendance.How.ONSITE)
    attend(b_online, day2, Attendance.How.ONLINE)

    (their_day,) = theirs.days.all()
    x1, _x2 = register(theirs, on, org=kkp), register(theirs, on, org=kkp)
    attend(x1, their_day, Attendance.How.ONSITE)

    own_minutes = Minutes.objects.create(meeting=fgd, state=Minutes.State.APPROVED)
    their_minutes = Minutes.objects.create(meeting=theirs, state=Minutes.State.APPROVED)
    r6 = recommend(
        their_minutes,
        "Rekomendasi rapat lain",
        addressed_to=[kkp],
        state=State.IN_PROGRESS,
        due=date(2022, 6, 1),
    )
    recs = {
        "r1": recommend(own_minutes, "Menyusun **pedoman** pengawasan", addressed_to=[kemnaker]),
        "r2": recommend(
            own_minutes,
            "Memperkuat pengawasan P3MI di daerah",
            addressed_to=[bp2mi, kemnaker],
            state=State.ACCEPTED,
            due=date(2021, 12, 1),
        ),
        "r3": recommend(
            own_minutes,
            "Sudah dilaksanakan",
            addressed_to=[bp2mi],
            state=State.IMPLEMENTED,
            due=date(2021, 12, 1),
        ),
        "r5": recommend(own_minutes, "Ditolak", state=State.REJECTED),
        "r6": r6,
    }
    # The same recommendation as r2, made again: counted once.
    recs["r4"] = recommend(
        own_minutes,
        "Pengawasan P3MI di daerah (lagi)",
        state=State.IN_PROGRESS,
        merged_into=recs["r2"].tracking,
    )
    # Merged into a recommendation of a meeting the organizer does not see: counted for them only.
    recs["r7"] = recommend(
        own_minutes, "Sama dengan rapat lain", addressed_to=[kemnaker], merged_into=r6.tracking
    )
    return {
        "fgd": fgd,
        "later": later,
        "theirs": theirs,
        "days": (day1, day2, their_day),
        "bp2mi": bp2mi,
        "kemnaker": kemnaker,
        "kkp": kkp,
        **recs,
    }


# Who


@pytest.mark.parametrize("url", [URL, csv_url("meetings")])
def test_dashboard_anonymous_goes_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [URL, csv_url("meetings")])
def test_dashboard_refuses_plain_user_and_secretary(client, plain_user, world, url):
    # A secretary without the organizer's role staffs a meeting but is not offered statistics.
    world["fgd"].secretaries.add(plain_user)
    assert login(client, plain_user).get(url).status_code == 403


def test_dashboard_unknown_chart_is_404(client, organizer):
    assert login(client, organizer).get(csv_url("passwords")).status_code == 404


def test_dashboard_is_never_cached(client, organizer, world):
    for url in (URL, csv_url("participants")):
        response = login(client, organizer).get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_dashboard_organizer_sees_only_own_meetings(client, organizer, world):
    # There is data that could leak: the analyst's page shows it.
    analyst = UserFactory(email="a@example.test", is_policy_analyst=True)
    page = login(client, analyst).get(URL).content.decode()
    assert "Kementerian Kelautan dan Perikanan" in page
    assert "Rakor Pelindungan ABK" in page
    client.logout()

    client = login(client, organizer)
    page = client.get(URL).content.decode()
    assert "Kementerian Kelautan dan Perikanan" not in page
    assert "KKP" not in page
    assert "Rakor Pelindungan ABK" not in page
    assert "Rekomendasi rapat lain" not in page
    for chart in CHARTS:
        content = client.get(csv_url(chart)).content.decode("utf-8-sig")
        assert "Kementerian Kelautan dan Perikanan" not in content
        assert "KKP" not in content
        assert "Rakor Pelindungan ABK" not in content


def test_dashboard_superuser_sees_what_the_analyst_sees(client, analyst, world):
    admin = UserFactory(email="admin@example.test", is_superuser=True, is_staff=True)
    as_analyst = login(client, analyst).get(URL)
    as_admin = login(client, admin).get(URL)
    for chart in ("meetings", "participants", "attendance"):
        assert figure_rows(as_admin, chart) == figure_rows(as_analyst, chart)
    assert ["Kementerian Kelautan dan Perikanan (KKP)", 2, 0, 2] in figure_rows(as_admin, "participants")


def test_dashboard_secretary_organizer_sees_meetings_they_record(client, other_organizer, world):
    world["fgd"].secretaries.add(other_organizer)
    response = login(client, other_organizer).get(URL)
    assert figure_rows(response, "participants")[0] == [
        "Badan Pelindungan Pekerja Migran Indonesia (BP2MI)",
        3,
        1,
        4,
    ]


# Each chart's numbers


def test_meetings_per_month_organizer(client, organizer, world):
    response = login(client, organizer).get(URL)
    # Draft (October) and cancelled meetings do not count; the empty month between is shown.
    assert figure_rows(response, "meetings") == [
        [date_format(date(2021, 9, 1), "F Y"), 1],
        [date_format(date(2021, 10, 1), "F Y"), 0],
        [date_format(date(2021, 11, 1), "F Y"), 1],
    ]


def test_meetings_per_month_analyst_sees_all(client, analyst, world):
    rows = figure_rows(login(client, analyst).get(URL), "meetings")
    assert [n for _label, n in rows] == [1, 0, 1, 0, 0, 0, 1]
    assert rows[-1][0] == date_format(date(2022, 3, 1), "F Y")


def test_meetings_per_month_over_years_lists_the_months_with_meetings(client, organizer, db):
    for year in (2019, 2020, 2021, 2022):
        make_meeting(organizer, [date(year, 6, 1)], f"Rapat {year}")
    rows = figure_rows(login(client, organizer).get(URL), "meetings")
    # More than 24 months apart: no run of empty months hides the first meetings.
    assert rows == [[date_format(date(year, 6, 1), "F Y"), 1] for year in (2019, 2020, 2021, 2022)]


def test_meetings_per_month_within_24_months_shows_every_month(client, organizer, db):
    make_meeting(organizer, [date(2020, 7, 1)], "Rapat pertama")
    make_meeting(organizer, [date(2022, 6, 1)], "Rapat terakhir")
    rows = figure_rows(login(client, organizer).get(URL), "meetings")
    assert len(rows) == 24
    assert rows[0] == [date_format(date(2020, 7, 1), "F Y"), 1]
    assert rows[-1] == [date_format(date(2022, 6, 1), "F Y"), 1]
    assert sum(n for _label, n in rows) == 2


def test_meetings_per_month_period_filter(client, organizer, world):
    client = login(client, organizer)
    response = client.get(URL, {"from": "2021-10-01", "until": "2021-12-31"})
    assert figure_rows(response, "meetings") == [[date_format(date(2021, 11, 1), "F Y"), 1]]
    # The FGD of September is outside the period: none of its registrations count.
    assert figure_rows(response, "participants") == []
    assert f'href="{csv_url("meetings")}?from=2021-10-01&amp;until=2021-12-31"' in response.content.decode()
    rows = read_csv(client.get(csv_url("meetings"), {"from": "2021-10-01", "until": "2021-12-31"}))
    assert rows[1:] == [[date_format(date(2021, 11, 1), "F Y"), "1"]]


def test_dashboard_period_end_before_start_is_refused(client, organizer, world):
    response = login(client, organizer).get(URL, {"from": "2022-01-01", "until": "2021-01-01"})
    assert response.context["form"].errors["until"]
    assert len(figure_rows(response, "meetings")) == 3  # unfiltered


def test_participants_by_agency_and_mode(client, organizer, analyst, world):
    assert figure_rows(login(client, organizer).get(URL), "participants") == [
        ["Badan Pelindungan Pekerja Migran Indonesia (BP2MI)", 3, 1, 4],
        ["Kementerian Ketenagakerjaan", 0, 2, 2],
        ["UPT BP2MI Surabaya", 1, 0, 1],
    ]
    assert figure_rows(login(client, analyst).get(URL), "participants") == [
        ["Badan Pelindungan Pekerja Migran Indonesia (BP2MI)", 3, 1, 4],
        ["Kementerian Kelautan dan Perikanan (KKP)", 2, 0, 2],
        ["Kementerian Ketenagakerjaan", 0, 2, 2],
        ["UPT BP2MI Surabaya", 1, 0, 1],
    ]


def test_participants_top_15_and_others(client, organizer, db):
    m = make_meeting(organizer, [date(2021, 9, 20)], "Rapat Besar")
    for i in range(17):
        org = OrganizationFactory(name=f"Instansi {i:02d}", acronym="")
        for _ in range(20 - i):
            register(m, Registration.Mode.ONLINE, org=org)
    register(m, Registration.Mode.ONSITE, typed="  instansi 00 ")  # typed, not the directory's row
    rows = figure_rows(login(client, organizer).get(URL), "participants")
    assert len(rows) == 16
    assert rows[0] == ["Instansi 00", 0, 20, 20]
    assert rows[14] == ["Instansi 14", 0, 6, 6]
    # Instansi 15 and 16 (5 and 4 online) and the typed name (1 on-site).
    assert rows[15] == ["Lainnya (3 instansi)", 1, 9, 10]


def test_attendance_rate_per_day(client, organizer, analyst, world):
    day1, day2, their_day = world["days"]
    label = lambda d: date_format(d.date, "j M Y")  # noqa: E731
    (later_day,) = world["later"].days.all()
    own = [
        [label(day1), "FGD Pengawasan P3MI", 3, 4, 75, 2, 3, 67],
        [label(day2), "FGD Pengawasan P3MI", 2, 4, 50, 1, 3, 33],
        # No registrations: no rate (nothing to divide by).
        [label(later_day), "Rapat Tindak Lanjut", 0, 0, "—", 0, 0, "—"],
    ]
    assert figure_rows(login(client, organizer).get(URL), "attendance") == own
    rows = figure_rows(login(client, analyst).get(URL), "attendance")
    assert rows == [*own, [label(their_day), "Rakor Pelindungan ABK", 1, 2, 50, 0, 0, "—"]]


def test_recommendations_by_state_counts_merged_once(client, organizer, analyst, world):
    labels = [str(label) for _value, label in State.choices]
    # Organizer: r1 proposed, r2 accepted (r4 merged into it, once), r3 implemented, r5 rejected,
    # r7 in progress (the state of the other meeting's recommendation it was merged into).
    rows = figure_rows(login(client, organizer).get(URL), "states")
    assert rows == [[label, n] for label, n in zip(labels, [1, 1, 1, 1, 1, 0], strict=True)]
    # Analyst: r7 is the same as r6 and counts once, as r6.
    rows = figure_rows(login(client, analyst).get(URL), "states")
    assert rows == [[label, n] for label, n in zip(labels, [1, 1, 1, 1, 1, 0], strict=True)]
    assert sum(n for _label, n in rows) == 5


def test_recommendations_by_state_lists_every_state_at_zero(client, organizer, db):
    rows = figure_rows(login(client, organizer).get(URL), "states")
    assert rows == [[str(label), 0] for _value, label in State.choices]


def test_recommendations_by_addressee(client, organizer, analyst, world):
    assert figure_rows(login(client, organizer).get(URL), "addressees") == [
        ["Kementerian Ketenagakerjaan", 3],
        ["Badan Pelindungan Pekerja Migran Indonesia (BP2MI)", 2],
        ["Tanpa instansi tujuan", 1],
    ]
    assert figure_rows(login(client, analyst).get(URL), "addressees") == [
        ["Badan Pelindungan Pekerja Migran Indonesia (BP2MI)", 2],
        ["Kementerian Ketenagakerjaan", 2],
        ["Kementerian Kelautan dan Perikanan (KKP)", 1],
        ["Tanpa instansi tujuan", 1],
    ]


def test_overdue_follow_ups(client, organizer, analyst, world):
    response = login(client, organizer).get(URL)
    accepted, in_progress = str(State.ACCEPTED.label), str(State.IN_PROGRESS.label)
    assert figure_rows(response, "overdue") == [
        [
            "Memperkuat pengawasan P3MI di daerah",
            "FGD Pengawasan P3MI",
            "Badan Pelindungan Pekerja Migran Indonesia (BP2MI); Kementerian Ketenagakerjaan",
            date_format(date(2021, 12, 1), "j M Y"),
            accepted,
        ],
        ["Sama dengan rapat lain", "FGD Pengawasan P3MI", "Kementerian Ketenagakerjaan",
         date_format(date(2022, 6, 1), "j M Y"), in_progress],
    ]  # fmt: skip
    page = response.content.decode()
    link = reverse("policy:recommendation", kwargs={"key": world["r2"].key})
    assert f'<a href="{link}">Memperkuat pengawasan P3MI di daerah</a>' in page
    rows = figure_rows(login(client, analyst).get(URL), "overdue")
    assert [r[0] for r in rows] == ["Memperkuat pengawasan P3MI di daerah", "Rekomendasi rapat lain"]


def test_overdue_text_is_plain_and_truncated(client, organizer, world):
    recommend(
        Minutes.objects.get(meeting=world["fgd"]),
        "**Tebal** " + "kata " * 60,
        state=State.ACCEPTED,
        due=date(2020, 1, 1),
    )
    text = figure_rows(login(client, organizer).get(URL), "overdue")[0][0]
    assert text.startswith("Tebal kata")
    assert "**" not in text
    assert len(text) == 120
    assert text.endswith("…")


# CSV, SVG, escaping


@pytest.mark.parametrize("chart", CHARTS)
def test_csv_equals_the_table(client, analyst, world, chart):
    client = login(client, analyst)
    (figure,) = [f for f in client.get(URL).context["figures"] if f.ident == chart]
    assert figure.rows  # something to compare
    response = client.get(csv_url(chart))
    assert response["Content-Disposition"] == f'attachment; filename="{chart}.csv"'
    assert read_csv(response) == [figure.head] + [[str(cell) for cell in row] for row in figure.rows]


def test_csv_header_is_in_the_page_language(client, organizer, world):
    rows = read_csv(login(client, organizer).get(csv_url("participants")))
    assert rows[0] == ["Lembaga", "Luring (tatap muka)", "Daring", "Total"]


def test_table_in_page_has_caption_and_headers(client, organizer, world):
    page = login(client, organizer).get(URL).content.decode()
    assert '<table class="table table-sm table-striped align-middle mb-0" id="participants-table">' in page
    assert '<th scope="col" class="text-end">Daring</th>' in page
    assert '<th scope="row" class="fw-normal">Kementerian Ketenagakerjaan</th>' in page
    assert page.count("<caption") == len(CHARTS)


def test_charts_are_svg_with_accessible_names(client, organizer, world):
    page = login(client, organizer).get(URL).content.decode()
    for chart in ("meetings", "participants", "attendance", "states", "addressees"):
        assert f'role="img" aria-labelledby="{chart}-svg-title" aria-describedby="{chart}-svg-desc"' in page
        assert f'<title id="{chart}-svg-title">' in page
    assert '<title id="participants-svg-title">Peserta menurut instansi dan moda</title>' in page
    # Bars are labelled with their values as text.
    assert ">75% (3/4)</text>" in page
    assert "style=" not in page.split("<main", 1)[-1]
    assert "<script>" not in page.split("<main", 1)[-1]


def test_dashboard_escapes_user_data(client, organizer, world):
    evil = OrganizationFactory(name='<script>alert("x")</script> & Co', acronym="")
    register(world["fgd"], Registration.Mode.ONSITE, org=evil)
    response = login(client, organizer).get(URL)
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    svg = response.context["figures"][1].svg
    assert "&lt;script&gt;" in svg


def test_empty_dashboard_says_so(client, organizer, db):
    page = login(client, organizer).get(URL).content.decode()
    assert "Tidak ada rapat pada periode ini." in page


# Query count


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(organizer, world, size: int) -> None:
    orgs = [OrganizationFactory() for _ in range(size)]
    minutes = Minutes.objects.get(meeting=world["fgd"])
    for i in range(size):
        m = make_meeting(
            organizer, [date(2021, 1 + i % 12, 1 + i % 27), date(2021, 1 + i % 12, 2 + i % 27)], f"R {i}"
        )
        days = list(m.days.all())
        for j, org in enumerate(orgs):
            r = register(m, Registration.Mode.ONSITE if j % 2 else Registration.Mode.ONLINE, org=org)
            attend(r, days[j % 2], Attendance.How.ONSITE if j % 2 else Attendance.How.ZOOM)
        rec = recommend(
            minutes,
            f"Rekomendasi {i}",
            addressed_to=orgs[: i + 1],
            state=State.ACCEPTED,
            due=date(2021, 1, 1),
        )
        recommend(minutes, f"Duplikat {i}", merged_into=rec.tracking)


def test_dashboard_query_count_is_fixed(client, organizer, analyst, world):
    client = login(client, organizer)
    small = {url: _queries(client, url) for url in [URL, *map(csv_url, CHARTS)]}
    _grow(organizer, world, 14)
    large = {url: _queries(client, url) for url in [URL, *map(csv_url, CHARTS)]}
    assert large == small
    page = client.get(URL)
    assert len(figure_rows(page, "participants")) == 16  # the larger dataset is really shown
    assert len(figure_rows(page, "overdue")) > 10
    assert small[URL] <= 15, small
    # Analysts: the same.
    client = login(client, analyst)
    assert _queries(client, URL) == small[URL]


def test_services_build_every_figure(organizer, world):
    figures = dashboard.figures(organizer, dashboard.Period())
    assert [f.ident for f in figures] == list(CHARTS)
