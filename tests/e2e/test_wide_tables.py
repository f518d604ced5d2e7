"""Wide tables scroll inside their own box: the page itself never scrolls sideways, at a laptop's
1280 px and a phone's 390 px, on the registration list, the invitation list and the focal
point's nomination page."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from meetings.models import Meeting
from participants.services import invitations as inv
from tests.e2e.test_plan_meeting import log_in
from tests.factories import MeetingDayFactory, MeetingFactory, OrganizationFactory, OrganizerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


def overflow(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    return page.evaluate(
        """() => {
            const doc = document.documentElement;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > doc.clientWidth + 1
                              && !el.closest('.table-responsive, .visually-hidden, .visually-hidden-focusable'))
                .slice(0, 3).map(el => el.tagName + '.' + el.className);
            return {scroll: doc.scrollWidth, client: doc.clientWidth, culprits: wide};
        }"""
    )


@pytest.fixture
def crowded_meeting():
    organizer = OrganizerFactory(email="penyelenggara@example.test")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    meeting = MeetingFactory(
        title="FGD Sinergi dan Koordinasi Multi Stakeholder dalam Pengawasan Perusahaan Penempatan P3MI",
        status=Meeting.Status.PUBLISHED,
        organizers=[organizer],
        capacity_onsite=50,
        capacity_online=50,
    )
    MeetingDayFactory(meeting=meeting, date=timezone.localdate() + timezone.timedelta(days=30))
    org = OrganizationFactory(
        name="Unit Pelaksana Teknis Badan Pelindungan Pekerja Migran Indonesia Provinsi Nusa Tenggara Timur",
        acronym="UPT BP2MI Kupang",
    )
    invitation = inv.invite(
        meeting,
        actor=organizer,
        organization=org,
        quota=5,
        focal_point_email="kepala.subbagian.tata.usaha.upt.kupang@bp2mi.example.go.id",
        focal_point_name="Yohanes Kristoforus Ndolu Seran",
    )
    for n in range(3):
        inv.nominate(
            invitation,
            full_name=f"Maria Goreti Fransiska Nggadas Lewokeda Delegasi {n}",
            position="Analis Pelindungan Pekerja Migran Ahli Muda pada Seksi Pelindungan dan Pemberdayaan",
            email=f"maria.goreti.fransiska.nggadas.{n}@upt-kupang.bp2mi.example.go.id",
            phone=f"0812 3456 78{n:02d}",
            mode="onsite",
            authorised=True,
        )
    return organizer, meeting, invitation


def test_pages_never_scroll_sideways(page, crowded_meeting):
    organizer, meeting, invitation = crowded_meeting
    log_in(page, organizer.email, "secret-pass-123")
    results = {}
    for width in WIDTHS:
        for name, url in [
            ("registrations", meeting.urls.registrations),
            ("invitations", meeting.urls.invitations),
        ]:
            results[(name, width)] = overflow(page, url, width)
    focal = page.context.browser.new_context(base_url=page.url.split("/dashboard/")[0], locale="id-ID")
    focal_page = focal.new_page()
    for width in WIDTHS:
        results[("nomination", width)] = overflow(focal_page, invitation.urls.focal_point, width)
    focal.close()
    assert {key: (r["scroll"], r["culprits"]) for key, r in results.items()} == {
        key: (r["client"], []) for key, r in results.items()
    }


def visible_headers(page, table_id):
    return page.evaluate(
        f"""() => [...document.querySelectorAll('#{table_id} thead th')]
            .filter(th => getComputedStyle(th).display !== 'none')
            .map(th => th.innerText.trim())"""
    )


def test_phones_show_the_columns_that_matter(page, crowded_meeting):
    organizer, meeting, invitation = crowded_meeting
    log_in(page, organizer.email, "secret-pass-123")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(meeting.urls.registrations)
    assert visible_headers(page, "registration-table") == [
        "",
        "Kode",
        "Nama",
        "Instansi",
        "Cara hadir",
        "Keadaan",
        "Tindakan",
    ]
    page.goto(meeting.urls.invitations)
    assert visible_headers(page, "invitation-table") == [
        "Instansi",
        "Kursi",
        "Diusulkan",
        "Terkonfirmasi",
        "Daftar tunggu",
        "Tindakan",
    ]
    page.set_viewport_size({"width": 1280, "height": 800})
    assert len(visible_headers(page, "invitation-table")) == 9
    focal = page.context.browser.new_context(
        base_url=page.url.split("/meetings/")[0], locale="id-ID", viewport={"width": 390, "height": 800}
    )
    focal_page = focal.new_page()
    focal_page.goto(invitation.urls.focal_point)
    assert visible_headers(focal_page, "delegate-table") == ["Nama", "Cara hadir", "Status", "Tindakan"]
    focal.close()
