"""Property tests of the staff forms tests/test_fuzz_forms.py leaves out: follow-up evidence
uploads, the organizer's messages, hosts and agenda roles, the transcript import and review,
the directory (organizations, people, the CSV import) and the minutes' workflow. Whatever is
posted (any Unicode, control characters, huge texts, missing and repeated fields, any bytes as a
file under any name), the answer is never a server error, and a refused request changes nothing
in the database."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from minutes.models import Minutes
from minutes.services.transcripts import import_transcript
from tests.factories import AgendaRoleFactory, MeetingHostFactory, OrganizationFactory, PersonFactory
from tests.fuzz_support import CHARACTERS, check, fuzz, post_data, texts, values
from tests.minutes.services.conftest import (  # noqa: F401 (fixtures)
    chair,
    draft,
    fgd,
    kemnaker,
    notulis,
    rendra,
)
from tests.minutes.transcripts.conftest import PLAIN, ZOOM_SRT, ZOOM_VTT
from tests.test_fuzz_forms import (  # noqa: F401 (fixtures)
    STATES,
    analyst,
    budi,
    follow_up,
    policy_world,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
AUDIT = ("core.AuditEntry",)


def one_of(*choices):
    return st.sampled_from(choices)


def refused_with_a_message(response) -> bool:
    """A redirect that carries an error message: the view refused and said why."""
    request = getattr(response, "wsgi_request", None)
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(m.level >= message_levels.ERROR for m in queued)


def check_redirecting(client, send, **kwargs):
    """`check`, and also: a view that refuses by a redirect with an error message changed nothing."""
    response, changed = check(client, send, **kwargs)
    if refused_with_a_message(response):
        allowed = set(kwargs.get("allowed_when_refused", ()))
        assert [t for t in changed if t not in allowed] == [], f"refused with a message but changed {changed}"
    return response, changed


# Files ------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
FILE_NAMES = st.one_of(
    one_of(
        "bukti.pdf",
        "../../etc/passwd",
        "..\\..\\windows\\system32\\bukti.pdf",
        "/etc/shadow.pdf",
        "bukti.pdf\x00.exe",
        "a\r\nContent-Type: text/html.pdf",
        'kutip"an.pdf',
        "\u202efdp.exe",
        "....pdf",
        ".pdf",
        "x" * 5000 + ".pdf",
        "Laporan Ñandú 日本語.docx",
    ),
    st.text(CHARACTERS, min_size=1, max_size=40),
    st.text(CHARACTERS, min_size=1, max_size=10).map(lambda s: s * 300 + ".pdf"),
).filter(
    # A name the client cannot send at all (Django's file objects refuse it before any request).
    lambda name: os.path.basename(name) not in ("", ".", "..")
)
DOCUMENTS = st.one_of(
    one_of(
        PDF,
        PNG,
        DOCX,
        b"",
        b"MZ\x90\x00 a program, not a PDF" * 10,
        b"PK\x03\x04 broken zip",
        _zip({"just.txt": b"no office parts"}),
        _zip({"[Content_Types].xml": b"<Types/>", "other/x.xml": b"<x/>"}),
        PDF[:4],
        b"\xff\xd8\xff",  # a JPEG's first bytes, no more
    ),
    st.binary(max_size=300),
    st.binary(max_size=64).map(lambda tail: PDF + tail),
)


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# Follow-up evidence -----------------------------------------------------------------------------


@example(
    data={"state": "accepted", "note": "x", "happened_on": "2020-01-01", "evidence_url": ""},
    name="../../etc/passwd",
    content=b"",
    content_type="application/pdf",
)
@fuzz()
@given(
    data=post_data(follow_up(), state=STATES),
    name=FILE_NAMES,
    content=DOCUMENTS,
    content_type=one_of("application/pdf", "text/html", "application/octet-stream", "", "image/png;x=\x7f"),
)
def test_follow_up_evidence_uploads_never_fail_and_refusals_change_nothing(
    client,
    organizer,
    policy_world,  # noqa: F811 (a fixture)
    data,
    name,
    content,
    content_type,
):
    client.force_login(organizer)
    Minutes.objects.update(state=Minutes.State.APPROVED)
    url = reverse("policy:recommendation", kwargs={"key": policy_world["rec"].key})
    data = data | {"evidence_file": upload(name, content, content_type)}
    stored_before = set(os.listdir(settings.POLICY_EVIDENCE_ROOT))
    response, changed = check(client, lambda: client.post(url, data))
    if response.status_code != 302:
        # A refused upload leaves no file behind either.
        assert set(os.listdir(settings.POLICY_EVIDENCE_ROOT)) == stored_before
    assert changed == [] or response.status_code == 302


@fuzz()
@given(due=post_data({"due_on": "2031-12-31"}))
def test_follow_up_due_date_never_fails_and_refusals_change_nothing(
    client,
    organizer,
    policy_world,  # noqa: F811 (a fixture)
    due,
):
    client.force_login(organizer)
    Minutes.objects.update(state=Minutes.State.APPROVED)
    url = reverse("policy:due", kwargs={"key": policy_world["rec"].key})
    check_redirecting(client, lambda: client.post(url, due))


# The organizer's messages and the reminders page ------------------------------------------------


@example(
    data={"subject": "Info", "body": "Isi", "states": ["confirmed", "pending", "waitlisted"]},
    audience={"states": ["confirmed"], "modes": "onsite"},
)
@example(
    data={"subject": "Info", "body": "Isi", "states": ["confirmed"], "organizations": "9" * 30},
    audience={"organizations": "9" * 5000},
)
@example(data={"preview": "1", "states": "²", "modes": ["online", "x"]}, audience={"organizations": "²"})
@fuzz()
@given(
    data=post_data(
        {"subject": "Perubahan ruangan", "body": "Rapat pindah ke Ruang Rapat Lt. 3."},
        states=st.lists(one_of("confirmed", "waitlisted", "pending", "declined"), max_size=3),
        modes=st.lists(one_of("onsite", "online"), max_size=2),
        organizations=st.just("ORG"),
        preview=one_of("1"),
    ),
    audience=post_data({"states": "confirmed"}, modes=one_of("onsite", "online"), organizations=texts()),
)
def test_announcement_and_audience_forms_never_fail_and_refusals_change_nothing(
    client,
    organizer,
    budi,  # noqa: F811 (a fixture)
    data,
    audience,
):
    client.force_login(organizer)
    meeting = budi.meeting
    if data.get("organizations") == "ORG":
        data["organizations"] = [str(budi.organization_id or 0)]
    url = reverse("participants:reminders", kwargs={"code": meeting.code})
    response, changed = check(client, lambda: client.post(url, data))
    if "preview" in data:
        assert changed == []
    audience_url = reverse("participants:reminders_audience", kwargs={"code": meeting.code})
    _response, changed = check(client, lambda: client.get(audience_url, audience, **HX))
    assert changed == []


# Hosts, speakers and moderators -----------------------------------------------------------------


@pytest.fixture
def hosted(meeting):
    """The meeting with one host agency, a speaker on its first item, and people to choose."""
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    OrganizationFactory(name="Kementerian Luar Biasa", acronym="Kemlu")  # an ambiguous acronym
    host = MeetingHostFactory(
        meeting=meeting, organization=OrganizationFactory(name="BP2MI", acronym="BP2MI")
    )
    item = meeting.days.order_by("date").first().items.order_by("order").first()
    speaker = AgendaRoleFactory(agenda_item=item, person=PersonFactory(full_name="Rendra Setiawan"))
    person = PersonFactory(full_name="Siti Rahayu", organization=kemlu)
    PersonFactory(full_name="Siti Rahayu", organization=None)  # the same name twice
    return {"kemlu": kemlu, "host": host, "item": item, "speaker": speaker, "person": person}


@example(host={"organization": "9" * 30, "organization_text": "", "role": "co_host"}, role={}, htmx=False)
@example(
    host={"organization": "²", "organization_text": "Kemlu"}, role={"person_text": "Siti Rahayu"}, htmx=True
)
@fuzz()
@given(
    host=post_data(
        {"organization": "ORG", "organization_text": "Kementerian Luar Negeri"},
        role=one_of("organizer", "co_host"),
    ),
    role=post_data(
        {"person": "PERSON", "person_text": "Siti Rahayu — Kemlu"}, role=one_of("speaker", "moderator")
    ),
    htmx=st.booleans(),
)
def test_host_and_agenda_role_forms_never_fail_and_refusals_change_nothing(
    client, organizer, hosted, host, role, htmx
):
    client.force_login(organizer)
    meeting = hosted["item"].day.meeting
    if host.get("organization") == "ORG":
        host["organization"] = str(hosted["kemlu"].pk)
    if role.get("person") == "PERSON":
        role["person"] = str(hosted["person"].pk)
    extra = HX if htmx else {}
    code = meeting.code
    check(client, lambda: client.post(reverse("meetings:hosts", kwargs={"code": code}), host, **extra))
    roles_url = reverse("meetings:agenda_roles", kwargs={"code": code, "item_id": hosted["item"].pk})
    check(client, lambda: client.post(roles_url, role, **extra))


@fuzz()
@given(data=post_data({}, extra=values()), htmx=st.booleans())
def test_host_and_agenda_role_removals_never_fail(client, organizer, hosted, data, htmx):
    client.force_login(organizer)
    code = hosted["item"].day.meeting.code
    extra = HX if htmx else {}
    for url in (
        reverse("meetings:host_delete", kwargs={"code": code, "host_id": hosted["host"].pk}),
        reverse("meetings:agenda_role_delete", kwargs={"code": code, "role_id": hosted["speaker"].pk}),
    ):
        check(client, lambda url=url: client.post(url, data, **extra))


# Transcripts ------------------------------------------------------------------------------------


def _mangled(text: str) -> st.SearchStrategy[bytes]:
    """The file cut anywhere, a line replaced by anything, or re-encoded badly."""
    lines = text.splitlines()
    return st.one_of(
        st.integers(0, len(text)).map(lambda n: text[:n].encode()),
        st.tuples(st.integers(0, len(lines) - 1), st.text(CHARACTERS, max_size=40)).map(
            lambda pair: "\n".join(lines[: pair[0]] + [pair[1]] + lines[pair[0] + 1 :]).encode()
        ),
        one_of("utf-16-le", "latin-1", "utf-16", "utf-8-sig").map(
            lambda encoding: text.replace("Lismia", "Lïsmîa").encode(encoding)
        ),
    )


TRANSCRIPTS = st.one_of(
    one_of(
        ZOOM_VTT.encode(),
        ZOOM_SRT.encode(),
        PLAIN.encode(),
        b"",
        b"WEBVTT",
        b"WEBVTT\n\n1\n00:00:05 --> 00:00:09.480\nAni: halo\n",
        b"WEBVTT\n\n99:99:99.999 --> 00:00:00.000\nAni: mundur\n",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"A: " + b"x" * 20000 + b"\n",
        b"1\n00:00:01,000 --> 00:00:00,500\nB: terbalik\n",
        b"\xff\xfe\x00\xd8",  # a UTF-16 BOM and a lone surrogate
        b"\x00" * 100,
        PDF,
    ),
    _mangled(ZOOM_VTT),
    _mangled(ZOOM_SRT),
    _mangled(PLAIN),
    st.binary(max_size=300),
    st.text(CHARACTERS, max_size=200).map(lambda t: ("WEBVTT\n\n" + t).encode()),
)


@pytest.fixture
def day(fgd):  # noqa: F811 (a fixture)
    return fgd.days.order_by("date").first()


@example(
    data={"day": "DAY", "format": "plain", "start_time": "09:00"},
    name="catatan.txt",
    content=PLAIN.encode(),
    prepared=False,
)
@example(
    data={"day": "DAY", "format": "vtt", "section": "9" * 30},
    name="a.vtt",
    content=ZOOM_VTT.encode(),
    prepared=True,
)
@fuzz()
@given(
    data=post_data(
        {"format": "", "day": "DAY", "start_time": "09:00", "section": ""},
        format=one_of("", "vtt", "srt", "plain"),
        section=st.just("SECTION"),
    ),
    name=st.one_of(
        one_of("GMT20310922-020000_Recording.transcript.vtt", "zoom.srt", "catatan.txt"), FILE_NAMES
    ),
    content=TRANSCRIPTS,
    prepared=st.booleans(),
)
def test_transcript_upload_never_fails_and_refusals_change_nothing(
    client,
    fgd,  # noqa: F811 (a fixture)
    notulis,  # noqa: F811
    day,
    data,
    name,
    content,
    prepared,
):
    from minutes.services.preparation import prepare_minutes

    client.force_login(notulis)
    minutes = prepare_minutes(fgd, author=notulis) if prepared else None
    if data.get("day") == "DAY":
        data["day"] = str(day.pk)
    if data.get("section") == "SECTION":
        data["section"] = str(minutes.sections.order_by("order").first().pk) if minutes else "1"
    data = data | {"file": upload(name, content, "text/vtt")}
    url = reverse("minutes:transcripts", kwargs={"code": fgd.code})
    check(client, lambda: client.post(url, data))


@pytest.fixture
def transcript(draft, notulis):  # noqa: F811 (fixtures)
    return import_transcript(
        draft, upload("zoom.vtt", ZOOM_VTT.encode(), "text/vtt"), author=notulis
    ).transcript


@example(review={"accept": "9" * 30}, edit={}, htmx=False)
@example(review={"merge": "1", "drafts": ["9" * 30, "²"]}, edit={"section": "9" * 30, "text": "x"}, htmx=True)
@example(review={"discard": "99999999999999999999"}, edit={"section": "²"}, htmx=True)
@fuzz()
@given(
    review=st.one_of(
        post_data({}, accept=st.just("DRAFT")),
        post_data({}, discard=st.just("DRAFT")),
        post_data({"merge": "1"}, drafts=st.just("DRAFTS")),
    ),
    edit=post_data({"text": "Gangguan audio.", "section": "SECTION"}, accept=one_of("1")),
    htmx=st.booleans(),
)
def test_transcript_review_and_draft_edit_never_fail_and_refusals_change_nothing(
    client,
    transcript,
    notulis,  # noqa: F811 (a fixture)
    review,
    edit,
    htmx,
):
    client.force_login(notulis)
    drafts = list(transcript.drafts.order_by("starts_at", "id").values_list("pk", flat=True))
    for key in ("accept", "discard"):
        if review.get(key) == "DRAFT":
            review[key] = str(drafts[2])
    if review.get("drafts") == "DRAFTS":
        review["drafts"] = [str(drafts[0]), str(drafts[1])]
    if edit.get("section") == "SECTION":
        edit["section"] = str(transcript.minutes.sections.order_by("order").first().pk)
    code = transcript.minutes.meeting.code
    extra = HX if htmx else {}
    review_url = reverse("minutes:transcript_review", kwargs={"code": code, "pk": transcript.pk})
    check_redirecting(client, lambda: client.post(review_url, review, **extra))
    edit_url = reverse(
        "minutes:draft_edit", kwargs={"code": code, "pk": transcript.pk, "draft_id": drafts[4]}
    )
    check(client, lambda: client.post(edit_url, edit))


# The directory ----------------------------------------------------------------------------------


ORGANIZATION = {
    "name": "Direktorat Pelindungan WNI",
    "acronym": "PWNI",
    "kind": "other",
    "parent": "PARENT",
    "parent_text": "Kementerian Luar Negeri",
    "timezone": "Asia/Jakarta",
}
PERSON = {
    "full_name": "Rina Wulandari",
    "position": "Analis Kebijakan",
    "organization": "PARENT",
    "organization_text": "Kementerian Luar Negeri",
    "email": "rina@kemlu.go.id",
    "phone": "+62 812 3456 7890",
}


@pytest.fixture
def directory(db):
    kemlu = OrganizationFactory(name="Kementerian Luar Negeri", acronym="Kemlu")
    unit = OrganizationFactory(name="Direktorat Asia", acronym="Asia", parent=kemlu)
    person = PersonFactory(full_name="Budi Santoso", organization=kemlu, email="budi@kemlu.go.id")
    return {"kemlu": kemlu, "unit": unit, "person": person}


def _resolve(data: dict, field: str, pk: int) -> dict:
    if data.get(field) == "PARENT":
        data[field] = str(pk)
    return data


@example(org={"name": "Kementerian Luar Negeri", "parent": "9" * 30}, person={}, edit=True)
@example(org={"name": "Direktorat Asia", "parent_text": "Direktorat Asia"}, person={"phone": "²"}, edit=True)
@fuzz()
@given(
    org=post_data(ORGANIZATION, kind=one_of("ministry", "agency", "regional_unit", "other", "x")),
    person=post_data(PERSON),
    edit=st.booleans(),
)
def test_organization_and_person_forms_never_fail_and_refusals_change_nothing(
    client, organizer, directory, org, person, edit
):
    client.force_login(organizer)
    kemlu = directory["kemlu"]
    org = _resolve(org, "parent", kemlu.pk)
    person = _resolve(person, "organization", kemlu.pk)
    if edit:
        # The ministry made a unit of its own unit would be a cycle.
        org_url = reverse("directory:organization_edit", kwargs={"pk": kemlu.pk})
        org = org | ({"parent": str(directory["unit"].pk)} if org.get("parent") == str(kemlu.pk) else {})
        person_url = reverse("directory:person_edit", kwargs={"pk": directory["person"].pk})
    else:
        org_url = reverse("directory:organization_create")
        person_url = reverse("directory:person_create")
    check(client, lambda: client.post(org_url, org))
    check(client, lambda: client.post(person_url, person))


CSV_HEADER = "name,acronym,kind,parent,timezone\n"
CSV_ROWS = st.lists(
    st.tuples(
        st.one_of(texts(), one_of("Badan Baru", "Kementerian Luar Negeri", "")),
        st.one_of(st.text(CHARACTERS, max_size=10), one_of("BB", "")),
        one_of("agency", "ministry", "regional_unit", "other", "", "Kementerian", "x"),
        one_of("", "Kemlu", "Badan Baru", "Tidak Ada"),
        one_of("Asia/Jakarta", "Asia/Makassar", "", "Mars/Olympus"),
    ).map(lambda row: ",".join('"' + str(cell).replace('"', '""') + '"' for cell in row)),
    max_size=4,
)
CSVS = st.one_of(
    CSV_ROWS.map(lambda rows: (CSV_HEADER + "\n".join(rows)).encode()),
    CSV_ROWS.map(lambda rows: ("\ufeff" + CSV_HEADER + "\r\n".join(rows)).encode("utf-8")),
    st.text(CHARACTERS, max_size=200).map(str.encode),
    st.binary(max_size=200),
    one_of(
        b"",
        b"name\n" + b"\x00" * 10,
        b'name,acronym\n"unterminated,x\n',
        b"\xff\xfe" + "name\nBadan\n".encode("utf-16-le"),
        b"name,name,name\nA,B,C\n",
        ("name\n" + "Badan\n" * 3 + ",,,,,,,,\n").encode(),
    ),
)


@example(content=b"name\n" + b"a" * 200_000 + b"\n", name="besar.csv")
@example(
    content=(CSV_HEADER + "Badan Baru,BB,agency,Kemlu,Asia/Makassar\nUnit Baru,,,Badan Baru,\n").encode(),
    name="organisasi.csv",
)
@fuzz()
@given(content=CSVS, name=st.one_of(one_of("organisasi.csv", "ORGANISASI.CSV", "data.xlsx"), FILE_NAMES))
def test_organization_csv_import_never_fails_and_refusals_change_nothing(
    client, organizer, directory, content, name
):
    client.force_login(organizer)
    url = reverse("directory:organization_import")
    response, changed = check(client, lambda: client.post(url, {"file": upload(name, content, "text/csv")}))
    report = response.context.get("report") if response.context else None
    if report is not None and not report.ok:
        assert changed == [], f"an import with errors changed {changed}"
    if changed:
        assert response.status_code == 302


# The minutes' workflow --------------------------------------------------------------------------


@example(data={"action": "correct", "reason": "\x00"}, state="approved", who="chair", version="1")
@example(
    data={"action": "publish", "audience": ["public", "staff"]}, state="approved", who="chair", version="1"
)
@fuzz()
@given(
    data=post_data(
        {"reason": "Daftar hadir belum lengkap.", "audience": "participants"},
        action=one_of("submit", "return", "approve", "correct", "publish", "unpublish"),
        audience=one_of("participants", "public", "staff"),
    ),
    state=one_of("draft", "submitted", "approved"),
    who=one_of("chair", "notulis"),
    version=one_of("1", "2"),
)
def test_minutes_workflow_never_fails_and_refusals_change_nothing(
    client,
    draft,  # noqa: F811 (fixtures)
    chair,  # noqa: F811
    notulis,  # noqa: F811
    data,
    state,
    who,
    version,
):
    Minutes.objects.filter(pk=draft.pk).update(state=state)
    client.force_login(chair if who == "chair" else notulis)
    url = reverse("minutes:workflow", kwargs={"code": draft.meeting.code, "version": version})
    check_redirecting(client, lambda: client.post(url, data))


# Merging recommendations and the focal point's evidence upload --------------------------------


@pytest.fixture
def two_meetings(policy_world, organizer):  # noqa: F811 (a fixture)
    """The world's recommendation and one of another meeting: a pair that may be merged."""
    from tests.policy.test_registry import make_meeting, make_minutes, make_rec

    minutes = make_minutes(make_meeting(organizer, date(2022, 3, 10), "Rapat Koordinasi Lanjutan"))
    later = make_rec(minutes, "Tim pengawasan P3MI", addressed_to=[policy_world["org"]])
    Minutes.objects.update(state=Minutes.State.APPROVED)
    return policy_world["rec"], later


KEYS = st.lists(st.one_of(st.sampled_from(["first", "second"]), texts()), max_size=4)


@example(keys=["first", "second"], primary="second", extra={})
@example(keys=["first", "first"], primary="first", extra={})
@fuzz()
@given(keys=KEYS, primary=st.one_of(st.sampled_from(["first", "second"]), texts()), extra=values())
def test_merge_never_fails_and_refusals_change_nothing(client, analyst, two_meetings, keys, primary, extra):  # noqa: F811
    first, second = two_meetings
    known = {"first": str(first.key), "second": str(second.key)}
    client.force_login(analyst)
    data = {"key": [known.get(k, k) for k in keys], "primary": known.get(primary, primary)}
    if isinstance(extra, dict):
        data |= {k: v for k, v in extra.items() if k not in data}
    check(client, lambda: client.post(reverse("policy:merge"), data))


@fuzz()
@given(data=post_data({}, extra=values()), merged=st.booleans())
def test_unmerge_never_fails(client, analyst, two_meetings, data, merged):  # noqa: F811
    from django.db import transaction

    from policy.services import followup as policy_services

    first, second = two_meetings
    client.force_login(analyst)
    with transaction.atomic():  # each example starts from the same pair
        if merged:
            policy_services.merge(first, [second], user=analyst)
        response = client.post(reverse("policy:unmerge", kwargs={"key": second.key}), data)
        transaction.set_rollback(True)
    assert response.status_code == 302


@fuzz()
@given(
    data=post_data(follow_up(), state=STATES),
    name=FILE_NAMES,
    content=DOCUMENTS,
    content_type=one_of("application/pdf", "application/octet-stream", ""),
)
def test_focal_point_evidence_upload_never_fails_and_refusals_change_nothing(
    client,
    policy_world,  # noqa: F811 (a fixture)
    data,
    name,
    content,
    content_type,
):
    from core.tokens import make_token

    Minutes.objects.update(state=Minutes.State.APPROVED)
    fp = policy_world["fp"]
    url = reverse(
        "policy:focal_point_recommendation",
        kwargs={
            "pk": fp.pk,
            "token": make_token("focal_point", fp.pk, fp.token_version),
            "key": policy_world["rec"].key,
        },
    )
    stored_before = set(os.listdir(settings.POLICY_EVIDENCE_ROOT))
    response, changed = check(
        client, lambda: client.post(url, data | {"evidence_file": upload(name, content, content_type)})
    )
    if response.status_code != 302:
        assert set(os.listdir(settings.POLICY_EVIDENCE_ROOT)) == stored_before
