"""The Indonesian catalogue: pages render in Indonesian by default and in English on request."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from directory.models import Organization
from meetings.models import Meeting

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def read_po(path):
    """Return [(msgid, msgid_plural or None, [msgstr, ...])] for every live entry, header included
    (an entry with a context, msgctxt, is read like any other)."""
    entries = []
    current = None
    field = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if current is not None and field is not None and not line:
                entries.append(current)
                current, field = None, None
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            current[field] += ast.literal_eval(line)
            continue
        # An entry starts with its context (msgctxt), or with msgid when it has none.
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or "msgid" in current)):
            current = {}
        field = keyword
        current[field] = ast.literal_eval(rest)
    return [
        (
            entry["msgid"],
            entry.get("msgid_plural"),
            [value for key, value in sorted(entry.items()) if key.startswith("msgstr")],
        )
        for entry in entries
    ]


def set_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_every_message_is_translated():
    entries = [entry for entry in read_po(LOCALE_DIR / "django.po") if entry[0]]
    assert len(entries) > 400
    untranslated = [msgid for msgid, _plural, msgstrs in entries if not all(msgstrs)]
    assert untranslated == []

    with open(LOCALE_DIR / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    compiled = {key: value for key, value in catalog.items() if key != "" and value}
    assert len(compiled) == len(entries), "django.mo is out of date; run msgfmt"


def test_translations_keep_their_placeholders():
    for msgid, plural, msgstrs in read_po(LOCALE_DIR / "django.po"):
        if not msgid:
            continue
        source = plural if plural is not None else msgid
        for msgstr in msgstrs:
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(source)), msgid


def test_header_plural_forms_match_django():
    header = next(msgstrs[0] for msgid, _plural, msgstrs in read_po(LOCALE_DIR / "django.po") if not msgid)
    assert "Language: id\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header


def test_model_labels_in_both_languages():
    with translation.override("id"):
        assert str(Meeting.Status.PUBLISHED.label) == "Diterbitkan"
        assert str(Meeting.Status.CANCELLED.label) == "Dibatalkan"
        assert str(Meeting.Mode.ONSITE.label) == "Luring (tatap muka)"
        assert str(Meeting.Mode.HYBRID.label) == "Hibrida (luring dan daring)"
        assert str(Meeting.Kind.FGD.label) == "Focus Group Discussion"
        assert str(Organization.Kind.MINISTRY.label) == "Kementerian"
    with translation.override("en"):
        assert str(Meeting.Status.PUBLISHED.label) == "Published"
        assert str(Meeting.Mode.ONSITE.label) == "On-site"


def test_plural_messages():
    with translation.override("id"):
        assert ngettext("%(counter)s meeting", "%(counter)s meetings", 1) % {"counter": 1} == "1 rapat"
        assert ngettext("%(counter)s meeting", "%(counter)s meetings", 3) % {"counter": 3} == "3 rapat"
    with translation.override("en"):
        assert ngettext("%(counter)s meeting", "%(counter)s meetings", 3) % {"counter": 3} == "3 meetings"


@pytest.mark.django_db
def test_home_page_is_indonesian_by_default(client):
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in content
    assert ">Masuk</a>" in content
    # "Daftar" is the meeting's registration button; the account link says what it makes.
    assert ">Buat akun</a>" in content
    assert ">Daftar</a>" not in content
    assert ">Log in</a>" not in content


@pytest.mark.django_db
def test_home_page_in_english_from_the_cookie(client):
    set_english(client)
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content
    assert ">Log in</a>" in content
    assert ">Create account</a>" in content
    assert ">Masuk</a>" not in content


@pytest.mark.django_db
def test_set_language_view_switches_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert ">Log in</a>" in client.get(reverse("home")).content.decode()


def test_public_page_mode_label(client, published_meeting):
    url = reverse("meetings:public", kwargs={"code": published_meeting.code})
    content = client.get(url).content.decode()
    assert (
        '<dd class="col-8 col-sm-9 col-md-10 mb-1" id="meeting-mode">Hibrida (luring dan daring)</dd>'
        in content
    )
    assert '<th scope="col">Waktu</th><th scope="col">Sesi</th>' in content
    assert "Bergabung secara daring" in content

    set_english(client)
    content = client.get(url).content.decode()
    assert (
        '<dd class="col-8 col-sm-9 col-md-10 mb-1" id="meeting-mode">Hybrid (on-site and online)</dd>'
        in content
    )
    assert '<th scope="col">Time</th><th scope="col">Session</th>' in content


def test_meeting_overview_for_its_organizer(client, organizer, meeting):
    client.force_login(organizer)
    url = reverse("meetings:detail", kwargs={"code": meeting.code})
    content = client.get(url).content.decode()
    assert "Informasi utama" in content
    assert "Terbitkan" in content
    assert "Draf" in content
    assert "Daftar Rapat" in content

    set_english(client)
    content = client.get(url).content.decode()
    assert "Key facts" in content
    assert "Publish" in content


def test_djangos_own_messages_keep_djangos_wording():
    """An installed app's catalogue (Django REST framework's) may translate Django's messages
    differently; the site keeps Django's wording for every one of them."""
    import django
    from django.apps import apps

    def catalogue(directory: Path) -> dict:
        path = directory / "id" / "LC_MESSAGES" / "django.mo"
        return gettext.GNUTranslations(path.open("rb"))._catalog if path.exists() else {}

    own = catalogue(Path(django.__file__).parent / "conf" / "locale")
    replaced = set()
    for config in apps.get_app_configs():
        if (
            Path(config.path).resolve().is_relative_to(settings.BASE_DIR)
            and ".venv" not in Path(config.path).parts
        ):
            continue  # the project's own apps
        for msgid, text in catalogue(Path(config.path) / "locale").items():
            if isinstance(msgid, str) and msgid and own.get(msgid) not in (None, text):
                replaced.add(msgid)
    assert replaced, "no installed app translates a Django message differently: drop this test"
    with translation.override("id"):
        for msgid in sorted(replaced):
            assert translation.gettext(msgid) == own[msgid], msgid
