"""Rows the activity report reads, made directly through the models: documentation photos with
Pillow-generated JPEG web copies, and speakers' materials."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from materials.models import DocumentationPhoto, Material


def jpeg(width: int = 640, height: int = 480, color=(30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=80)
    return out.getvalue()


def add_photo(meeting, day, caption: str, *, in_report: bool = True, order: int = 0, size=(640, 480)):
    data = jpeg(*size)
    photo = DocumentationPhoto(
        meeting=meeting,
        day=day,
        caption=caption,
        in_report=in_report,
        order=order,
        mime="image/jpeg",
        width=size[0],
        height=size[1],
        size=len(data),
        display_name="foto.jpg",
    )
    photo.original.save("original.jpg", ContentFile(data), save=False)
    photo.web.save("web.jpg", ContentFile(data), save=False)
    photo.save()
    return photo


def add_material(meeting, title: str, *, item=None, kind=Material.Kind.FILE, display_name="paparan.pdf"):
    material = Material(
        meeting=meeting,
        agenda_item=item,
        title=title,
        kind=kind,
        display_name=display_name if kind == Material.Kind.FILE else "",
        url="https://example.test/materi" if kind == Material.Kind.LINK else "",
        mime="application/pdf" if kind == Material.Kind.FILE else "",
    )
    if kind == Material.Kind.FILE:
        material.file.save("paparan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    material.save()
    return material
