"""Reading a transcript file into cues: WebVTT as Zoom writes it, SRT, or plain "Name: text" lines.

WebVTT and SRT go through webvtt-py (a maintained parser of both formats) rather than our own
timestamp parsing; this module only decodes the bytes, picks the format and splits the
"Speaker: text" prefix Zoom puts on each cue.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass

import webvtt
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 5 * 1024 * 1024
MAX_CUES = 50_000
LABEL_CHARS = 80

VTT, SRT, PLAIN = "vtt", "srt", "plain"

# "Rendra S - Kemnaker: Selamat pagi" → label, text. A label holds no sentence punctuation, so
# "Catatan penting: ..." inside speech is rare enough to accept, "Jam 10:30 kita mulai" is not one.
SPEAKER = re.compile(rf"^\s*(?P<label>[^:?!\n]{{1,{LABEL_CHARS}}}?)\s*:\s+(?P<text>\S.*)$", re.DOTALL)
SRT_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.MULTILINE)


@dataclass(frozen=True)
class Cue:
    """One caption: offsets in milliseconds from the recording's start (None in plain text)."""

    start_ms: int | None
    end_ms: int | None
    speaker: str
    text: str


@dataclass(frozen=True)
class Transcript:
    format: str
    cues: list[Cue]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM, as Windows editors save it."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not readable text: save it as UTF-8 (or UTF-16) and upload it again."),
            code="encoding",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def detect(text: str) -> str:
    head = text.lstrip("\ufeff \n\t")
    if head.startswith("WEBVTT"):
        return VTT
    if SRT_TIMING.search(text[:2000]):
        return SRT
    return PLAIN


def split_speaker(text: str) -> tuple[str, str]:
    match = SPEAKER.match(text)
    if match is None:
        return "", text.strip()
    return match["label"].strip(), match["text"].strip()


def _clean(text: str) -> str:
    return " ".join(text.split())


def _check_count(count: int) -> None:
    if count > MAX_CUES:
        raise ValidationError(
            ngettext(
                "The transcript has more than %(max)d cue: split it into several files.",
                "The transcript has more than %(max)d cues: split it into several files.",
                MAX_CUES,
            )
            % {"max": MAX_CUES},
            code="too_many_cues",
        )


TIMING = re.compile(r"^\s*(\d+:)?\d{2}:\d{2}[.,]\d{3}\s+-->\s+(\d+:)?\d{2}:\d{2}[.,]\d{3}(\s.*)?$")


def _bad_timing(text: str) -> str:
    """The first timing line ("00:00:01.000 --> ...") that is not one, to point the uploader at."""
    for line in text.split("\n"):
        if "-->" in line and not TIMING.match(line):
            return line.strip()
    return ""


def _timed(text: str, fmt: str) -> list[Cue]:
    try:
        if fmt == VTT:
            parsed = webvtt.WebVTT.from_string(text, strict=True)
        else:
            parsed = webvtt.WebVTT.from_buffer(io.StringIO(text), format="srt")
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError):
        label = "WebVTT" if fmt == VTT else "SRT"
        line = _bad_timing(text)
        if line:
            message = _(
                "The file is not a valid %(format)s transcript: the line “%(line)s” cannot be read. Nothing was imported."
            ) % {"format": label, "line": line[:80]}
        else:
            message = _("The file is not a valid %(format)s transcript. Nothing was imported.") % {
                "format": label
            }
        raise ValidationError(message, code="malformed") from None
    captions = parsed.captions
    _check_count(len(captions))
    cues = []
    for caption in captions:
        if caption.voice:  # <v Name>text</v>: the speaker is the voice span's
            speaker, body = caption.voice.strip()[:LABEL_CHARS], _clean(caption.text)
        else:
            speaker, body = split_speaker(_clean(caption.text))
        if not body:
            continue
        start = caption.start_time.in_milliseconds()
        end = max(caption.end_time.in_milliseconds(), start)
        cues.append(Cue(start, end, speaker, body))
    cues.sort(key=lambda cue: cue.start_ms)  # stable: cues starting together keep file order
    return cues


def _plain(text: str) -> list[Cue]:
    """Each "Name: text" line is a cue; a line without a name continues the previous speaker."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    _check_count(len(lines))
    cues: list[Cue] = []
    speaker = ""
    for line in lines:
        label, body = split_speaker(line)
        if label:
            speaker = label
        if body:
            cues.append(Cue(None, None, speaker, _clean(body)))
    return cues


def parse(data: bytes, fmt: str | None = None) -> Transcript:
    """The file's cues in order; ValidationError with a message for the uploader if it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB: split it into several files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    text = decode(data)
    fmt = fmt or detect(text)
    cues = _plain(text) if fmt == PLAIN else _timed(text, fmt)
    if not cues:
        raise ValidationError(_("The file holds no speech to import. Nothing was imported."), code="empty")
    return Transcript(fmt, cues)
