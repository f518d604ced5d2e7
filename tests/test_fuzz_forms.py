"""Property tests of every public endpoint and the main staff forms: whatever is posted (any
Unicode, control characters, huge texts, missing and repeated fields), the answer is never a
server error, and a refused request changes nothing in the database."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from core.tokens import make_token
from meetings.models import MeetingDay, OnlineRoom
from minutes.models import Minutes
from participants.services import invitations as inv
from participants.services import registration as reg
from policy.services import briefs
from policy.services import focal_points as fp_service
from tests.factories import OrganizationFactory, UserFactory
from tests.fuzz_support import CHARACTERS, check, fuzz, post_data, texts, values
from tests.minutes.services.conftest import (  # noqa: F401 (fixtures)
    chair,
    draft,
    fgd,
    item_section,
    kemnaker,
    notulis,
    registrant,
    rendra,
)
from tests.policy.test_registry import make_meeting, make_minutes, make_rec

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate().isoformat()
# A failed sign-in or a refused token may be written down; that is the point of the log.
AUDIT = ("core.AuditEntry",)


def one_of(*choices):
    return st.sampled_from(choices)


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def budi(published_meeting):
    return reg.register(
        published_meeting,
        full_name="Budi Santoso",
        position="Analis Kebijakan",
        email="budi@example.test",
        phone="+6281234567890",
        mode="onsite",
        consent=True,
    ).registration


@pytest.fixture
def invitation(published_meeting, organizer):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    return inv.invite(
        published_meeting,
        actor=organizer,
        organization=kemlu,
        quota=3,
        focal_point_email="focal.kemlu@example.go.id",
        focal_point_name="Budi Santoso",
    )


def delegate(n: int) -> dict:
    return {
        "full_name": f"Delegasi {n}",
        "position": "Analis Kebijakan",
        "email": f"delegasi{n}@example.go.id",
        "phone": f"0812 3456 78{n:02d}",
        "mode": "onsite",
        "language": "id",
    }


@pytest.fixture
def kkp(db):
    return OrganizationFactory(name="Kementerian Kelautan dan Perikanan", acronym="KKP")


@pytest.fixture
def nomination(invitation):
    return inv.nominate(invitation, **delegate(1), authorised=True)


@pytest.fixture
def accepting(invitation):
    """A nomination of someone who registered on their own first: they accept it by link."""
    reg.register(
        invitation.meeting, full_name="Siti Rahayu", email="siti@example.test", mode="online", consent=True
    )
    return inv.nominate(invitation, **(delegate(3) | {"email": "siti@example.test"}), authorised=True)


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


@pytest.fixture
def policy_world(organizer, analyst):
    kemnaker_org = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    minutes = make_minutes(make_meeting(organizer, date(2021, 9, 20), "FGD Pengawasan P3MI"))
    rec = make_rec(minutes, "Perkuat pengawasan P3MI", addressed_to=[kemnaker_org])
    other = make_rec(minutes, "Satu data awak kapal", addressed_to=[kemnaker_org])
    focal_point = fp_service.add_focal_point(
        organization=kemnaker_org,
        name="Budi Santoso",
        email="budi@kemnaker.test",
        language="id",
        user=analyst,
    )
    brief = briefs.create_brief(analyst, "Masukan Kebijakan", "id", [str(rec.key), str(other.key)])
    return {"org": kemnaker_org, "rec": rec, "other": other, "fp": focal_point, "brief": brief}


def follow_up() -> dict:
    return {
        "state": "accepted",
        "note": "Diterima untuk ditindaklanjuti",
        "happened_on": TODAY,
        "evidence_url": "",
    }


STATES = one_of("proposed", "accepted", "in_progress", "implemented", "rejected", "closed")


# Public pages -----------------------------------------------------------------------------------


REGISTRATION = {
    "full_name": "Budi Santoso",
    "position": "Analis Kebijakan",
    "organization_name": "Kementerian Luar Negeri",
    "email": "budi@example.test",
    "phone": "0812-3456-7890",
    "mode": "onsite",
    "consent": "on",
    "website": "",
}


@fuzz()
@given(data=post_data(REGISTRATION, mode=one_of("onsite", "online"), language=one_of("id", "en")))
def test_public_registration_never_fails_and_refusals_change_nothing(client, published_meeting, data):
    url = reverse("participants:register", kwargs={"code": published_meeting.code})
    response, changed = check(client, lambda: client.post(url, data))
    if changed:
        assert response.status_code == 302


@fuzz()
@given(
    data=post_data(
        {"full_name": "Budi Santoso", "position": "Analis", "phone": "0812-3456-7890", "mode": "online"},
        action=one_of("details", "mode", "cancel", "listing", "renew"),
        listed=one_of("on", ""),
    )
)
def test_private_registration_page_never_fails_and_refusals_change_nothing(client, budi, data):
    check(client, lambda: client.post(budi.urls.private, data))


@fuzz()
@given(data=post_data(delegate(2) | {"authorised": "on"}, mode=one_of("onsite", "online")))
def test_focal_point_nomination_never_fails_and_refusals_change_nothing(client, invitation, data):
    check(client, lambda: client.post(invitation.urls.focal_point, data))


@fuzz()
@given(data=post_data(delegate(2) | {"authorised": "on"}), withdraw=st.booleans())
def test_focal_point_replace_and_withdraw_never_fail(client, invitation, nomination, data, withdraw):
    name = "participants:invitation_withdraw" if withdraw else "participants:invitation_replace"
    url = reverse(
        name, kwargs={"pk": invitation.pk, "token": invitation.urls.token, "nomination_id": nomination.pk}
    )
    check(client, lambda: client.post(url, data))


@fuzz()
@given(data=post_data({}, extra=values()))
def test_nomination_acceptance_never_fails(client, accepting, data):
    nomination = accepting
    check(client, lambda: client.post(nomination.urls.accept, data))


@fuzz()
@given(data=post_data(follow_up(), state=STATES))
def test_focal_point_private_link_never_fails_and_refusals_change_nothing(client, policy_world, data):
    fp = policy_world["fp"]
    token = make_token("focal_point", fp.pk, fp.token_version)
    url = reverse(
        "policy:focal_point_recommendation",
        kwargs={"pk": fp.pk, "token": token, "key": policy_world["rec"].key},
    )
    check(client, lambda: client.post(url, data))


@fuzz()
@given(data=post_data({"login": "organizer@example.test", "password": "secret-pass-123", "remember": "on"}))
def test_login_never_fails_and_refusals_change_nothing(client, organizer, data):
    check(client, lambda: client.post(reverse("account_login"), data), allowed_when_refused=AUDIT)


@fuzz()
@given(
    data=post_data(
        {
            "email": "rina@kemnaker.go.id",
            "password1": "Tahun-2021-fgd",
            "password2": "Tahun-2021-fgd",
            "full_name": "Rina Wulandari",
        }
    )
)
def test_signup_never_fails_and_refusals_change_nothing(client, db, data):
    check(client, lambda: client.post(reverse("account_signup"), data))


@fuzz()
@given(data=post_data({"email": "organizer@example.test"}))
def test_password_reset_never_fails_and_refusals_change_nothing(client, organizer, data):
    check(client, lambda: client.post(reverse("account_reset_password"), data))


def _json_values():
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(CHARACTERS, max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )


def _zoom_bodies():
    event = st.fixed_dictionaries(
        {
            "event": one_of(
                "endpoint.url_validation",
                "meeting.participant_joined",
                "meeting.participant_left",
                "meeting.updated",
                "meeting.deleted",
                "recording.transcript_completed",
            )
            | texts(),
            "event_ts": st.integers() | texts(),
            "payload": st.fixed_dictionaries(
                {
                    "object": st.fixed_dictionaries({"id": st.just(81234567890) | _json_values()}),
                    "plainToken": texts(),
                }
            )
            | _json_values(),
        }
    )
    return st.one_of(
        event.map(lambda b: json.dumps(b).encode()),
        _json_values().map(lambda b: json.dumps(b).encode()),
        st.binary(max_size=200),
    )


@fuzz()
@given(body=_zoom_bodies(), signed=st.booleans())
def test_zoom_webhook_never_fails_and_refusals_change_nothing(
    client, published_meeting, settings, body, signed
):
    settings.ZOOM_WEBHOOK_SECRET = "webhook-secret"
    OnlineRoom.objects.get_or_create(
        meeting=published_meeting,
        defaults={
            "provider": OnlineRoom.Provider.ZOOM,
            "provider_id": "81234567890",
            "join_url": "https://zoom.us/j/81234567890",
            "state": OnlineRoom.State.READY,
        },
    )
    stamp = str(int(time.time()))
    headers = {"HTTP_X_ZM_REQUEST_TIMESTAMP": stamp}
    if signed:
        digest = hmac.new(b"webhook-secret", f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
        headers["HTTP_X_ZM_SIGNATURE"] = f"v0={digest}"
    check(
        client, lambda: client.post("/zoom/webhook/", data=body, content_type="application/json", **headers)
    )


# Staff forms ------------------------------------------------------------------------------------


MEETING = {
    "title": "FGD Pengawasan P3MI",
    "theme": "Pengawasan perusahaan penempatan",
    "kind": "fgd",
    "mode": "hybrid",
    "description": "",
    "background": "",
    "timezone": "Asia/Jakarta",
    "venue_name": "Gedung BP2MI",
    "venue_address": "Jl. MT Haryono Kav. 52, Jakarta",
    "venue_room": "Ruang Rapat Lt. 2",
    "capacity_onsite": "50",
    "capacity_online": "300",
    "registration_opens_at": "2031-09-01T08:00",
    "registration_closes_at": "2031-09-21T16:00",
}
DAYS = {
    "days-TOTAL_FORMS": "2",
    "days-INITIAL_FORMS": "0",
    "days-MIN_NUM_FORMS": "0",
    "days-MAX_NUM_FORMS": "14",
    "days-0-date": "2031-09-22",
    "days-0-start_time": "09:00",
    "days-0-end_time": "15:00",
    "days-1-date": "2031-09-23",
    "days-1-start_time": "09:00",
    "days-1-end_time": "12:00",
}


@fuzz()
@given(data=post_data(MEETING | DAYS))
def test_meeting_create_never_fails_and_refusals_change_nothing(client, organizer, data):
    client.force_login(organizer)
    response, changed = check(client, lambda: client.post(reverse("meetings:create"), data))
    if changed:
        assert response.status_code == 302


@fuzz()
@given(data=post_data(MEETING | {"registration_opens_at": "", "registration_closes_at": ""}))
def test_meeting_edit_never_fails_and_refusals_change_nothing(client, organizer, published_meeting, data):
    client.force_login(organizer)
    url = reverse("meetings:edit", kwargs={"code": published_meeting.code})
    check(client, lambda: client.post(url, data))


@fuzz()
@given(
    day=post_data({"date": "2031-09-24", "start_time": "08:30", "end_time": "11:00"}),
    item=post_data(
        {"start_time": "13:00", "end_time": "14:30", "title": "Diskusi", "description": "Tanya jawab"}
    ),
    edit=st.booleans(),
    htmx=st.booleans(),
)
def test_agenda_day_and_item_forms_never_fail_and_refusals_change_nothing(
    client, organizer, meeting, day, item, edit, htmx
):
    client.force_login(organizer)
    first = meeting.days.order_by("date").first()
    code = meeting.code
    extra = HX if htmx else {}
    if edit:
        day_url = reverse("meetings:day_edit", kwargs={"code": code, "day_id": first.pk})
        item_url = reverse("meetings:item_edit", kwargs={"code": code, "item_id": first.items.first().pk})
    else:
        day_url = reverse("meetings:day_create", kwargs={"code": code})
        item_url = reverse("meetings:item_create", kwargs={"code": code, "day_id": first.pk})
    check(client, lambda: client.post(day_url, day, **extra))
    check(client, lambda: client.post(item_url, item, **extra))


@example(
    one={"quota": "3", "focal_point_email": "focal@kkp.example", "language": "en", "organization": "²"},
    bulk={},
    quota={},
    deadline={},
)
@fuzz()
@given(
    one=post_data(
        {
            "quota": "3",
            "focal_point_email": "focal@kkp.example",
            "focal_point_name": "Budi",
            "language": "en",
        },
        organization=st.just("ORG"),
    ),
    bulk=post_data({"lines": "focal@kkp.example, KKP, 2"}),
    quota=post_data({"quota": "5"}),
    deadline=post_data({"deadline": "2031-09-20T12:00"}),
)
def test_invitation_forms_never_fail_and_refusals_change_nothing(
    client, organizer, invitation, kkp, one, bulk, quota, deadline
):
    client.force_login(organizer)
    if one.get("organization") == "ORG":
        one["organization"] = str(kkp.pk)
    code = invitation.meeting.code
    check(client, lambda: client.post(reverse("participants:invitations", kwargs={"code": code}), one))
    check(client, lambda: client.post(reverse("participants:invitations_bulk", kwargs={"code": code}), bulk))
    for name, data in (("invitation_quota", quota), ("invitation_deadline", deadline)):
        url = reverse(f"participants:{name}", kwargs={"code": code, "pk": invitation.pk})
        check(client, lambda url=url, data=data: client.post(url, data))


@example(row={}, bulk={"action": "", "ids": ["²"]})
@fuzz()
@given(
    row=post_data({}, action=one_of("approve", "decline", "waitlist", "cancel")),
    bulk=post_data({}, action=one_of("approve", "decline", "waitlist"), ids=st.just("BUDI")),
)
def test_registration_actions_never_fail_and_refusals_change_nothing(client, organizer, budi, row, bulk):
    client.force_login(organizer)
    if bulk.get("ids") == "BUDI":
        bulk["ids"] = [str(budi.pk)]
    code = budi.meeting.code
    check(
        client,
        lambda: client.post(
            reverse("participants:registration_action", kwargs={"code": code, "pk": budi.pk}), row
        ),
    )
    check(client, lambda: client.post(reverse("participants:registrations", kwargs={"code": code}), bulk))


@example(code={}, present={"present": "²"})
@fuzz()
@given(code=post_data({}, code=st.just("BUDI")), present=post_data({}, present=st.just("BUDI")))
def test_check_in_forms_never_fail_and_refusals_change_nothing(client, organizer, budi, code, present):
    client.force_login(organizer)
    day = MeetingDay.objects.filter(meeting=budi.meeting).order_by("date").first()
    for data in (code, present):
        for key in ("code", "present"):
            if data.get(key) == "BUDI":
                data[key] = budi.code if key == "code" else [str(budi.pk)]
    kwargs = {"code": budi.meeting.code, "day_id": day.pk}
    check(client, lambda: client.post(reverse("participants:checkin", kwargs=kwargs), code))
    check(client, lambda: client.post(reverse("participants:online_attendance", kwargs=kwargs), present))


@example(section={"base": "²"}, point={}, rec={"text": "x", "addressed_to": ["²"]}, htmx=True)
@fuzz()
@given(
    section=post_data({"base": "0", "title": "Paparan", "summary": "Data naik.", "conclusions": ""}),
    point=post_data(
        {"speaker": "Peserta Zoom", "text": "Satu.", "who": ""}, who=one_of("p:1", "r:1", "p:", "x:9")
    ),
    rec=post_data(
        {
            "text": "Bentuk Tim Pengawasan P3MI.",
            "rationale": "Pengawasan belum terpadu.",
            "instrument": "decision",
            "priority": "high",
            "themes": "Pengawasan, pelindungan",
        },
        addressed_to=st.just("KEMNAKER"),
        section=st.just("SECTION"),
    ),
    htmx=st.booleans(),
)
def test_minutes_editor_forms_never_fail_and_refusals_change_nothing(
    client,
    item_section,  # noqa: F811 (a fixture)
    notulis,  # noqa: F811
    kemnaker,  # noqa: F811
    section,
    point,
    rec,
    htmx,
):
    client.force_login(notulis)
    meeting = item_section.minutes.meeting
    if rec.get("addressed_to") == "KEMNAKER":
        rec["addressed_to"] = [str(kemnaker.pk)]
    if rec.get("section") == "SECTION":
        rec["section"] = str(item_section.pk)
    extra = HX if htmx else {}

    def url(name, **kwargs):
        return reverse(f"minutes:{name}", kwargs={"code": meeting.code, **kwargs})

    check(client, lambda: client.post(url("section", pk=item_section.pk), section, **extra))
    check(client, lambda: client.post(url("point_add", pk=item_section.pk), point, **extra))
    check(client, lambda: client.post(url("recommendation_add"), rec, **extra))


@example(data={"base": "²", "text": "Diubah.", "delete": "1"})
@fuzz()
@given(
    data=post_data(
        {"base": "1", "text": "Diubah.", "speaker": "Peserta"}, move=one_of("up", "down"), delete=one_of("1")
    )
)
def test_minutes_point_and_recommendation_edits_never_fail(client, item_section, notulis, data):  # noqa: F811 (fixtures)
    from minutes.services import recommendations as rec_service
    from minutes.services.points import add_point

    point = add_point(item_section, author=notulis, text="Satu.", speaker_name="Peserta")
    rec = rec_service.add_recommendation(item_section.minutes, author=notulis, text="Rekomendasi.")
    client.force_login(notulis)
    code = item_section.minutes.meeting.code
    check(
        client,
        lambda: client.post(reverse("minutes:point", kwargs={"code": code, "pk": point.pk}), data, **HX),
    )
    check(
        client,
        lambda: client.post(
            reverse("minutes:recommendation", kwargs={"code": code, "pk": rec.pk}), data, **HX
        ),
    )


@fuzz()
@given(data=post_data(follow_up(), state=STATES))
def test_staff_follow_up_never_fails_and_refusals_change_nothing(client, organizer, policy_world, data):
    client.force_login(organizer)
    Minutes.objects.update(state=Minutes.State.APPROVED)
    url = reverse("policy:recommendation", kwargs={"key": policy_world["rec"].key})
    check(client, lambda: client.post(url, data))


@fuzz()
@given(
    data=post_data(
        {"name": "Sari", "email": "sari@kemnaker.test", "language": "en"}, organization=st.just("ORG")
    )
)
def test_focal_point_form_never_fails_and_refusals_change_nothing(client, analyst, policy_world, kkp, data):
    client.force_login(analyst)
    if data.get("organization") == "ORG":
        data["organization"] = str(kkp.pk)
    check(client, lambda: client.post(reverse("policy:focal_points"), data))


@fuzz()
@given(
    create=post_data({"title": "Bahan Masukan", "language": "id"}, key=st.just("KEYS")),
    edit=post_data(
        {
            "based_on": "1",
            "title": "Judul Kedua",
            "summary": "Ringkasan",
            "background": "Latar",
            "closing": "Penutup",
        }
    ),
)
def test_brief_forms_never_fail_and_refusals_change_nothing(client, analyst, policy_world, create, edit):
    client.force_login(analyst)
    if create.get("key") == "KEYS":
        create["key"] = [str(policy_world["rec"].key), str(policy_world["other"].key)]
    check(client, lambda: client.post(reverse("policy:brief_create"), create))
    check(client, lambda: client.post(reverse("policy:brief", args=[policy_world["brief"].pk]), edit))


REGISTRY = {
    "q": "",
    "meeting": "",
    "date_from": "",
    "date_to": "",
    "theme": "",
    "addressed_to": "",
    "instrument": "",
    "priority": "",
    "state": "",
    "overdue": "",
    "sort": "",
    "page": "1",
}


@fuzz()
@given(data=post_data(REGISTRY, format=one_of("", "csv", "xlsx")), stats=post_data({"from": "", "until": ""}))
def test_registry_and_statistics_filters_never_fail(client, analyst, policy_world, data, stats):
    client.force_login(analyst)
    # Looking changes no recommendation; an export may write its audit entry.
    check(client, lambda: client.get(reverse("policy:registry"), data), skip=AUDIT)
    check(client, lambda: client.get(reverse("policy:dashboard"), stats), skip=AUDIT)
    check(client, lambda: client.get(reverse("policy:dashboard_csv", args=["meetings"]), stats), skip=AUDIT)


@fuzz()
@given(data=post_data({"q": "", "agency": "", "mode": "", "state": "", "source": "", "page": "1"}))
def test_registration_list_filters_never_fail(client, organizer, budi, data):
    client.force_login(organizer)
    check(
        client,
        lambda: client.get(reverse("participants:registrations", kwargs={"code": budi.meeting.code}), data),
    )


def test_registration_with_an_internationalised_email_sets_a_sendable_cookie(client, published_meeting):
    url = reverse("participants:register", kwargs={"code": published_meeting.code})
    response = client.post(url, REGISTRATION | {"email": "budi@пример.test"})
    assert response.status_code == 302
    for cookie in response.cookies.values():
        cookie.output(header="").encode("latin-1")  # what a WSGI server does with every header
    assert client.get(response["Location"]).status_code == 200
