"""Photos from untrusted bytes (core.images): the web copy upright, small and without EXIF; the
type from the content; bombs, broken files and oversized files refused with a message."""

import pytest
from django.core.exceptions import ValidationError

from core.images import WEB_LONG_SIDE, check_photo
from tests.materials.photo_samples import (
    BLUE,
    GPS_IFD,
    RED,
    camera_jpeg,
    declared_png,
    image_bytes,
    opened,
    upload,
)

LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pixels": 100_000_000}


def close(pixel, color, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color, strict=True))


def test_a_camera_jpeg_comes_out_upright_small_and_without_exif():
    original = camera_jpeg()
    assert opened(original).getexif().get_ifd(GPS_IFD)  # the GPS is there to leak

    photo = check_photo(upload("../../DCIM/IMG_0001.JPG", original), **LIMITS)

    assert (photo.mime, photo.extension, photo.display_name) == ("image/jpeg", "jpg", "IMG_0001.jpg")
    # The original's size, upright (the stored 3000 × 2000 turned on its side).
    assert (photo.width, photo.height, photo.size) == (2000, 3000, len(original))
    web = opened(photo.web)
    assert web.format == "JPEG"
    assert web.mode == "RGB"
    assert web.size == (1067, WEB_LONG_SIDE)
    assert dict(web.getexif()) == {}
    assert b"Exif" not in photo.web
    assert b"Canon" not in photo.web
    # Turned 90° to the right: the band along the stored top edge now runs down the right side.
    assert close(web.getpixel((1060, 100)), BLUE)
    assert close(web.getpixel((5, 100)), RED)
    assert close(web.getpixel((1060, 1500)), RED)


def test_a_small_png_with_transparency_is_accepted_and_flattened_on_white():
    data = image_bytes("PNG", size=(640, 480), mode="RGBA", color=(0, 0, 0, 0))

    photo = check_photo(upload("foto.png", data, "image/png"), **LIMITS)

    assert (photo.mime, photo.display_name, photo.width, photo.height) == ("image/png", "foto.png", 640, 480)
    web = opened(photo.web)
    assert (web.format, web.size) == ("JPEG", (640, 480))
    assert close(web.getpixel((10, 10)), (255, 255, 255))


def test_a_webp_is_accepted_by_its_content_whatever_its_name():
    photo = check_photo(upload("foto.jpg", image_bytes("WEBP"), "image/jpeg"), **LIMITS)

    assert (photo.mime, photo.display_name) == ("image/webp", "foto.webp")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", b"Ini bukan foto, hanya teks.\n" * 20),
        ("foto.jpg", image_bytes("GIF")),
        ("foto.jpg", image_bytes("BMP")),
        ("foto.jpg", camera_jpeg()[:2000]),  # cut off: the header reads, the pixels do not
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
    ],
    ids=["text", "gif", "bmp", "truncated", "broken-png"],
)
def test_what_is_not_a_readable_jpeg_png_or_webp_is_refused_in_indonesian(name, content):
    with pytest.raises(ValidationError) as caught:
        check_photo(upload(name, content), **LIMITS)

    assert caught.value.messages == ["Ini bukan foto yang dapat dibaca: kirim gambar JPEG, PNG, atau WebP."]


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (12000, 10000)], ids=["pillow", "limit"])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width, height):
    bomb = declared_png(width, height)
    assert len(bomb) < 1000

    with pytest.raises(ValidationError) as caught:
        check_photo(upload("bom.png", bomb, "image/png"), **LIMITS)

    assert caught.value.code == "bomb"
    assert caught.value.messages == [
        "Gambar ini menyatakan lebih banyak piksel daripada foto mana pun; ditolak (bom dekompresi?)."
    ]


def test_a_photo_over_the_size_limit_or_empty_is_refused():
    data = image_bytes("JPEG")
    with pytest.raises(ValidationError) as caught:
        check_photo(upload("besar.jpg", data), max_bytes=len(data) - 1, max_pixels=10**8)
    assert caught.value.code == "size"
    assert caught.value.messages[0].startswith("Foto terlalu besar")

    with pytest.raises(ValidationError) as caught:
        check_photo(upload("kosong.jpg", b""), **LIMITS)
    assert caught.value.code == "empty"
