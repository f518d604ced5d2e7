"""What a token sees is what its user sees in the web UI, with data that could leak: another
organizer's draft, recommendations of unapproved or staff-only minutes, personal data of
registrants and focal points, and tokens that are unknown, forged or revoked."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from api.models import ApiToken, digest_of
from api.services import revoke_token
from meetings.models import Meeting
from participants.models import Registration
from tests.permission_matrix_data import tampered

from .conftest import B_INTERNAL, DRAFT_MEETING, DRAFT_REC, PUBLIC_REC

MEETINGS = reverse("api:meeting-list")
DAYS = reverse("api:day-list")
RECS = reverse("api:recommendation-list")


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row.get("text") or row.get("title") for row in response.json()["results"]]


def rec_rows(api, who) -> dict[str, dict]:
    response = api.get(RECS, as_=who, page_size=100)
    assert response.status_code == 200
    return {row["text"]: row for row in response.json()["results"]}


def every_url(w) -> list[str]:
    return [
        MEETINGS,
        reverse("api:meeting-detail", kwargs={"code": w["code"]}),
        reverse("api:meeting-agenda", kwargs={"code": w["code"]}),
        DAYS,
        RECS,
        reverse("api:recommendation-detail", kwargs={"key": w["key_x"]}),
    ]


# Tokens --------------------------------------------------------------------------------------


def assert_401(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"detail"}


def test_without_a_token_every_endpoint_is_401_json(api, api_world):
    for url in every_url(api_world):
        assert_401(api.get(url, as_=None))


def test_a_signed_in_session_without_a_token_is_401(api, api_world):
    """The API never rides on the session cookie (no CSRF exposure, one way to authenticate)."""
    api.client.force_login(User.objects.get(pk=api_world["users"]["org_a"]))
    assert api.client.get(reverse("dashboard")).status_code == 200

    for url in every_url(api_world):
        assert_401(api.get(url, as_=None))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sng_unknown-token",
        "Bearer not-even-ours",
        "Token sng_",
        "Bearer a b",
        "Bearer",
        "Bearer " + "x" * 5000,
        "Bearer sng_\u00e9\u00e8",
    ],
)
def test_unknown_or_malformed_tokens_are_401_never_500(api, api_world, header):
    response = api.client.get(MEETINGS, headers={"Authorization": header})

    assert_401(response)


def test_a_forged_token_is_401(api, api_world):
    assert_401(api.get(MEETINGS, token=tampered(api_world["tokens"]["org_a"])))


def test_a_revoked_token_stops_at_once(api, api_world):
    secret = api_world["tokens"]["org_a"]
    assert api.get(MEETINGS, token=secret).status_code == 200
    token = ApiToken.objects.get(digest=digest_of(secret))

    revoke_token(token, actor=token.user)

    assert_401(api.get(MEETINGS, token=secret))
    assert_401(api.get(reverse("api:meeting-detail", kwargs={"code": api_world["code_draft"]}), token=secret))


def test_the_token_of_a_deactivated_user_is_401(api, api_world):
    User.objects.filter(pk=api_world["users"]["analyst"]).update(is_active=False)

    assert_401(api.get(RECS, as_="analyst"))


def test_both_keywords_are_accepted(api, api_world):
    secret = api_world["tokens"]["plain"]
    for keyword in ("Bearer", "Token", "bearer"):
        assert api.client.get(MEETINGS, headers={"Authorization": f"{keyword} {secret}"}).status_code == 200


# Meetings, days, agenda ----------------------------------------------------------------------


def test_a_draft_only_for_its_organizer(api, api_world):
    assert DRAFT_MEETING in texts(api.get(MEETINGS, as_="org_a"))
    for who in ("plain", "org_b", "sec_b", "analyst", "fp_y_user"):
        titles = texts(api.get(MEETINGS, as_=who))
        assert DRAFT_MEETING not in titles, who
        assert {"FGD Pengawasan P3MI", "Rakor Pelindungan ABK"} <= set(titles), who


@pytest.mark.parametrize("name", ["api:meeting-detail", "api:meeting-agenda"])
def test_another_organizers_draft_is_404(api, api_world, name):
    url = reverse(name, kwargs={"code": api_world["code_draft"]})

    assert api.get(url, as_="org_a").status_code == 200
    for who in ("plain", "org_b", "sec_b", "analyst"):
        response = api.get(url, as_=who)
        assert response.status_code == 404, who
        assert DRAFT_MEETING not in response.content.decode()
    # As an unknown code: nothing tells that the draft exists.
    unknown = api.get(reverse(name, kwargs={"code": "zzzzzzzz"}), as_="org_b")
    assert unknown.json() == api.get(url, as_="org_b").json()


def test_a_drafts_days_only_for_its_organizer(api, api_world):
    def dates(who):
        response = api.get(DAYS, as_=who, page_size=100)
        return {(row["meeting"], row["date"]) for row in response.json()["results"]}

    draft_day = (api_world["code_draft"], "2031-11-03")
    assert draft_day in dates("org_a")
    assert draft_day not in dates("org_b")
    assert draft_day not in dates("plain")
    assert (api_world["code"], "2031-09-22") in dates("plain")
    # Asked for by code, too.
    response = api.get(DAYS, as_="org_b", meeting=api_world["code_draft"])
    assert response.json()["results"] == []


def test_a_secretary_sees_the_draft_of_their_meeting(api, api_world):
    b = Meeting.objects.get(code=api_world["code_b"])
    Meeting.objects.filter(pk=b.pk).update(status=Meeting.Status.DRAFT)

    assert api.get(reverse("api:meeting-detail", kwargs={"code": b.code}), as_="sec_b").status_code == 200
    assert api.get(reverse("api:meeting-detail", kwargs={"code": b.code}), as_="org_a").status_code == 404


def test_registration_counts_without_any_personal_data(api, api_world):
    meeting = Meeting.objects.get(code=api_world["code"])
    Meeting.objects.filter(pk=meeting.pk).update(capacity_onsite=50, capacity_online=None)
    confirmed = Registration.objects.filter(meeting=meeting, state="confirmed")

    body = api.get(reverse("api:meeting-detail", kwargs={"code": meeting.code}), as_="plain").json()

    assert body["registrations"] == {
        "capacity_onsite": 50,
        "capacity_online": None,
        "confirmed_onsite": confirmed.filter(mode="onsite").count(),
        "confirmed_online": confirmed.filter(mode="online").count(),
    }
    assert body["registrations"]["confirmed_onsite"] >= 2  # Peserta 1 and 2 at least
    assert [day["date"] for day in body["days"]] == ["2031-09-22", "2031-09-23"]


def test_personal_data_is_never_in_a_response(api, api_world):
    """Even the organizer, who sees the registrations in the web UI, gets counts only: no
    registrant's or focal point's name, email, code or private link, no join link, no account."""
    meeting = Meeting.objects.get(code=api_world["code"])
    secrets_ = []
    for registration in Registration.objects.filter(meeting=meeting):
        secrets_ += [registration.full_name, registration.email, registration.code, registration.phone]
        secrets_ += [registration.urls.token, registration.personal_join_url]
    room = meeting.online_room
    secrets_ += [room.join_url, room.host_url]
    secrets_ += ["Budi Santoso", "budi@kemnaker.test", "sari@kemlu.test", api_world["fp_token"]]
    secrets_ += [u.email for u in User.objects.all()] + [u.full_name for u in User.objects.all()]
    secrets_ += list(api_world["tokens"].values())
    assert "Peserta 1" in secrets_
    assert "peserta1@example.go.id" in secrets_

    for who in ("org_a", "analyst", "admin"):
        for url in every_url(api_world):
            body = api.get(url, as_=who, page_size=100).content.decode()
            decoded = json.dumps(json.loads(body), ensure_ascii=False)
            for secret in filter(None, secrets_):
                assert secret not in decoded, (who, url, secret)
            assert "@" not in decoded, (who, url)


# Recommendations -----------------------------------------------------------------------------


def test_unapproved_recommendations_only_for_the_meetings_staff(api, api_world):
    for who in ("plain", "analyst", "org_b", "sec_b", "fp_y_user"):
        assert DRAFT_REC not in rec_rows(api, who), who
    mine = rec_rows(api, "org_a")
    assert DRAFT_REC in mine
    assert mine[DRAFT_REC]["minutes_state"] == "draft"
    # The organizer sees the open correction, not the approved version beside it.
    assert {row["minutes_version"] for row in mine.values()} == {api_world["v2"]}


def test_staff_only_minutes_only_for_staff_and_analysts(api, api_world):
    assert B_INTERNAL in rec_rows(api, "org_b")
    assert B_INTERNAL in rec_rows(api, "sec_b")
    assert B_INTERNAL in rec_rows(api, "analyst")
    for who in ("plain", "org_a", "fp_y_user"):
        assert B_INTERNAL not in rec_rows(api, who), who


def test_public_minutes_without_their_follow_up(api, api_world):
    """Anyone reads the minutes published to the public page; their follow-up is the registry's."""
    plain = rec_rows(api, "plain")
    assert set(plain) == {PUBLIC_REC, "Satu data awak kapal"}
    assert {row["follow_up"] for row in plain.values()} == {None}
    analyst = rec_rows(api, "analyst")
    assert analyst[PUBLIC_REC]["follow_up"] == {"state": "accepted", "due_on": None, "overdue": False}
    assert analyst[PUBLIC_REC]["addressed_to"][0]["acronym"] == "Kemnaker"


def test_a_focal_point_sees_the_follow_up_of_its_organization_only(api, api_world):
    rows = rec_rows(api, "fp_y_user")

    assert rows["Satu data awak kapal"]["follow_up"]["state"] == "proposed"
    assert rows[PUBLIC_REC]["follow_up"] is None


def test_one_recommendation_by_key(api, api_world):
    draft = reverse("api:recommendation-detail", kwargs={"key": api_world["key_draft"]})
    assert api.get(draft, as_="org_a").json()["text"] == DRAFT_REC
    for who in ("plain", "analyst", "org_b", "fp_y_user"):
        assert api.get(draft, as_=who).status_code == 404, who

    public = reverse("api:recommendation-detail", kwargs={"key": api_world["key_x"]})
    assert api.get(public, as_="org_b").json()["minutes_version"] == api_world["v1"]
    assert api.get(public, as_="org_a").json()["minutes_version"] == api_world["v2"]
    for key in ("not-a-key", "00000000-0000-0000-0000-000000000000"):
        assert api.get(reverse("api:recommendation-detail", kwargs={"key": key})).status_code == 404


# Filters and pages ---------------------------------------------------------------------------


def test_filters_by_date_and_organization(api, api_world):
    a_title, b_title = "FGD Pengawasan P3MI", "Rakor Pelindungan ABK"
    assert texts(api.get(MEETINGS, date_from="2031-10-01")) == [b_title]
    # The materials' rows of the matrix add a meeting held in September 2021 (a public material
    # is public once its meeting is over): it is before 2031-09-30 too.
    ended_title = "FGD 2021 selesai"
    assert texts(api.get(MEETINGS, date_to="2031-09-30")) == [a_title, ended_title]
    assert texts(api.get(MEETINGS, date_from="2021-09-01", date_to="2021-09-30")) == [ended_title]
    assert texts(api.get(MEETINGS, date_from="2031-09-23", date_to="2031-09-23")) == [a_title]
    assert texts(api.get(MEETINGS, organization=api_world["org"])) == [a_title]
    assert texts(api.get(MEETINGS, status="draft", as_="plain")) == []
    days = api.get(DAYS, date_from="2031-09-23", date_to="2031-10-06").json()["results"]
    assert [(d["meeting"], d["date"]) for d in days] == [
        (api_world["code"], "2031-09-23"),
        (api_world["code_b"], "2031-10-06"),
    ]
    assert days[0]["starts_at"] == "2031-09-23T09:00:00+07:00"
    by_addressee = rec_rows_with(api, "analyst", organization=api_world["org"])
    assert set(by_addressee) == {PUBLIC_REC}
    assert rec_rows_with(api, "analyst", date_from="2031-10-01") == {B_INTERNAL}
    assert rec_rows_with(api, "analyst", state="accepted") == {PUBLIC_REC}


def rec_rows_with(api, who, **params) -> set[str]:
    return {row["text"] for row in api.get(RECS, as_=who, **params).json()["results"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "kemarin"}, "date_from"),
        ({"date_from": "2031-10-02", "date_to": "2031-10-01"}, "date_to"),
        ({"organization": "x"}, "organization"),
        ({"organization": str(2**40)}, "organization"),
        ({"status": "secret"}, "status"),
    ],
)
def test_a_bad_filter_is_400_with_its_field(api, api_world, params, field):
    response = api.get(MEETINGS, **params)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response.json()["detail"]


def test_pages_have_a_maximum_size(api, api_world):
    response = api.get(DAYS, page_size=1000)
    body = response.json()
    assert body["count"] >= 4
    assert len(body["results"]) == body["count"]  # under the maximum of 100
    first = api.get(DAYS, page_size=1).json()
    assert len(first["results"]) == 1
    assert first["next"]
    assert api.get(DAYS, page=999).status_code == 404
    assert set(api.get(DAYS, page=999).json()) == {"detail"}


def test_the_api_is_never_cached(api, api_world):
    response = api.get(MEETINGS)

    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]


def test_the_api_is_read_only(api, api_world):
    headers = {"Authorization": f"Bearer {api_world['tokens']['admin']}"}
    before = Meeting.objects.order_by("pk").values_list("pk", "title", "status")
    before = list(before)
    for method in ("post", "put", "patch", "delete"):
        for url in every_url(api_world):
            response = getattr(api.client, method)(url, {}, content_type="application/json", headers=headers)
            assert response.status_code == 405, (method, url)
    assert list(Meeting.objects.order_by("pk").values_list("pk", "title", "status")) == before
    assert ApiToken.objects.filter(revoked_at__lte=timezone.now()).count() == 0
