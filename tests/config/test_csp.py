"""Content-Security-Policy (django-csp): the header on every page, and pages with nothing inline.

The policy allows scripts and styles from the site's own files only, so any inline <script>, on*=
handler, javascript: address, style= attribute or <style> element would be refused by the
browser. These tests read the HTML the views render (the demo data, every role, the admin and
allauth's pages) and find none; tests/e2e/test_csp_pages.py checks the browser reports nothing.
"""

import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from accounts.models import User
from core.tokens import make_token
from meetings.models import Meeting
from minutes.models import Minutes
from participants.models import AgencyInvitation, Registration
from policy.models import FocalPoint, PolicyBrief

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
HANDLER = re.compile(r"on[a-z]+")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
# <script type="application/json"> is data, never run (allauth's recovery codes page has one).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# Not pages: files, feeds and the exports.
NOT_PAGES = re.compile(r"\.(docx|xlsx|csv|ics|pdf|png|svg|txt|zip)$")
DEMO_PASSWORD = "sinergi-demo-2021"


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice in {header!r}"
        parsed[name] = sources
    return parsed


class InlineCode(HTMLParser):
    """Collects whatever a policy without 'unsafe-inline' refuses, and the links to follow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.links: list[str] = []
        self.fragments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        values = dict(attrs)
        kind = (values.get("type") or "").strip().lower()
        if tag == "script" and not values.get("src") and kind not in DATA_SCRIPT_TYPES:
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif HANDLER.fullmatch(name) or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if values.get("hx-get"):
            self.fragments.append(values["hx-get"])


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


# The parser itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<SCRIPT type='text/javascript'>x()</SCRIPT>",
        "<style>p { color: red }</style>",
        '<p style="color: red">x</p>',
        '<svg><rect style="fill: red"/></svg>',
        '<button type="button" onclick="go()">x</button>',
        '<form onSubmit="return false">',
        '<button hx-on:click="go()">x</button>',
        '<a href=" JavaScript:go()">x</a>',
    ],
)
def test_the_parser_finds_inline_code(html):
    assert inline_code(html).found


def test_the_parser_lets_files_data_and_presentation_attributes_through():
    html = (
        '<script src="/static/js/picker.js"></script><script type="application/json">{}</script>'
        '<svg><rect fill="#0a58ca" width="10"></rect></svg><p class="online" data-on="x">'
        '<a href="/onboarding/">only</a>'
    )
    assert inline_code(html).found == []


# The header ---------------------------------------------------------------------------------------


def test_the_policy_is_enforced_with_exactly_its_directives(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    assert directives(response["Content-Security-Policy"]) == EXPECTED
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "nonce" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("who", ["anonymous", "organizer", "staff"])
@pytest.mark.parametrize(
    "url",
    ["/", "/dashboard/", "/accounts/login/", "/accounts/signup/", "/admin/", "/meetings/", "/nowhere/"],
)
def test_every_answer_carries_the_policy(client, organizer, who, url):
    if who == "organizer":
        client.force_login(organizer)
    elif who == "staff":
        client.force_login(User.objects.create_superuser("root@example.test", "x", full_name="Root"))

    response = client.get(url)

    assert directives(response["Content-Security-Policy"]) == EXPECTED, (url, response.status_code)


@pytest.mark.urls("tests.config.test_error_pages")
def test_the_500_page_carries_the_policy_and_nothing_inline(db):
    response = Client(raise_request_exception=False).get("/explode/")

    assert response.status_code == 500
    assert directives(response["Content-Security-Policy"]) == EXPECTED
    assert inline_code(response.content.decode()).found == []
    assert 'href="/static/css/sinergi.css"' in response.content.decode()


def test_htmx_is_told_not_to_add_its_indicator_style(client, db):
    body = client.get(reverse("home")).content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in body


# Pages with nothing inline ----------------------------------------------------------------------


@pytest.fixture
def seeded(seeded_demo, db):
    return seeded_demo


def private_links() -> list[str]:
    """Pages reached through a token: a registration's own page, a focal point's invitation page
    and a follow-up focal point's page."""
    links = [r.urls.private for r in Registration.objects.order_by("pk")[:3]]
    links += [i.urls.focal_point for i in AgencyInvitation.objects.order_by("pk")[:2]]
    links += [
        reverse(
            "policy:focal_point",
            kwargs={"pk": fp.pk, "token": make_token("focal_point", fp.pk, fp.token_version)},
        )
        for fp in FocalPoint.objects.order_by("pk")[:2]
    ]
    return links


def named_pages() -> list[str]:
    """The pages the crawl must reach, whatever the links on the way."""
    fgd = Meeting.objects.get(kind=Meeting.Kind.FGD, starts_on=date(2021, 9, 20))
    published = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).first() or fgd
    day = fgd.days.order_by("date").first()
    pages = [
        reverse("home"),
        reverse("dashboard"),
        reverse("meetings:list"),
        reverse("meetings:create"),
        fgd.urls.detail,
        reverse("meetings:edit", kwargs={"code": fgd.code}),
        reverse("meetings:staff", kwargs={"code": fgd.code}),
        reverse("meetings:agenda", kwargs={"code": fgd.code}),
        reverse("meetings:hosts", kwargs={"code": fgd.code}),
        reverse("meetings:online_room", kwargs={"code": fgd.code}),
        reverse("participants:invitations", kwargs={"code": fgd.code}),
        reverse("participants:reminders", kwargs={"code": fgd.code}),
        reverse("participants:checkin", kwargs={"code": fgd.code, "day_id": day.pk}),
        reverse("participants:online_attendance", kwargs={"code": fgd.code, "day_id": day.pk}),
        reverse("participants:attendance_summary", kwargs={"code": fgd.code}),
        reverse("participants:zoom_attendance", kwargs={"code": fgd.code}),
        reverse("participants:registrations", kwargs={"code": fgd.code}),
        reverse("minutes:documents", kwargs={"code": fgd.code}),
        reverse("meetings:public", kwargs={"code": fgd.code}),
        reverse("meetings:public", kwargs={"code": published.code}),
        reverse("participants:register", kwargs={"code": published.code}),
        reverse("participants:privacy"),
        reverse("policy:registry"),
        reverse("policy:dashboard"),
        reverse("policy:briefs"),
        reverse("policy:brief_create"),
        reverse("policy:focal_points"),
        reverse("directory:organization_list"),
    ]
    pages += [reverse("minutes:editor", kwargs={"code": m.meeting.code}) for m in Minutes.objects.all()]
    pages += [reverse("policy:brief", kwargs={"pk": b.pk}) for b in PolicyBrief.objects.all()[:2]]
    return pages


ALLAUTH_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/profile/",
]
ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SKIPPED = ("/accounts/logout/", "/static/", "/media/", "/i18n/")
ADMIN = "/admin/"


class Crawl:
    """Follows the site's own links from the given pages, for each visitor each view at most
    `per_view` times (fragments, the hx-get addresses, counted apart) and `limit` pages."""

    def __init__(self, per_view: int = 4, limit: int = 400, admin: bool = False):
        self.per_view = per_view
        self.admin = admin
        self.limit = limit
        # (visitor, address) -> status code; "hx " starts the address of a fragment.
        self.visited: dict[tuple[str, str], int] = {}
        self.problems: dict[str, list[str]] = {}

    def view_of(self, path: str) -> str | None:
        try:
            return resolve(path).view_name
        except Resolver404:
            return None

    def run(self, who: str, client: Client, start: list[str]) -> None:
        """Crawls as `who` (the client logged in or not); every page in `start` is visited."""
        seen: set[str] = set()
        views: Counter = Counter()
        queue = [(url, False, True) for url in start]
        while queue and len(seen) < self.limit:
            url, fragment, forced = queue.pop(0)
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            key = f"{'hx ' if fragment else ''}{url}"
            if key in seen or parts.path.startswith(SKIPPED) or NOT_PAGES.search(parts.path):
                continue
            if parts.path.startswith(ADMIN) != self.admin:
                continue
            view = self.view_of(parts.path)
            if view is None or (not forced and views[(view, fragment)] >= self.per_view):
                continue
            seen.add(key)
            views[(view, fragment)] += 1
            headers = {"HX-Request": "true"} if fragment else {}
            response = client.get(url, headers=headers)
            self.visited[(who, key)] = response.status_code
            if response.status_code in {301, 302, 303} and not fragment:
                queue.append((urljoin(url, response["Location"]), False, forced))
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if "Content-Security-Policy" not in response:
                self.problems.setdefault(f"{who}: {key}", []).append("no Content-Security-Policy header")
            parser = inline_code(response.content.decode())
            if parser.found:
                self.problems.setdefault(f"{who}: {key}", []).extend(parser.found)
            queue += [(urljoin(url, link), False, False) for link in parser.links]
            queue += [(urljoin(url, link), True, False) for link in parser.fragments]


def test_no_page_of_the_demo_has_inline_script_or_style(seeded):
    crawl = Crawl()
    must = named_pages()
    private = private_links()
    assert len(private) == 7, private

    crawl.run("anonymous", Client(raise_request_exception=False), ANONYMOUS_PAGES + private)
    for email in (
        "penyelenggara@sinergi.test",
        "notulis@sinergi.test",
        "analis@sinergi.test",
        "narahubung@sinergi.test",
        "admin@sinergi.test",
    ):
        client = Client(raise_request_exception=False)
        # Through allauth's login (not force_login): its pages that ask for a recent login open.
        login = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert login.status_code == 302, email
        assert login["Location"] == "/dashboard/", email
        # Setting up two-factor authentication asks for the password again (allauth's
        # reauthentication page, itself crawled from /accounts/2fa/totp/activate/'s redirect).
        reauthenticated = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
        assert reauthenticated.status_code == 302, email
        start = [*must, *ALLAUTH_PAGES] if email == "admin@sinergi.test" else ["/dashboard/", *ALLAUTH_PAGES]
        crawl.run(email, client, start)

    assert crawl.problems == {}
    assert [visit for visit, status in crawl.visited.items() if status >= 500] == []
    # The crawl did reach the pages that matter (and they answered), not only a login form.
    expected = [("anonymous", url) for url in ANONYMOUS_PAGES + private]
    expected += [("admin@sinergi.test", url) for url in must + ALLAUTH_PAGES]
    expected += [(who, "/dashboard/") for who, _url in crawl.visited if who != "anonymous"]
    for visit in expected:
        assert crawl.visited.get(visit) == 200, (visit, crawl.visited.get(visit))
    per_visitor = Counter(who for who, _url in crawl.visited)
    assert len(per_visitor) == 6, per_visitor
    assert sum(per_visitor.values()) > 400, per_visitor


def test_no_admin_page_has_inline_script_or_style(seeded):
    """Django's admin (5.2) has no inline script; its one <style> is for a change list without
    actions, which no ModelAdmin of Sinergi has."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email="admin@sinergi.test"))
    crawl = Crawl(per_view=3, limit=400, admin=True)

    crawl.run("admin", client, ["/admin/"])

    # A page that fails (a 500 page has nothing inline either) is the admin's business, not the
    # policy's: this test reads what each answer holds.
    assert crawl.problems == {}
    assert crawl.visited[("admin", "/admin/")] == 200
    assert len([visit for visit, status in crawl.visited.items() if status == 200]) > 40, crawl.visited


def test_the_online_room_page_lets_the_host_form_lead_to_zoom(client, organizer, published_meeting):
    """Its "Start the meeting as host" form is redirected to Zoom: form-action allows Zoom there
    (and only there)."""
    from meetings.models import Meeting

    Meeting.objects.filter(pk=published_meeting.pk).update(mode=Meeting.Mode.HYBRID)
    client.force_login(organizer)

    room = client.get(f"/meetings/{published_meeting.code}/online-room/")
    detail = client.get(f"/meetings/{published_meeting.code}/")

    assert room.status_code == 200
    room_form_action = next(d for d in room["Content-Security-Policy"].split(";") if "form-action" in d)
    assert set(room_form_action.split()) == {"form-action", "'self'", "https://*.zoom.us"}
    assert "zoom.us" not in detail["Content-Security-Policy"]
