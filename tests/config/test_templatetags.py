"""Dates and times written the Indonesian way, and in English when English is active."""

from datetime import UTC, date, datetime, time

from django.utils import translation

from config.templatetags.sinergi import datetime_in, hhmm, longdate, time_range


def test_longdate_in_indonesian():
    with translation.override("id"):
        assert longdate(date(2021, 9, 20)) == "Senin, 20 September 2021"
        assert longdate(date(2021, 9, 21)) == "Selasa, 21 September 2021"


def test_longdate_in_english():
    with translation.override("en"):
        assert longdate(date(2021, 9, 20)) == "Monday, 20 September 2021"


def test_time_range_uses_full_stop_and_zone_label_in_indonesian():
    with translation.override("id"):
        assert time_range(time(9), time(15), "Asia/Jakarta") == "09.00–15.00 WIB"
        assert time_range(time(9), time(15), "Asia/Makassar") == "09.00–15.00 WITA"
        assert time_range(time(9), time(15), "Asia/Jayapura") == "09.00–15.00 WIT"


def test_time_range_in_english_uses_colon():
    with translation.override("en"):
        assert hhmm(time(9, 30)) == "09:30"
        assert time_range(time(9), time(15), "Asia/Jakarta") == "09:00–15:00 WIB"


def test_datetime_in_converts_to_meeting_zone():
    moment = datetime(2021, 9, 20, 2, 0, tzinfo=UTC)
    with translation.override("id"):
        assert datetime_in(moment, "Asia/Jakarta") == "Senin, 20 September 2021 09.00 WIB"
        assert datetime_in(moment, "Asia/Jayapura") == "Senin, 20 September 2021 11.00 WIT"
