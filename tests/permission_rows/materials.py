"""Rows of the speakers' materials.

`build` gives meeting A (2031: not ended) a file of each visibility and a speaker's upload link
with a file uploaded through it, and makes an ended meeting of organizer A with a public file.
The staff pages are meeting A's staff's only; a registrant downloads through their private link
(another registration's genuine token is a 404); the speaker's page opens with the link's token
only; a public file is everyone's once its meeting has ended.
"""

from datetime import date, time


def build(world: dict, objects: dict) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from materials.services import materials, upload_links
    from meetings.models import Meeting
    from tests.factories import MeetingDayFactory, MeetingFactory
    from tests.permission_matrix_data import PDF

    a, organizer = objects["a"], objects["org_a"]

    def pdf(name: str):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    for visibility in ("staff", "participants", "public"):
        made = materials.add_file(
            a,
            upload=pdf(f"{visibility}.pdf"),
            visibility=visibility,
            agenda_item=objects["a_item"],
            actor=organizer,
        )
        world[f"material_{visibility}"] = made.pk
    link = upload_links.create(a, agenda_item=objects["a_item"], actor=organizer, name="Rendra S")
    world["upload_link"] = link.pk
    world["upload_link_token"] = link.urls.token
    world["material_speaker"] = materials.add_file(
        a, upload=pdf("slide.pdf"), visibility="participants", agenda_item=objects["a_item"], upload_link=link
    ).pk
    ended = MeetingFactory(title="FGD 2021 selesai", organizers=[organizer], status=Meeting.Status.HELD)
    MeetingDayFactory(meeting=ended, date=date(2021, 9, 20), start_time=time(9), end_time=time(15))
    world["ended_code"] = ended.code
    world["ended_public"] = materials.add_file(
        ended, upload=pdf("publik.pdf"), visibility="public", actor=organizer
    ).pk


def rows() -> list:
    from tests.test_permission_matrix import POST_ONLY, PUBLIC, TOKEN, Row, staff, with_code

    def speaker(**extra):
        return lambda w: {
            "pk": w["upload_link"],
            "token": w["upload_link_token"],
            **{k: w[v] for k, v in extra.items()},
        }

    speaker_wrong = {"registrant": lambda w: {"token": w["reg_token"]}}
    return [
        *staff("materials:materials"),
        *staff("materials:material_add", "materials:upload_link_create", expect=dict(POST_ONLY)),
        Row("materials:material_edit", with_code(pk="material_staff")),
        Row("materials:material_download", with_code(pk="material_staff")),
        Row("materials:material_delete", with_code(pk="material_staff"), expect=dict(POST_ONLY)),
        Row("materials:upload_link_revoke", with_code(pk="upload_link"), expect=dict(POST_ONLY)),
        Row(
            "materials:speaker_upload",
            speaker(),
            expect=dict(TOKEN),
            right=None,
            token="token",
            wrong=speaker_wrong,
        ),
        Row(
            "materials:speaker_download",
            speaker(material="material_speaker"),
            expect=dict(TOKEN),
            right=None,
            token="token",
            wrong=speaker_wrong,
        ),
        Row(
            "materials:speaker_delete",
            speaker(material="material_speaker"),
            expect=dict(TOKEN) | {"right": 405},
            right=None,
            token="token",
            wrong=speaker_wrong,
        ),
        Row(
            "materials:participant_download",
            lambda w: {"code": w["reg_code"], "token": w["reg_token"], "pk": w["material_participants"]},
            expect=dict(TOKEN),
            right=None,
            token="token",
            # Another registration's genuine token on this registration's code.
            wrong={"registrant": lambda w: {"token": w["reg2_token"]}},
        ),
        Row(
            "materials:public_download",
            lambda w: {"code": w["ended_code"], "pk": w["ended_public"]},
            expect=dict(PUBLIC),
            right=None,
            post=False,
        ),
    ]
