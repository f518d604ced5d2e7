"""Photos from untrusted bytes (Pillow): the type from the content, decompression bombs and
broken files refused with a message for the person, and a web copy without metadata.

Pillow decodes the image; nothing here parses image formats by hand. Only the header is read
before the checks (Image.open is lazy), so a file that declares a billion pixels is refused
before a byte of it is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .uploads import display_name

# Pillow's format name → (the type it is served as, the extension of its display name).
ACCEPTED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
WEB_LONG_SIDE = 1600
WEB_QUALITY = 82
# Pillow's own guard (Image.MAX_IMAGE_PIXELS) stays as it is for the whole process; the limit
# asked for here is checked on each file, so one setting cannot loosen another caller's guard.
_BROKEN = (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class Photo:
    """A checked photo: its real type, its size upright, and its web copy (JPEG bytes)."""

    mime: str
    extension: str
    size: int
    width: int
    height: int
    display_name: str
    web: bytes


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("This image declares more pixels than any photo has; it is refused (a decompression bomb?)."),
        code="bomb",
    )


def _not_a_photo() -> ValidationError:
    return ValidationError(
        _("This is not a photo that can be read: send a JPEG, PNG or WebP image."), code="type"
    )


def _open(data: bytes, max_pixels: int) -> Image.Image:
    with warnings.catch_warnings():
        # Between Pillow's warning and its error: our own check below decides.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED))
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels() from exc
        except _BROKEN as exc:
            raise _not_a_photo() from exc
    if image.format not in ACCEPTED:
        raise _not_a_photo()
    if image.width * image.height > max_pixels:
        raise _too_many_pixels()
    return image


def _web_copy(image: Image.Image) -> tuple[bytes, int, int]:
    """The web copy and the original's size upright. The copy: upright, at most WEB_LONG_SIDE px on its long side, RGB JPEG; no EXIF (GPS, camera,
    owner) goes along: Pillow writes EXIF only when given it. The colour profile is kept, so a
    phone's wide-gamut photo keeps its colours."""
    upright = ImageOps.exif_transpose(image)
    width, height = upright.size
    if upright.mode in ("RGBA", "LA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    upright.thumbnail((WEB_LONG_SIDE, WEB_LONG_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options = {"quality": WEB_QUALITY, "optimize": True, "progressive": True}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    upright.save(out, "JPEG", **options)
    return out.getvalue(), width, height


def check_photo(upload, *, max_bytes: int, max_pixels: int) -> Photo:
    """The upload as a photo and its web copy, or a ValidationError in the user's language.

    The original itself is not changed (it is the record, kept as uploaded, EXIF included:
    only the meeting's staff ever get it); everything shown on a page is the web copy.
    """
    size = upload.size
    if size is None or size > max_bytes:
        raise ValidationError(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(max_bytes)},
            code="size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The photo is too large; the limit is %(limit)s.") % {"limit": filesizeformat(max_bytes)}
        )
    image = _open(data, max_pixels)
    try:
        image.verify()
    except _BROKEN as exc:
        raise _not_a_photo() from exc
    # verify() leaves the image unusable: open it again to decode it, within the same limits.
    image = _open(data, max_pixels)
    try:
        image.load()
        web, width, height = _web_copy(image)
    except _BROKEN as exc:
        raise _not_a_photo() from exc
    mime, extension = ACCEPTED[image.format]
    return Photo(
        mime=mime,
        extension=extension,
        size=size,
        width=width,
        height=height,
        display_name=display_name(upload.name, extension),
        web=web,
    )
