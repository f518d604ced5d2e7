"""Agency invitation pages: the organizer's table and forms, and the focal point's private page."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import OutgoingEmail
from meetings.models import Meeting
from participants.models import AgencyInvitation, Registration
from participants.services import invitations as inv
from participants.services import registration as reg
from tests.conftest import login
from tests.factories import MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(published_meeting, organizer, kemlu):
    return inv.invite(
        published_meeting,
        actor=organizer,
        organization=kemlu,
        quota=2,
        focal_point_email="focal.kemlu@example.go.id",
        focal_point_name="Budi Santoso",
    )


@pytest.fixture
def other_invitation(published_meeting, organizer, kkp):
    return inv.invite(
        published_meeting,
        actor=organizer,
        organization=kkp,
        quota=3,
        focal_point_email="focal.kkp@example.go.id",
    )


def delegate(n, **extra):
    fields = {
        "full_name": f"Delegasi {n}",
        "position": "Analis Kebijakan",
        "email": f"delegasi{n}@example.go.id",
        "phone": f"0812 3456 78{n:02d}",
        "mode": "onsite",
        "language": "id",
        "authorised": True,
    }
    fields.update(extra)
    return fields


def form_data(n, **extra):
    data = delegate(n, **extra)
    data["authorised"] = "on" if data["authorised"] else ""
    return data


def list_url(meeting):
    return reverse("participants:invitations", kwargs={"code": meeting.code})


def respond_url(invitation):
    return invitation.urls.focal_point


def replace_url(invitation, nomination):
    return reverse(
        "participants:invitation_replace",
        kwargs={
            "pk": invitation.pk,
            "token": invitation.urls.token,
            "nomination_id": nomination.pk,
        },
    )


def withdraw_url(invitation, nomination):
    return reverse(
        "participants:invitation_withdraw",
        kwargs={
            "pk": invitation.pk,
            "token": invitation.urls.token,
            "nomination_id": nomination.pk,
        },
    )


# Organizer's table --------------------------------------------------------------------------


def row_counts(response, invitation):
    """The numbers in one row of the table, read from its data-col cells."""
    import re

    html = response.content.decode()
    row = html[html.index(f'id="invitation-{invitation.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = dict(re.findall(r'data-col="(\w+)">(\d+)', row))
    return {k: int(v) for k, v in cells.items()}


def test_organizer_table_shows_exact_counts(client, organizer, invitation, other_invitation):
    meeting = invitation.meeting
    Meeting.objects.filter(pk=meeting.pk).update(capacity_onsite=1)
    meeting.refresh_from_db()
    inv.nominate(invitation, **delegate(1))  # confirmed (the only on-site seat)
    inv.nominate(invitation, **delegate(2))  # waiting
    withdrawn = inv.nominate(other_invitation, **delegate(3, mode="online"))
    inv.withdraw_delegate(other_invitation, withdrawn)
    inv.remind([other_invitation], actor=organizer)

    response = login(client, organizer).get(list_url(meeting))
    assert response.status_code == 200
    assert row_counts(response, invitation) == {
        "quota": 2,
        "nominated": 2,
        "confirmed": 1,
        "waiting": 1,
        "reminders": 0,
    }
    assert row_counts(response, other_invitation) == {
        "quota": 3,
        "nominated": 0,
        "confirmed": 0,
        "waiting": 0,
        "reminders": 0,
    }
    assert response.context["totals"] == {
        "quota": 5,
        "nominated": 2,
        "confirmed": 1,
        "waiting": 1,
        "responded": 2,
        "invited": 2,
    }
    # Withdrawing the delegate answered the invitation, so the reminder above was not sent.
    assert AgencyInvitation.objects.get(pk=other_invitation.pk).reminder_count == 0
    content = response.content.decode()
    assert "focal.kemlu@example.go.id" in content
    assert 'id="id_organization"' in content


def test_organizer_table_counts_reminders_of_agencies_not_responded(client, organizer, invitation):
    inv.remind(invitation.meeting, actor=organizer)
    inv.remind(invitation.meeting, actor=organizer)
    response = login(client, organizer).get(list_url(invitation.meeting))
    assert row_counts(response, invitation)["reminders"] == 2


def test_invitation_table_anonymous_goes_to_login(client, invitation):
    response = client.get(list_url(invitation.meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_invitation_table_of_another_organizers_meeting_is_404_and_leaks_nothing(
    client, other_organizer, invitation
):
    response = login(client, other_organizer).get(list_url(invitation.meeting))
    assert response.status_code == 404
    content = response.content.decode()
    assert "Kementerian Luar Negeri" not in content
    assert "focal.kemlu@example.go.id" not in content


def test_other_organizer_cannot_invite_remind_or_revoke(client, other_organizer, invitation, kkp):
    meeting = invitation.meeting
    login(client, other_organizer)
    posts = [
        (
            list_url(meeting),
            {"organization": kkp.pk, "quota": 2, "focal_point_email": "x@example.go.id", "language": "id"},
        ),
        (reverse("participants:invitations_remind", kwargs={"code": meeting.code}), {}),
        (reverse("participants:invitation_revoke", kwargs={"code": meeting.code, "pk": invitation.pk}), {}),
        (
            reverse("participants:invitation_quota", kwargs={"code": meeting.code, "pk": invitation.pk}),
            {"quota": 9},
        ),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [404, 404, 404, 404]
    assert list(AgencyInvitation.objects.values_list("state", "quota", "reminder_count")) == [
        ("invited", 2, 0)
    ]


def test_secretary_sees_the_table_read_only(client, secretary, invitation):
    response = login(client, secretary).get(list_url(invitation.meeting))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kementerian Luar Negeri" in content
    assert 'id="id_organization"' not in content
    assert "invitation_revoke" not in content
    assert "/revoke/" not in content


def test_secretary_changes_are_forbidden(client, secretary, invitation, kkp):
    meeting = invitation.meeting
    login(client, secretary)
    posts = [
        (
            list_url(meeting),
            {"organization": kkp.pk, "quota": 2, "focal_point_email": "x@example.go.id", "language": "id"},
        ),
        (
            reverse("participants:invitations_bulk", kwargs={"code": meeting.code}),
            {"lines": "KKP;x@example.go.id;2", "language": "id"},
        ),
        (reverse("participants:invitations_remind", kwargs={"code": meeting.code}), {}),
        (reverse("participants:invitation_remind", kwargs={"code": meeting.code, "pk": invitation.pk}), {}),
        (reverse("participants:invitation_revoke", kwargs={"code": meeting.code, "pk": invitation.pk}), {}),
        (
            reverse("participants:invitation_quota", kwargs={"code": meeting.code, "pk": invitation.pk}),
            {"quota": 9},
        ),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [403] * 6
    assert list(AgencyInvitation.objects.values_list("organization", "state", "quota", "reminder_count")) == [
        (invitation.organization_id, "invited", 2, 0)
    ]


def test_organizer_invites_an_agency(client, organizer, published_meeting, kemlu, run_tasks):
    response = login(client, organizer).post(
        list_url(published_meeting),
        {
            "organization": kemlu.pk,
            "quota": 3,
            "focal_point_email": "Focal@Kemlu.example",
            "focal_point_name": "Budi",
            "language": "en",
        },
    )
    assert response.status_code == 302
    invitation = AgencyInvitation.objects.get()
    assert (invitation.organization, invitation.quota, invitation.focal_point_email, invitation.language) == (
        kemlu,
        3,
        "focal@kemlu.example",
        "en",
    )
    run_tasks()
    assert [m.to for m in mail.outbox] == [["focal@kemlu.example"]]


def test_inviting_an_agency_twice_shows_the_error_next_to_the_organization(
    client, organizer, invitation, kemlu
):
    response = login(client, organizer).post(
        list_url(invitation.meeting),
        {"organization": kemlu.pk, "quota": 3, "focal_point_email": "x@example.go.id", "language": "id"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organization"]
    assert AgencyInvitation.objects.count() == 1


def test_quota_below_nominated_shows_the_error_and_keeps_the_quota(client, organizer, invitation):
    inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    url = reverse(
        "participants:invitation_quota", kwargs={"code": invitation.meeting.code, "pk": invitation.pk}
    )
    response = login(client, organizer).post(url, {"quota": 1})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["quota"]
    assert AgencyInvitation.objects.get().quota == 2
    assert client.post(url, {"quota": 4}).status_code == 302
    assert AgencyInvitation.objects.get().quota == 4


def test_organizer_revokes_and_the_link_dies(client, organizer, invitation):
    old_path = respond_url(invitation)
    url = reverse(
        "participants:invitation_revoke", kwargs={"code": invitation.meeting.code, "pk": invitation.pk}
    )
    login(client, organizer)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert AgencyInvitation.objects.get().state == "revoked"
    client.logout()
    assert client.get(old_path).status_code == 404


def test_remind_all_button_reminds_only_agencies_not_responded(
    client, organizer, invitation, other_invitation
):
    inv.nominate(invitation, **delegate(1))
    url = reverse("participants:invitations_remind", kwargs={"code": invitation.meeting.code})
    assert login(client, organizer).post(url).status_code == 302
    assert dict(AgencyInvitation.objects.values_list("organization__acronym", "reminder_count")) == {
        "Kemlu": 0,
        "KKP": 1,
    }


def test_invitation_of_another_meeting_is_404_in_row_actions(client, organizer, invitation):
    mine = MeetingFactory(organizers=[organizer], status=Meeting.Status.PUBLISHED)
    url = reverse("participants:invitation_quota", kwargs={"code": mine.code, "pk": invitation.pk})
    assert login(client, organizer).post(url, {"quota": 9}).status_code == 404
    assert AgencyInvitation.objects.get().quota == 2


def test_bulk_invite_reports_line_errors_and_saves_nothing(client, organizer, published_meeting, kemlu):
    url = reverse("participants:invitations_bulk", kwargs={"code": published_meeting.code})
    response = login(client, organizer).post(
        url,
        {"lines": "Kemlu;tu@kemlu.example;3\nTidak Ada;x@example.go.id;2\nKemlu;bukan;0", "language": "id"},
    )
    assert response.status_code == 200
    assert [e.line for e in response.context["report"].refused] == [2, 3]
    assert "Tidak Ada" in response.content.decode()
    assert AgencyInvitation.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0


def test_bulk_invite_invites_every_line(client, organizer, published_meeting, kemlu, kkp):
    url = reverse("participants:invitations_bulk", kwargs={"code": published_meeting.code})
    response = login(client, organizer).post(
        url, {"lines": "Kemlu;tu@kemlu.example;3\nKKP;kkp@example.go.id;2", "language": "id"}
    )
    assert response.status_code == 302
    assert dict(AgencyInvitation.objects.values_list("organization__acronym", "quota")) == {
        "Kemlu": 3,
        "KKP": 2,
    }


def make_invitations(meeting, organizer, count, start=0):
    for n in range(start, start + count):
        invitation = inv.invite(
            meeting,
            actor=organizer,
            organization=OrganizationFactory(name=f"UPT {n}", parent=OrganizationFactory(name=f"Induk {n}")),
            quota=2,
            focal_point_email=f"upt{n}@example.go.id",
        )
        inv.nominate(invitation, **delegate(n))


def table_queries(client, meeting):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(list_url(meeting))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_invitation_table_runs_a_fixed_number_of_queries(client, organizer, published_meeting):
    login(client, organizer)
    make_invitations(published_meeting, organizer, 2)
    with_two = table_queries(client, published_meeting)
    make_invitations(published_meeting, organizer, 23, start=2)
    assert AgencyInvitation.objects.count() == 25
    assert table_queries(client, published_meeting) == with_two


# Focal point's page -------------------------------------------------------------------------


def test_focal_point_page_shows_meeting_quota_and_own_delegates_only(client, invitation, other_invitation):
    inv.nominate(invitation, **delegate(1, full_name="Rahmat Kemlu"))
    inv.nominate(
        other_invitation, **delegate(2, full_name="Zulkarnain Perikanan", email="zulkarnain@kkp.example")
    )
    response = client.get(respond_url(invitation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "FGD Pengawasan P3MI" in content
    assert "Pengawasan P3MI" in content
    assert "09.00–15.00 WIB" in content
    assert "09.00–12.00 WIB" in content
    assert "Kementerian Luar Negeri" in content
    assert "Rahmat Kemlu" in content
    assert "delegasi1@example.go.id" in content
    assert "Zulkarnain Perikanan" not in content
    assert "zulkarnain@kkp.example" not in content
    assert [d.full_name for d in response.context["delegates"]] == ["Rahmat Kemlu"]
    assert (response.context["seats_used"], response.context["seats_left"]) == (1, 1)


def test_focal_point_page_is_never_cached_or_indexed(client, invitation):
    response = client.get(respond_url(invitation))
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_tampered_or_foreign_token_is_404(client, invitation, other_invitation):
    token = invitation.urls.token
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    paths = [
        reverse("participants:invitation_respond", kwargs={"pk": invitation.pk, "token": tampered}),
        reverse("participants:invitation_respond", kwargs={"pk": other_invitation.pk, "token": token}),
        reverse("participants:invitation_respond", kwargs={"pk": 999999, "token": token}),
    ]
    assert [client.get(p).status_code for p in paths] == [404, 404, 404]
    assert client.post(paths[0], form_data(1)).status_code == 404
    assert Registration.objects.count() == 0


def test_revoked_link_is_404(client, organizer, invitation):
    path = respond_url(invitation)
    inv.revoke(invitation, actor=organizer)
    assert client.get(path).status_code == 404
    assert client.post(path, form_data(1)).status_code == 404
    assert Registration.objects.count() == 0


def test_focal_point_nominates_a_delegate(client, invitation, run_tasks):
    run_tasks()
    mail.outbox.clear()
    response = client.post(respond_url(invitation), form_data(1))
    assert response.status_code == 302
    assert response["Location"] == respond_url(invitation)
    registration = Registration.objects.get()
    assert (registration.full_name, registration.phone, registration.invitation, registration.state) == (
        "Delegasi 1",
        "+6281234567801",
        invitation,
        "confirmed",
    )
    run_tasks()
    assert [m.to for m in mail.outbox] == [["delegasi1@example.go.id"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "021 555 1234"),
        ("email", "bukan-email"),
        ("authorised", ""),
        ("mode", "zoom"),
        ("full_name", ""),
    ],
)
def test_bad_nomination_shows_the_error_next_to_the_field(client, invitation, field, value):
    response = client.post(respond_url(invitation), form_data(1, **{field: value}))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Registration.objects.count() == 0


def test_quota_reached_replaces_the_form_with_a_message(client, invitation):
    inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    response = client.get(respond_url(invitation))
    content = response.content.decode()
    assert "form" not in response.context
    assert 'id="quota-reached"' in content
    assert 'id="nominate-form"' not in content


def test_forced_post_over_quota_is_refused_and_creates_nothing(client, invitation, run_tasks):
    inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2))
    emails_before = OutgoingEmail.objects.count()
    response = client.post(respond_url(invitation), form_data(3))
    assert response.status_code == 200
    assert len(response.context["errors"]) == 1
    assert "2" in response.context["errors"][0]
    assert 'role="alert"' in response.content.decode()
    assert Registration.objects.count() == 2
    assert OutgoingEmail.objects.count() == emails_before


def test_nomination_closed_for_a_draft_meeting_shows_why(client, invitation):
    Meeting.objects.filter(pk=invitation.meeting_id).update(status=Meeting.Status.DRAFT)
    response = client.get(respond_url(invitation))
    assert response.status_code == 200
    assert 'id="nominations-closed"' in response.content.decode()
    assert client.post(respond_url(invitation), form_data(1)).status_code == 200
    assert Registration.objects.count() == 0


def test_focal_point_replaces_a_delegate(client, invitation):
    old = inv.nominate(invitation, **delegate(1))
    url = replace_url(invitation, old)
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(2))
    assert response.status_code == 302
    assert dict(Registration.objects.values_list("email", "state")) == {
        "delegasi1@example.go.id": "cancelled",
        "delegasi2@example.go.id": "confirmed",
    }


def test_focal_point_withdraws_a_delegate(client, invitation):
    old = inv.nominate(invitation, **delegate(1))
    url = withdraw_url(invitation, old)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert Registration.objects.get().state == "cancelled"


def test_focal_point_cannot_act_on_another_agencys_delegate(client, invitation, other_invitation):
    theirs = inv.nominate(other_invitation, **delegate(2, full_name="Zulkarnain Perikanan"))
    public = reg.register(
        invitation.meeting, full_name="Publik Saja", email="publik@example.test", mode="onsite", consent=True
    ).registration
    # Their nomination's id, and an id this agency has no nomination under.
    for registration in (theirs, public):
        replace = replace_url(invitation, registration)
        withdraw = withdraw_url(invitation, registration)
        get_response = client.get(replace)
        assert get_response.status_code == 404
        assert registration.full_name not in get_response.content.decode()
        assert client.post(replace, form_data(3)).status_code == 404
        assert client.get(withdraw).status_code == 404
        assert client.post(withdraw).status_code == 404
    assert dict(Registration.objects.values_list("email", "state")) == {
        "delegasi2@example.go.id": "confirmed",
        "publik@example.test": "confirmed",
    }


def test_withdrawn_delegate_cannot_be_withdrawn_again(client, invitation):
    old = inv.nominate(invitation, **delegate(1))
    inv.withdraw_delegate(invitation, old)
    assert client.post(withdraw_url(invitation, old)).status_code == 404


def test_focal_point_submits_are_rate_limited_per_client(client, invitation, settings):
    from django.core.cache import cache

    cache.clear()
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 2
    statuses = [client.post(respond_url(invitation), form_data(n)).status_code for n in (1, 2, 3)]
    neighbour = client.post(respond_url(invitation), form_data(4), REMOTE_ADDR="192.0.2.44").status_code
    cache.clear()

    assert (statuses, neighbour) == ([302, 302, 429], 200)
    # The third submit changed nothing; the neighbour's reached the service (and found the seats taken).
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "delegasi1@example.go.id",
        "delegasi2@example.go.id",
    ]


def test_focal_point_answers_alike_whoever_the_address_belongs_to(
    client, invitation, other_invitation, organizer
):
    """New, registered publicly, nominated by another agency: the same answer and the same row."""
    inv.update_quota(invitation, actor=organizer, quota=3)
    reg.register(
        invitation.meeting,
        full_name="Siti Rahayu",
        position="Kepala Subdirektorat",
        email="siti@example.test",
        mode="online",
        consent=True,
    )
    inv.nominate(other_invitation, **delegate(9, full_name="Zulkarnain Perikanan", email="zul@kkp.example"))
    typed = [
        delegate(1, email="baru@example.go.id"),
        delegate(2, email="siti@example.test"),
        delegate(3, email="zul@kkp.example"),
    ]
    answers = []
    for data in typed:
        response = client.post(respond_url(invitation), form_data(0, **data), follow=True)
        [message] = [str(m) for m in response.context["messages"]]
        answers.append(
            (response.redirect_chain, message.replace(data["full_name"], "N").replace(data["email"], "E"))
        )
    page = client.get(respond_url(invitation)).content.decode()

    assert answers[0] == answers[1] == answers[2]
    # The data that could leak is there.
    assert sorted(Registration.objects.values_list("full_name", "position")) == [
        ("Delegasi 1", "Analis Kebijakan"),
        ("Siti Rahayu", "Kepala Subdirektorat"),
        ("Zulkarnain Perikanan", "Analis Kebijakan"),
    ]
    assert [word for word in ("Siti Rahayu", "Kepala Subdirektorat", "Zulkarnain") if word in page] == []
    rows = re.findall(r'<tr id="delegate-\d+"[^>]*>(.*?)</tr>', page, flags=re.S)
    normalized = {
        re.sub(r"/delegates/\d+/", "/delegates/ID/", row)
        .replace(data["full_name"], "N")
        .replace(data["email"], "E")
        for row, data in zip(rows, typed, strict=True)
    }
    assert len(normalized) == 1
    assert "Diusulkan" in normalized.pop()
    # Nothing of the others' registrations changed.
    assert dict(Registration.objects.values_list("email", "invitation")) == {
        "siti@example.test": None,
        "zul@kkp.example": other_invitation.pk,
        "baru@example.go.id": invitation.pk,
    }


def test_registered_person_accepts_the_nomination_through_the_emailed_link(client, invitation, run_tasks):
    public = reg.register(
        invitation.meeting, full_name="Siti Rahayu", email="siti@example.test", mode="online", consent=True
    ).registration
    nomination = inv.nominate(invitation, **delegate(1, email="siti@example.test"))
    url = nomination.urls.accept
    tampered = url.rstrip("/")[:-2] + "AA/"

    page = client.get(url)
    assert (page.status_code, client.get(tampered).status_code) == (200, 404)
    assert page["Referrer-Policy"] == "same-origin"
    assert "Kementerian Luar Negeri" in page.content.decode()
    response = client.post(url)

    assert response["Location"] == public.urls.private
    public.refresh_from_db()
    assert (public.invitation, public.full_name, public.mode) == (invitation, "Siti Rahayu", "online")
    assert 'id="acceptance-closed"' in client.get(url).content.decode()


def cell_text(response, invitation, col: str) -> str:
    html = response.content.decode()
    row = html[html.index(f'id="invitation-{invitation.pk}"') :]
    cell = row[row.index(f'data-col="{col}"') :]
    cell = cell[cell.index(">") + 1 : cell.index("</td>")]
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_an_unanswered_invitation_reads_not_responded_and_when_it_was_sent(client, organizer, invitation):
    from config.templatetags.sinergi import datetime_in

    response = login(client, organizer).get(list_url(invitation.meeting))
    sent = datetime_in(invitation.invited_at, invitation.meeting.timezone)
    assert cell_text(response, invitation, "responded") == (
        f"Belum menjawab diundang pada {sent} tanpa batas waktu pengusulan · "
        "ubah batas waktu pengusulan Kementerian Luar Negeri"
    )


def test_quotas_beyond_the_capacity_are_warned_about_not_refused(client, organizer, invitation, kkp):
    meeting = invitation.meeting
    Meeting.objects.filter(pk=meeting.pk).update(capacity_onsite=3, capacity_online=1)
    login(client, organizer)
    assert 'id="quota-warning"' not in client.get(list_url(meeting)).content.decode()

    response = client.post(
        list_url(meeting),
        {"organization": kkp.pk, "quota": 3, "focal_point_email": "kkp@example.go.id", "language": "id"},
        follow=True,
    )

    expected = (
        "Kursi semua instansi berjumlah 5, lebih dari kapasitas rapat (4). "
        "Instansi dapat mengusulkan lebih banyak orang daripada kursi yang tersedia; "
        "mereka yang tidak mendapat kursi masuk daftar tunggu."
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Kementerian Kelautan dan Perikanan (KKP) telah diundang; email telah dikirim kepada narahubung."
    ]
    assert AgencyInvitation.objects.filter(meeting=meeting).count() == 2
    for html in (
        response.content.decode(),
        client.get(reverse("participants:invitations_bulk", kwargs={"code": meeting.code})).content.decode(),
    ):
        assert html.count('id="quota-warning"') == 1
        warning = html[html.index('id="quota-warning"') :]
        text = warning[warning.index(">") + 1 : warning.index("</div>")]
        assert " ".join(text.split()) == expected


def test_no_quota_warning_when_a_mode_has_no_capacity_limit(client, organizer, invitation):
    Meeting.objects.filter(pk=invitation.meeting_id).update(capacity_onsite=1, capacity_online=None)
    html = login(client, organizer).get(list_url(invitation.meeting)).content.decode()
    assert 'id="quota-warning"' not in html


def test_only_organizers_get_the_focal_points_link(client, organizer, secretary, invitation):
    meeting = invitation.meeting
    meeting.secretaries.add(secretary)
    link = invitation.urls.absolute.focal_point
    assert link in login(client, organizer).get(list_url(meeting)).content.decode()
    page = login(client, secretary).get(list_url(meeting))
    assert (
        page.status_code,
        link in page.content.decode(),
        invitation.urls.token in page.content.decode(),
    ) == (
        200,
        False,
        False,
    )


def deadline_url(invitation):
    return reverse(
        "participants:invitation_deadline", kwargs={"code": invitation.meeting.code, "pk": invitation.pk}
    )


def test_organizer_sets_a_deadline_in_the_meeting_time_zone_and_the_focal_point_sees_it(
    client, organizer, invitation
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    Meeting.objects.filter(pk=invitation.meeting_id).update(timezone="Asia/Makassar")
    response = login(client, organizer).post(
        deadline_url(invitation), {"nomination_deadline": "2031-09-15T16:00"}
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.nomination_deadline == datetime(2031, 9, 15, 16, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    page = client.get(respond_url(invitation)).content.decode()
    assert "Usulkan delegasi Anda paling lambat Senin, 15 September 2031 16.00 WITA." in page


def test_after_the_deadline_the_focal_point_page_says_why_and_changes_nothing(client, invitation):
    from django.utils import timezone

    nomination = inv.nominate(invitation, **delegate(1))
    AgencyInvitation.objects.filter(pk=invitation.pk).update(nomination_deadline=timezone.now())
    page = client.get(respond_url(invitation)).content.decode()
    assert 'id="nominations-closed"' in page
    assert "Batas waktu pengusulan (" in page
    assert client.post(respond_url(invitation), form_data(2)).status_code == 200
    assert client.post(withdraw_url(invitation, nomination)).status_code == 302
    assert list(Registration.objects.values_list("email", "state")) == [
        ("delegasi1@example.go.id", "confirmed")
    ]


def test_secretaries_cannot_change_a_deadline(client, secretary, invitation):
    invitation.meeting.secretaries.add(secretary)
    response = login(client, secretary).post(
        deadline_url(invitation), {"nomination_deadline": "2031-09-15T16:00"}
    )
    invitation.refresh_from_db()
    assert (response.status_code, invitation.nomination_deadline) == (403, None)


def test_organizer_sees_nominations_waiting_for_the_persons_answer(client, organizer, invitation):
    reg.register(
        invitation.meeting, full_name="Siti Rahayu", email="siti@example.test", mode="online", consent=True
    )
    inv.nominate(invitation, **delegate(1))
    inv.nominate(invitation, **delegate(2, email="siti@example.test"))
    response = login(client, organizer).get(list_url(invitation.meeting))
    assert cell_text(response, invitation, "nominated") == "1 +1 sudah terdaftar, diminta menyetujui"


def test_the_invite_form_takes_a_deadline_in_the_meeting_time_zone(client, organizer, published_meeting, kkp):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    Meeting.objects.filter(pk=published_meeting.pk).update(timezone="Asia/Jayapura")
    data = {
        "organization": kkp.pk,
        "quota": 2,
        "focal_point_email": "kkp@example.go.id",
        "language": "id",
        "nomination_deadline": "2031-09-10T12:00",
    }
    assert login(client, organizer).post(list_url(published_meeting), data).status_code == 302
    assert AgencyInvitation.objects.get().nomination_deadline == datetime(
        2031, 9, 10, 12, 0, tzinfo=ZoneInfo("Asia/Jayapura")
    )
    data.update(organization=OrganizationFactory(name="Unit Lain").pk, nomination_deadline="2020-01-01T12:00")
    response = client.post(list_url(published_meeting), data)
    assert response.context["form"].errors == {
        "nomination_deadline": ["Batas waktu pengusulan harus di masa mendatang."]
    }
    assert AgencyInvitation.objects.count() == 1
