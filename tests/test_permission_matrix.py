"""The permission matrix: every URL pattern of the project has a row, and each row is requested as
anonymous, a registrant, the focal point of another agency, the secretary of another meeting,
the organizer of another meeting, a policy analyst and the right role, asserting the status of
each; a refused POST changes nothing.

The world (tests/permission_matrix_data.py): meeting A of organizer A, meeting B of organizer B
with secretary B; the URLs point at A's objects, and at organization X's follow-up, while the
other focal point is the verified account (and private link) of organization Y's. On a URL that
carries a token the right role is anonymous with the right token; the registrant brings another
registration's genuine token, the other focal point the other agency's genuine link, organizer B
their own calendar token, and every other role a forged one (the right token, tampered with).

A new URL without a row fails `test_every_url_has_a_row`: add its row to ROWS (or, for a pattern
not requested one by one, to PREFIX_RULES) with the status each role must get. A status that is
a leak is never written down as expected: it goes to KNOWN_LEAKS (a strict xfail) until fixed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import translation

from accounts.models import User
from tests.permission_matrix_data import build_world, fingerprint, tampered

ROLES = (
    "anonymous",
    "registrant",
    "other_focal_point",
    "other_secretary",
    "other_organizer",
    "analyst",
    "right",
)
# Who signs in for each role (the registrant is anonymous: it holds a private link, no account).
SIGNED_IN = {
    "other_focal_point": "fp_y_user",
    "other_secretary": "sec_b",
    "other_organizer": "org_b",
    "analyst": "analyst",
}
LOGIN = "login"  # a 302 to the login page
REFUSED = (LOGIN, 403, 404)
# A refused POST: the GET's refusals, or 405 from a view that has no POST at all.
POST_REFUSED = (*REFUSED, 405)

# Profiles: the statuses of the usual kinds of page, role by role.
MEETING_STAFF = {
    "anonymous": LOGIN,
    "registrant": LOGIN,
    "other_focal_point": 404,
    "other_secretary": 404,
    "other_organizer": 404,
    "analyst": 404,
    "right": 200,
}
ORGANIZERS = {  # any user who may organize (OrganizerRequiredMixin): organizer B too
    **MEETING_STAFF,
    "other_focal_point": 403,
    "other_secretary": 403,
    "other_organizer": 200,
    "analyst": 403,
}
ANALYSTS = {**ORGANIZERS, "other_organizer": 403, "analyst": 200}
SIGNED_IN_ANYONE = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN, "registrant": LOGIN}
PUBLIC = dict.fromkeys(ROLES, 200)
TOKEN = dict.fromkeys(ROLES, 404) | {"right": 200}
# POST-only pages of a meeting: the right role's GET is refused with 405.
POST_ONLY = {**MEETING_STAFF, "right": 405}
# Staff pages whose GET sends the right role on (an htmx form's page, today's check-in day).
REDIRECTS = {**MEETING_STAFF, "right": 302}
# POST-only pages for any signed-in user (LoginRequired before the method check).
SIGNED_IN_POST = dict.fromkeys(ROLES, 405) | {"anonymous": LOGIN, "registrant": LOGIN}


@dataclass
class Row:
    """One URL pattern: how to fill its kwargs (the right role's object) and what each role gets.

    `right` is who the right role is (a key of the world's users, or None: anonymous, holding the
    right token). Token rows name the kwarg carrying the token; every other role then uses a wrong
    one (`wrong`: per role, kwargs replacing the right ones; else the right token tampered with).
    """

    name: str
    kwargs: Callable[[dict], dict] = lambda w: {}
    expect: dict = field(default_factory=lambda: dict(MEETING_STAFF))
    right: str | None = "org_a"
    token: str | None = None
    wrong: dict = field(default_factory=dict)
    query: str = ""
    # Denied roles also POST (empty form): refused, nothing changed. Off for pages open to all.
    post: bool = True
    settings: dict = field(default_factory=dict)
    post_refused: tuple = POST_REFUSED
    # Roles allowed to act (no POST check): the right role, and any other the rules allow.
    allowed: tuple = ("right",)
    # The right role's POST on a POST-only page gets past the permission check.
    right_posts: bool = True

    def url(self, w: dict, role: str) -> str:
        kwargs = self.kwargs(w)
        if self.token and role != "right":
            if role in self.wrong:
                kwargs = {**kwargs, **self.wrong[role](w)}
            else:
                kwargs = {**kwargs, self.token: tampered(kwargs[self.token])}
        return reverse(self.name, kwargs=kwargs) + self.query


def code(w):
    return {"code": w["code"]}


def with_code(**names):
    """kwargs of a meeting page: the code of meeting A and these world values."""
    return lambda w: {"code": w["code"], **{kwarg: w[key] for kwarg, key in names.items()}}


def staff(*names: str, **overrides) -> list[Row]:
    return [Row(n, code, **overrides) for n in names]


def _reg_token_rows(*names: str) -> list[Row]:
    return [
        Row(
            n,
            lambda w: {"code": w["reg_code"], "token": w["reg_token"]},
            expect=dict(TOKEN),
            right=None,
            token="token",
            # Another registration's genuine token on this registration's code.
            wrong={"registrant": lambda w: {"token": w["reg2_token"]}},
        )
        for n in names
    ]


_invitation_wrong = {
    # A registration's genuine token, and the other agency's genuine token, on X's invitation.
    "registrant": lambda w: {"token": w["reg_token"]},
    "other_focal_point": lambda w: {"token": w["inv_y_token"]},
}
_delegate_wrong = {
    "registrant": lambda w: {"token": w["reg_token"]},
    # Y's genuine link, pointing at X's delegate.
    "other_focal_point": lambda w: {"pk": w["inv_y"], "token": w["inv_y_token"]},
}
_fp_wrong = {
    "registrant": lambda w: {"token": w["reg_token"]},
    "other_focal_point": lambda w: {"pk": w["fp_y"], "token": w["fp_y_token"]},
}


ROWS: list[Row] = [
    # Site-wide pages ------------------------------------------------------------------------------
    Row("home", expect=dict(PUBLIC), right=None, post=False),
    Row("healthz", expect=dict(PUBLIC), right=None, post=False),
    Row("readyz", expect=dict(PUBLIC), right=None, post=False),
    Row("dashboard", expect=dict(SIGNED_IN_ANYONE), post=False),
    # Django's set_language: a GET goes back where it came from.
    Row("set_language", expect=dict.fromkeys(ROLES, 302), right=None, post=False),
    Row("accounts:profile", expect=dict(SIGNED_IN_ANYONE), post=False),
    # Directory (every organizer) -----------------------------------------------------------------
    *[
        Row(f"directory:{n}", expect=dict(ORGANIZERS))
        for n in (
            "organization_list",
            "organization_create",
            "organization_import",
            "organization_import_template",
            "person_list",
            "person_create",
            "organization_search",
            "person_search",
            "organization_picker",
            "person_picker",
        )
    ],
    *[
        Row(f"directory:{n}_edit", lambda w, k=k: {"pk": w[k]}, expect=dict(ORGANIZERS))
        for n, k in (("organization", "org"), ("person", "person"))
    ],
    # Meetings ------------------------------------------------------------------------------------
    Row("meetings:public", code, expect=dict(PUBLIC), right=None, post=False),
    Row("meetings:calendar", code, expect=dict(PUBLIC), right=None, post=False),
    Row("meetings:list", expect=dict(ORGANIZERS)),
    Row("meetings:create", expect=dict(ORGANIZERS)),
    *staff(
        "meetings:detail",
        "meetings:edit",
        "meetings:staff",
        "meetings:online_room",
        "meetings:mark_held",
        "meetings:cancel",
        "meetings:agenda",
        "meetings:hosts",
    ),
    *staff(
        "meetings:zoom_room",
        "meetings:room_retry",
        "meetings:room_host_link",
        "meetings:publish",
        "meetings:unpublish",
        "meetings:reopen",
        "meetings:close",
        expect=dict(POST_ONLY),
    ),
    Row("meetings:day_create", code, expect=dict(REDIRECTS)),
    Row("meetings:day_edit", with_code(day_id="day")),
    Row("meetings:day_delete", with_code(day_id="day2")),
    Row("meetings:item_create", with_code(day_id="day"), expect=dict(REDIRECTS)),
    Row("meetings:item_edit", with_code(item_id="item")),
    Row("meetings:item_delete", with_code(item_id="item")),
    Row("meetings:item_move", with_code(item_id="item"), expect=dict(POST_ONLY)),
    Row("meetings:host_delete", with_code(host_id="host"), expect=dict(POST_ONLY)),
    Row("meetings:agenda_roles", with_code(item_id="item")),
    Row("meetings:agenda_role_delete", with_code(role_id="role"), expect=dict(POST_ONLY)),
    # Zoom's webhook: POST only, signed by Zoom; an unsigned POST is refused whoever sends it.
    Row(
        "meetings:zoom_webhook",
        expect=dict.fromkeys(ROLES, 405),
        right=None,
        settings={"ZOOM_WEBHOOK_SECRET": "webhook-secret"},
        post_refused=(401,),
        right_posts=False,  # Zoom's own signed delivery: test_zoom_webhook_signed_by_zoom
    ),
    # Participants: the public side ----------------------------------------------------------------
    Row("participants:register", code, expect=dict(PUBLIC), right=None, post=False),
    Row("participants:register_sent", code, expect=dict(PUBLIC), right=None, post=False),
    Row("participants:organization_suggestions", expect=dict(PUBLIC), right=None, post=False),
    Row("participants:privacy", expect=dict(PUBLIC), right=None, post=False),
    *_reg_token_rows("participants:registration_manage"),
    Row(
        "participants:nomination_accept",
        lambda w: {"pk": w["nom"], "token": w["nom_token"]},
        expect=dict(TOKEN),
        right=None,
        token="token",
        wrong={
            "registrant": lambda w: {"token": w["reg_token"]},
            "other_focal_point": lambda w: {"token": w["nom_y_token"]},
        },
    ),
    Row(
        "participants:invitation_respond",
        lambda w: {"pk": w["inv"], "token": w["inv_token"]},
        expect=dict(TOKEN),
        right=None,
        token="token",
        wrong=_invitation_wrong,
    ),
    *[
        Row(
            n,
            lambda w: {"pk": w["inv"], "token": w["inv_token"], "nomination_id": w["nom"]},
            expect=dict(TOKEN),
            right=None,
            token="token",
            wrong=_delegate_wrong,
        )
        for n in ("participants:invitation_replace", "participants:invitation_withdraw")
    ],
    # Participants: the organizer's pages ---------------------------------------------------------
    *staff(
        "participants:invitations",
        "participants:invitations_bulk",
        "participants:registrations",
        "participants:typed_organizations",
        "participants:attendance_summary",
        "participants:zoom_attendance",
        "participants:reminders",
        "participants:reminders_audience",
    ),
    *staff(
        "participants:invitations_remind",
        "participants:zoom_attendance_match",
        "participants:zoom_attendance_import",
        expect=dict(POST_ONLY),
    ),
    Row("participants:checkin_start", code, expect=dict(REDIRECTS)),
    Row(
        "participants:typed_organization_resolve",
        code,
        query="?name=Disnaker+Kab.+Cirebon",
    ),
    *[Row(f"participants:invitation_{n}", with_code(pk="inv")) for n in ("quota", "deadline", "revoke")],
    Row("participants:invitation_remind", with_code(pk="inv"), expect=dict(POST_ONLY)),
    Row("participants:registrations_export", lambda w: {"code": w["code"], "fmt": "csv"}),
    Row("participants:registration_action", with_code(pk="reg"), expect=dict(POST_ONLY)),
    Row("participants:checkin", with_code(day_id="day")),
    Row("participants:checkin_search", with_code(day_id="day"), expect=dict(REDIRECTS)),
    Row("participants:checkin_walk_in", with_code(day_id="day"), expect=dict(POST_ONLY)),
    Row(
        "participants:checkin_registration",
        with_code(day_id="day", registration_id="reg"),
        expect=dict(POST_ONLY),
    ),
    Row(
        "participants:checkin_undo",
        with_code(day_id="day", attendance_id="attendance"),
        expect=dict(POST_ONLY),
    ),
    Row("participants:online_attendance", with_code(day_id="day")),
    # Calendar feeds
    Row(
        "participants:calendar_feed",
        lambda w: {"user_id": w["users"]["org_a"], "token": w["calendar_token"]},
        expect=dict(TOKEN),
        right=None,
        token="token",
        wrong={
            "registrant": lambda w: {"token": w["reg_token"]},
            # Organizer B's own genuine feed token, on organizer A's feed.
            "other_organizer": lambda w: {"token": w["calendar_b_token"]},
        },
    ),
    Row("participants:public_feed", expect=dict(PUBLIC), right=None, post=False),
    # Every signed-in user resets their own feed's token.
    Row(
        "participants:calendar_feed_reset", expect=dict(SIGNED_IN_POST), allowed=tuple(SIGNED_IN) + ("right",)
    ),
    # Minutes -------------------------------------------------------------------------------------
    *staff(
        "minutes:editor",
        "minutes:history",
        "minutes:documents",
        "minutes:notula",
        "minutes:transcripts",
    ),
    *staff(
        "minutes:prepare",
        "minutes:heading",
        "minutes:recommendation_add",
        "minutes:action_add",
        expect=dict(POST_ONLY),
    ),
    Row("minutes:section", with_code(pk="section"), expect=dict(POST_ONLY)),
    Row("minutes:point_add", with_code(pk="section"), expect=dict(POST_ONLY)),
    Row("minutes:point", with_code(pk="point"), expect=dict(POST_ONLY)),
    Row("minutes:recommendation", with_code(pk="rec"), expect=dict(POST_ONLY)),
    Row("minutes:action", with_code(pk="action"), expect=dict(POST_ONLY)),
    Row("minutes:workflow", with_code(version="v2"), expect=dict(POST_ONLY)),
    Row("minutes:daftar_hadir", with_code(day_id="day")),
    Row("minutes:zoom_transcript_import", with_code(pk="zoom_transcript"), expect=dict(POST_ONLY)),
    Row("minutes:transcript_review", with_code(pk="transcript")),
    Row("minutes:draft_edit", with_code(pk="transcript", draft_id="draft")),
    # Published to the public: everybody reads them.
    Row("minutes:public_read", code, expect=dict(PUBLIC), right=None, post=False),
    Row("minutes:public_notula", code, expect=dict(PUBLIC), right=None, post=False),
    *_reg_token_rows("minutes:participant_read", "minutes:participant_notula"),
    # Policy --------------------------------------------------------------------------------------
    # The registry and "mine" are open to every signed-in user; each sees only what they may.
    Row("policy:registry", expect=dict(SIGNED_IN_ANYONE), post=False),
    Row("policy:mine", expect=dict(SIGNED_IN_ANYONE), post=False),
    # Approved minutes: analysts follow every recommendation (and its evidence) up as staff.
    Row(
        "policy:recommendation",
        lambda w: {"key": w["key_x"]},
        expect={**MEETING_STAFF, "analyst": 200},
    ),
    Row(
        "policy:due",
        lambda w: {"key": w["key_x"]},
        expect=dict(SIGNED_IN_POST),
        allowed=("right", "analyst"),
    ),
    Row("policy:evidence", lambda w: {"pk": w["evidence"]}, expect={**MEETING_STAFF, "analyst": 200}),
    Row("policy:merge", expect=dict(ANALYSTS), right="analyst"),
    Row("policy:unmerge", lambda w: {"key": w["key_x"]}, expect=dict(SIGNED_IN_POST), right="analyst"),
    Row(
        "policy:focal_point",
        lambda w: {"pk": w["fp"], "token": w["fp_token"]},
        expect=dict(TOKEN),
        right=None,
        token="token",
        wrong={
            "registrant": lambda w: {"token": w["reg_token"]},
            "other_focal_point": lambda w: {"token": w["fp_y_token"]},
        },
    ),
    Row(
        "policy:focal_point_recommendation",
        lambda w: {"pk": w["fp"], "token": w["fp_token"], "key": w["key_x"]},
        expect=dict(TOKEN),
        right=None,
        token="token",
        wrong=_fp_wrong,
    ),
    Row(
        "policy:focal_point_evidence",
        lambda w: {"pk": w["fp"], "token": w["fp_token"], "evidence": w["evidence"]},
        expect=dict(TOKEN),
        right=None,
        token="token",
        wrong=_fp_wrong,
    ),
    Row("policy:focal_points", expect=dict(ANALYSTS), right="analyst"),
    *[
        Row(
            f"policy:focal_point_{n}",
            lambda w: {"pk": w["fp"]},
            expect={**ANALYSTS, "other_organizer": 403, "analyst": 405, "right": 405},
            right="analyst",
            allowed=("right", "analyst"),
        )
        for n in ("send", "revoke", "remove")
    ],
    Row("policy:briefs", expect=dict(ANALYSTS), right="analyst"),
    Row("policy:brief_create", expect=dict(ANALYSTS), right="analyst"),
    *[
        Row(n, lambda w: {"pk": w["brief"]}, expect=dict(ANALYSTS), right="analyst")
        for n in ("policy:brief", "policy:brief_versions", "policy:brief_document")
    ],
    # Organizers and analysts: each one's figures.
    Row("policy:dashboard", expect=dict(ORGANIZERS) | {"analyst": 200}, post=False),
    Row(
        "policy:dashboard_csv",
        lambda w: {"chart": "meetings"},
        expect=dict(ORGANIZERS) | {"analyst": 200},
        post=False,
    ),
    # Samples of the patterns covered by PREFIX_RULES ---------------------------------------------
    # Django's admin sends whoever is not staff to its login (a 302, not allauth's login).
    *[
        Row(
            n,
            expect=dict.fromkeys(ROLES, 302) | {"right": 200},
            right="admin",
            post_refused=(*POST_REFUSED, 302),
        )
        for n in ("admin:index", "admin:meetings_meeting_changelist")
    ],
    # allauth's login: open to the anonymous; a signed-in user is sent on.
    Row(
        "account_login",
        expect=dict.fromkeys(ROLES, 302) | {"anonymous": 200, "registrant": 200, "right": 200},
        right=None,
        post=False,
    ),
    Row("mfa_index", expect=dict(SIGNED_IN_ANYONE), post=False),
]

# Rows of later features, one module each under tests/permission_rows/.
from tests import permission_rows  # noqa: E402

ROWS += permission_rows.extra_rows()

# Patterns not requested one by one: (route prefix, which names, what the rule says); the sample
# rows above check each rule.
PREFIX_RULES = [
    # The whole admin, its unnamed redirects and catch-all included: staff only, as Django's
    # admin site decides for every page (admin:index and a changelist are checked above).
    ("admin/", lambda name: True, "admin: staff only"),
    # allauth's account and two-factor pages: login, signup and password reset public, the rest
    # for signed-in users (account_login and mfa_index are checked above). Sinergi's own pages
    # under accounts/ (accounts:...) and unnamed patterns there need a row.
    ("accounts/", lambda name: name.startswith(("account_", "mfa_")), "allauth: its own pages"),
]

KNOWN_LEAKS: list[tuple[str, str, int, str]] = [
    # (url name, role, status observed, why it is a leak): not asserted until the view is fixed.
]

BY_NAME = {row.name: row for row in ROWS}


@dataclass
class Cell:
    """One more request on a chosen object, beside the matrix: what must not leak (with a
    request first showing that the data is there), and the other meeting's own staff."""

    label: str
    name: str
    kwargs: Callable[[dict], dict]
    user: str | None  # a key of the world's users; None: anonymous
    expect: int | str
    query: str = ""
    present: str = ""  # text the page must show
    absent: str = ""  # text the page must not show


CELLS_ON_OBJECTS = [
    # The other meeting's own staff get in (so their 404s on meeting A are about A).
    Cell("b_detail_by_its_organizer", "meetings:detail", lambda w: {"code": w["code_b"]}, "org_b", 200),
    Cell("b_detail_by_its_secretary", "meetings:detail", lambda w: {"code": w["code_b"]}, "sec_b", 200),
    Cell("b_editor_by_its_secretary", "minutes:editor", lambda w: {"code": w["code_b"]}, "sec_b", 200),
    # The secretary is no organizer: an organizer-only page of their own meeting is a 403.
    Cell("b_edit_by_its_secretary", "meetings:edit", lambda w: {"code": w["code_b"]}, "sec_b", 403),
    # A draft meeting is nobody's business but its staff's.
    Cell("draft_public_page", "meetings:public", lambda w: {"code": w["code_draft"]}, None, 404),
    Cell("draft_register_page", "participants:register", lambda w: {"code": w["code_draft"]}, None, 404),
    Cell("draft_calendar", "meetings:calendar", lambda w: {"code": w["code_draft"]}, None, 404),
    Cell("b_public_notula", "minutes:public_read", lambda w: {"code": w["code_b"]}, None, 404),
    # Meeting B's participant's own link works, and opens nothing of meeting A.
    Cell(
        "b_registrant_own_page",
        "participants:registration_manage",
        lambda w: {"code": w["reg_b_code"], "token": w["reg_b_token"]},
        None,
        200,
    ),
    Cell(
        "b_registrant_token_on_a",
        "participants:registration_manage",
        lambda w: {"code": w["reg_code"], "token": w["reg_b_token"]},
        None,
        404,
    ),
    # The focal point of Y answers for Y's recommendation (through the account and the link)...
    Cell(
        "y_focal_point_account_on_y",
        "policy:recommendation",
        lambda w: {"key": w["key_y"]},
        "fp_y_user",
        200,
        present="Satu data awak kapal",
    ),
    Cell(
        "y_focal_point_link_on_y",
        "policy:focal_point_recommendation",
        lambda w: {"pk": w["fp_y"], "token": w["fp_y_token"], "key": w["key_y"]},
        None,
        200,
        present="Satu data awak kapal",
    ),
    # ... and sees nothing of X's, in its lists either.
    Cell(
        "y_focal_point_mine",
        "policy:mine",
        lambda w: {},
        "fp_y_user",
        200,
        present="Satu data awak kapal",
        absent="Perkuat pengawasan P3MI",
    ),
    Cell(
        "y_focal_point_link_list",
        "policy:focal_point",
        lambda w: {"pk": w["fp_y"], "token": w["fp_y_token"]},
        None,
        200,
        present="Satu data awak kapal",
        absent="Perkuat pengawasan P3MI",
    ),
    # Draft minutes: their organizer sees the open correction's recommendation, an analyst and
    # the addressed agency's focal point do not.
    Cell("draft_rec_by_organizer", "policy:recommendation", lambda w: {"key": w["key_draft"]}, "org_a", 200),
    Cell("draft_rec_by_analyst", "policy:recommendation", lambda w: {"key": w["key_draft"]}, "analyst", 404),
    Cell(
        "draft_rec_by_focal_point_link",
        "policy:focal_point_recommendation",
        lambda w: {"pk": w["fp"], "token": w["fp_token"], "key": w["key_draft"]},
        None,
        404,
    ),
    Cell(
        "registry_of_organizer",
        "policy:registry",
        lambda w: {},
        "org_a",
        200,
        present="Rahasia draf koreksi",
    ),
    Cell(
        "registry_of_analyst",
        "policy:registry",
        lambda w: {},
        "analyst",
        200,
        present="Perkuat pengawasan P3MI",
        absent="Rahasia draf koreksi",
    ),
    Cell(
        "registry_of_other_organizer",
        "policy:registry",
        lambda w: {},
        "org_b",
        200,
        absent="Perkuat pengawasan P3MI",
    ),
    Cell(
        "registry_of_focal_point",
        "policy:registry",
        lambda w: {},
        "fp_y_user",
        200,
        absent="Satu data awak kapal",
    ),
    # Organizer B's own lists name meeting B, never meeting A (nor A's draft).
    Cell(
        "meeting_list_of_other_organizer",
        "meetings:list",
        lambda w: {},
        "org_b",
        200,
        present="Rakor Pelindungan ABK",
        absent="FGD Pengawasan P3MI",
    ),
    Cell(
        "dashboard_of_other_organizer",
        "dashboard",
        lambda w: {},
        "org_b",
        200,
        present="Rakor Pelindungan ABK",
        absent="FGD Pengawasan P3MI",
    ),
    Cell(
        "dashboard_of_other_secretary",
        "dashboard",
        lambda w: {},
        "sec_b",
        200,
        present="Rakor Pelindungan ABK",
        absent="Rapat Draf Tertutup",
    ),
    Cell(
        "calendar_feed_of_other_organizer",
        "participants:calendar_feed",
        lambda w: {"user_id": w["users"]["org_b"], "token": w["calendar_b_token"]},
        None,
        200,
        present="Rakor Pelindungan ABK",
        absent="FGD Pengawasan P3MI",
    ),
    # What the public sees: published meetings and minutes, never a draft.
    Cell(
        "home_without_drafts",
        "home",
        lambda w: {},
        None,
        200,
        present="FGD Pengawasan P3MI",
        absent="Rapat Draf Tertutup",
    ),
    Cell(
        "public_feed_without_drafts",
        "participants:public_feed",
        lambda w: {},
        None,
        200,
        present="FGD Pengawasan P3MI",
        absent="Rapat Draf Tertutup",
    ),
    Cell(
        "public_minutes_without_the_correction",
        "minutes:public_read",
        lambda w: {"code": w["code"]},
        None,
        200,
        present="Perkuat pengawasan P3MI",
        absent="Rahasia draf koreksi",
    ),
    Cell(
        "participant_minutes_without_the_correction",
        "minutes:participant_read",
        lambda w: {"code": w["reg_code"], "token": w["reg_token"]},
        None,
        200,
        present="Perkuat pengawasan P3MI",
        absent="Rahasia draf koreksi",
    ),
    # Figures: each organizer counts the participants of their own meetings only.
    Cell(
        "figures_of_organizer",
        "policy:dashboard_csv",
        lambda w: {"chart": "participants"},
        "org_a",
        200,
        query="?from=2031-01-01&until=2031-12-31",
        present="Kemnaker",
    ),
    Cell(
        "figures_of_other_organizer",
        "policy:dashboard_csv",
        lambda w: {"chart": "participants"},
        "org_b",
        200,
        query="?from=2031-01-01&until=2031-12-31",
        absent="Kemnaker",
    ),
]


def all_patterns(urlconf=None) -> list[tuple[str, str]]:
    """Every URL pattern of the project as (qualified name or "<unnamed>", full route)."""
    found = []

    def walk(resolver, prefix: str, namespace: str | None) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                found.append((name or "<unnamed>", prefix + str(p.pattern)))

    walk(get_resolver(urlconf), "", None)
    return found


def patterns_without_a_row(urlconf=None) -> list[str]:
    return [f"{name} ({route})" for name, route in all_patterns(urlconf) if row_for(name, route) is None]


def row_for(name: str, route: str) -> str | None:
    """What covers a pattern: its row, or a prefix rule; None if nothing does."""
    if name in BY_NAME:
        return name
    for prefix, names, rule in PREFIX_RULES:
        if route.startswith(prefix) and names(name):
            return rule
    return None


def test_every_url_has_a_row():
    patterns = all_patterns()
    missing = patterns_without_a_row()

    assert len(patterns) > 250  # the walk found the whole project, admin and allauth included
    assert missing == [], "URL patterns without a row in the permission matrix: " + ", ".join(missing)


def test_every_row_is_a_url():
    names = {name for name, _route in all_patterns()}

    assert [row.name for row in ROWS if row.name not in names] == []
    assert len(BY_NAME) == len(ROWS)


def test_a_new_url_without_a_row_fails_the_matrix():
    def view(request):
        raise AssertionError("never requested")

    urlconf = types.ModuleType("urls_with_new_patterns")
    urlconf.urlpatterns = [
        path("", include("config.urls")),
        path("meetings/<str:code>/brand-new/", view, name="brand_new"),
        path("unnamed/", view),
        path("accounts/security/", view, name="security"),
    ]

    assert patterns_without_a_row(urlconf) == [
        "brand_new (meetings/<str:code>/brand-new/)",
        "<unnamed> (unnamed/)",
        "security (accounts/security/)",
    ]


def test_the_rows_use_the_models_own_links(world):
    """The right role's URLs are the links Sinergi hands out (emails, pages)."""
    from participants.models import AgencyInvitation, Nomination, Registration
    from policy.models import FocalPoint

    links = {
        "participants:registration_manage": Registration.objects.get(pk=world["reg"]).urls.private,
        "participants:invitation_respond": AgencyInvitation.objects.get(pk=world["inv"]).urls.focal_point,
        "participants:nomination_accept": Nomination.objects.get(pk=world["nom"]).urls.accept,
        "participants:invitation_replace": Nomination.objects.get(pk=world["nom"]).urls.replace,
        "policy:focal_point": FocalPoint.objects.get(pk=world["fp"]).urls.private,
    }

    assert {name: BY_NAME[name].url(world, "right") for name in links} == links


def test_a_new_pattern_without_a_row_is_reported():
    assert row_for("meetings:brand_new", "meetings/<str:code>/brand-new/") is None
    assert row_for("<unnamed>", "meetings/<str:code>/brand-new/") is None
    assert row_for("accounts:security", "accounts/security/") is None  # Sinergi's, not allauth's
    assert row_for("<unnamed>", "accounts/security/") is None
    assert row_for("<unnamed>", "admin/meetings/meeting/<path:object_id>/") is not None
    assert row_for("account_brand_new", "accounts/brand-new/") is not None


# The world, built once per module --------------------------------------------------------------


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """As tests/conftest.py's `seeded_demo`: built in an outer transaction rolled back after the
    module; each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with translation.override("id"):
                world = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(world_once, db):
    return world_once


LEAKS = {(name, role): why for name, role, _status, why in KNOWN_LEAKS}
MATRIX = [
    pytest.param(
        row.name,
        role,
        id=f"{row.name}-{role}",
        # Strict: once the view is fixed the cell passes, and the entry must leave KNOWN_LEAKS.
        marks=[pytest.mark.xfail(strict=True, reason=LEAKS[row.name, role])]
        if (row.name, role) in LEAKS
        else [],
    )
    for row in ROWS
    for role in ROLES
]


_handler = None


def _shared_handler(client: Client):
    # One request handler for the module: a new one loads the middleware again, and WhiteNoise's
    # scan of the static files would cost more than the request.
    global _handler
    if _handler is None:
        _handler = client.handler
    return _handler


def client_for(w: dict, row: Row, role: str) -> Client:
    client = Client()
    client.handler = _shared_handler(client)
    user_key = row.right if role == "right" else SIGNED_IN.get(role)
    if user_key:
        client.force_login(User.objects.get(pk=w["users"][user_key]))
    return client


def status_of(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return LOGIN
    return response.status_code


def post_checked(row: Row, role: str) -> bool:
    """Whether the role, refused on GET, also POSTs (and is refused, with nothing changed)."""
    if not row.post or row.expect[role] == 200 or role in row.allowed:
        return False
    return not (row.right and SIGNED_IN.get(role) == row.right)


@pytest.mark.parametrize(("name", "role"), MATRIX)
def test_permission(world, settings, name, role):
    row = BY_NAME[name]
    for setting, value in row.settings.items():
        setattr(settings, setting, value)
    client = client_for(world, row, role)
    url = row.url(world, role)

    got = status_of(client.get(url))

    assert got == row.expect[role], f"GET {url} as {role}"
    if post_checked(row, role):
        before = fingerprint()
        posted = status_of(client.post(url, {}))
        assert posted in row.post_refused, f"POST {url} as {role}: {posted}"
        assert fingerprint() == before, f"POST {url} as {role} changed something"
    if role == "right" and row.expect[role] == 405 and row.right_posts:
        # A POST-only page: its own people get past the permission check (an empty form may
        # still be refused as invalid, with a 400 or a message and a redirect).
        posted = status_of(client.post(url, {}))
        assert posted not in (*REFUSED, 405), f"POST {url} as the right role: {posted}"


@pytest.mark.parametrize("cell", CELLS_ON_OBJECTS, ids=[c.label for c in CELLS_ON_OBJECTS])
def test_object_cell(world, cell):
    client = Client()
    client.handler = _shared_handler(client)
    if cell.user:
        client.force_login(User.objects.get(pk=world["users"][cell.user]))

    response = client.get(reverse(cell.name, kwargs=cell.kwargs(world)) + cell.query)

    assert status_of(response) == cell.expect
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert cell.present in body
    assert not cell.absent or cell.absent not in body


def test_zoom_webhook_signed_by_zoom(world, settings):
    """The webhook's right role: Zoom, signing with the shared secret (the URL validation)."""
    settings.ZOOM_WEBHOOK_SECRET = "webhook-secret"
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}).encode()
    timestamp = str(int(time.time()))
    mac = hmac.new(b"webhook-secret", b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)

    response = Client().post(
        reverse("meetings:zoom_webhook"),
        body,
        content_type="application/json",
        headers={"x-zm-request-timestamp": timestamp, "x-zm-signature": "v0=" + mac.hexdigest()},
    )

    assert response.status_code == 200
    assert response.json()["plainToken"] == "abc"


# A meeting's page with another meeting's object: organizer B on meeting B's code, pointing at
# meeting A's day, agenda item, registration, part of the minutes... Each must be a 404 (for a
# POST-only page a 405, and the POST a 404), with nothing changed.
def _object_kwargs(route: str) -> list[str]:
    return [part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]]


ROUTES = dict(all_patterns())
NESTED = [
    row.name
    for row in ROWS
    if row.right == "org_a"
    and _object_kwargs(ROUTES[row.name])[:1] == ["code"]
    and set(_object_kwargs(ROUTES[row.name])) - {"code", "fmt", "version"}
]


@pytest.mark.parametrize("name", NESTED)
def test_another_meetings_object_through_ones_own_meeting(world, name):
    row = BY_NAME[name]
    client = Client()
    client.handler = _shared_handler(client)
    client.force_login(User.objects.get(pk=world["users"]["org_b"]))
    url = reverse(name, kwargs={**row.kwargs(world), "code": world["code_b"]})

    got = client.get(url).status_code
    before = fingerprint()
    posted = client.post(url, {}).status_code

    assert got == (405 if row.expect["right"] == 405 else 404), f"GET {url}"
    assert posted in (404, 405), f"POST {url}"  # 405: the page has no POST
    assert fingerprint() == before, f"POST {url} changed something"
