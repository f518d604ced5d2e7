"""Cleaning of names typed by people: invisible format characters go, letters stay."""

import pytest

from core.text import clean_name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Budi\u202e Santoso", "Budi Santoso"),  # right-to-left override
        ("Bu\u200bdi", "Budi"),  # zero-width space
        ("\u2066Kemnaker\u2069", "Kemnaker"),  # left-to-right isolate and its pop
        ("\ufeffBP2MI", "BP2MI"),  # byte-order mark
        ("Ni\u00adLuh", "NiLuh"),  # soft hyphen
        ("Ri\u200dna", "Rina"),  # zero-width joiner: no use in the Latin names the documents carry
        ("Kepala\tSeksi\u2028Wilayah  I", "Kepala Seksi Wilayah I"),  # controls and separators are spaces
        ("  Dr. Anisa Rahma, M.Si.  ", "Dr. Anisa Rahma, M.Si."),
        ("Ni Luh Putu Ayu Sukmawati", "Ni Luh Putu Ayu Sukmawati"),
        ("Gusti Ngurah Rai — Dinas Tenaga Kerja", "Gusti Ngurah Rai — Dinas Tenaga Kerja"),
        ("José Ñúñez", "José Ñúñez"),
        ("", ""),
    ],
)
def test_clean_name_removes_format_characters_and_keeps_letters(typed, stored):
    assert clean_name(typed) == stored


def test_clean_name_of_only_invisible_characters_is_empty():
    assert clean_name("\u200b\u202e\u2066") == ""
