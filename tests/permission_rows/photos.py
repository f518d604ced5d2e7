"""Rows of the documentation photos (Dokumentasi): every page, web copy and original is meeting A's
staff's only (anyone else signed in gets 404, as for any object of another meeting).

`build` adds one photo to meeting A's first day (a small PNG, through the service).
"""


def build(world: dict, objects: dict) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from materials.services import photos

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 40)).save(out, "PNG")
    (photo,) = photos.add_photos(
        objects["a"],
        day=objects["a_day1"],
        uploads=[photos.Upload(SimpleUploadedFile("foto.png", out.getvalue(), "image/png"), "Pembukaan")],
        actor=objects["org_a"],
    )
    world["photo"] = photo.pk


def rows() -> list:
    from tests.test_permission_matrix import POST_ONLY, Row, staff, with_code

    return [
        *staff("materials:photos"),
        *staff("materials:photo_add", expect=dict(POST_ONLY)),
        *[
            Row(f"materials:{name}", with_code(pk="photo"))
            for name in ("photo_edit", "photo_delete", "photo_web", "photo_original")
        ],
        Row("materials:photo_report", with_code(pk="photo"), expect=dict(POST_ONLY)),
    ]
