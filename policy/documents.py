"""The policy-input document (bahan masukan kebijakan) in Word, in Indonesian or English, in the
house style of the Notula (minutes/documents/toolkit.py): the organizing unit's letterhead, the
title, I. Executive summary, II. Background, III. Findings by theme, IV. Recommendations by
addressee then instrument, V. Closing, Sources (each meeting with date, place and speakers) and
the Appendix: the recommendations table with provenance and follow-up.

The recommendations come in already read (`services.briefs.recommendations`): building the
document runs no query but the letterhead's.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from minutes.documents import notula, toolkit
from minutes.documents.toolkit import Cell, Cm
from minutes.models import Recommendation

from .models import PolicyBrief, PolicyBriefVersion
from .services import briefs

LANGUAGES = briefs.LANGUAGES
# Six columns on 16 cm, in 9 pt: an agency's name ("Kementerian Ketenagakerjaan") and a date
# ("2 Desember 2026") fit their columns without breaking inside a word.
APPENDIX_WIDTHS = [Cm(0.9), Cm(4.1), Cm(3.0), Cm(2.0), Cm(3.5), Cm(2.5)]
APPENDIX_FONT = 18  # half points
ROMAN = ("I", "II", "III", "IV", "V")


def _heading(doc, text: str, level: int = 1):
    p = toolkit.styled_paragraph(doc, f"Heading {level}")
    p.add_run(toolkit.safe(text))
    return p


def _prose(doc, text: str) -> None:
    """What the analyst typed: plain text, a paragraph per line (a blank line is no paragraph)."""
    lines = [line.strip() for line in toolkit.safe(text).replace("\r", "").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        toolkit.paragraph(doc, "-")
    for line in lines:
        toolkit.paragraph(doc, line)


def _capitalized(text: str) -> str:
    """Every word capitalized, as official headings are ("Latar Belakang"); the rest kept."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def headings(language: str) -> list[str]:
    """The document's top-level headings, in order (what a reader of the outline sees)."""
    with override(language):
        numbered = [
            _("Executive Summary"),
            _("Background"),
            _("Findings"),
            _("Recommendations"),
            _("Closing"),
        ]
        return [f"{ROMAN[n]}. {_capitalized(text)}" for n, text in enumerate(numbered)] + [
            _capitalized(_("Sources")),
            _("Appendix: Recommendations and Their Follow-up"),
        ]


def render(
    brief: PolicyBrief, version: PolicyBriefVersion, recs: Sequence[Recommendation], language: str = "id"
) -> bytes:
    return build(brief, version, recs, language)


def build(
    brief: PolicyBrief, version: PolicyBriefVersion, recs: Sequence[Recommendation], language: str = "id"
) -> bytes:
    """The document of this version, of these recommendations (as the reader may see them)."""
    if language not in LANGUAGES:
        language = "id"
    with override(language):
        return toolkit.to_bytes(_build(brief, version, list(recs), language))


def _build(brief, version, recs, language):
    briefs.number(recs)
    themes = briefs.by_theme(recs)
    names = headings(language)
    doc = toolkit.new_document(
        title=version.title,
        subject=_("Policy input document"),
        author=str(version.saved_by) if version.saved_by else settings.SINERGI_SITE_NAME,
        language=language,
        keywords=", ".join(
            [_("policy input"), _("version %(version)s") % {"version": version.number}]
            + [g.name for g in themes if g.slug]
        ),
    )
    if recs:
        notula.add_letterhead(doc, recs[0].minutes.meeting)
    toolkit.paragraph(doc, _("POLICY INPUT"), style="Title")
    toolkit.paragraph(doc, version.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(12))

    _heading(doc, names[0])
    _prose(doc, version.summary)

    _heading(doc, names[1])
    _prose(doc, version.background)

    _heading(doc, names[2])
    findings = version.findings or {}
    listed = set()
    n = 0
    for group in themes:
        n += 1
        listed.add(group.slug)
        _heading(doc, f"{n}. {group.name}", 2)
        _prose(doc, findings.get(group.slug, ""))
    # Findings kept for a theme no recommendation the reader sees has any more.
    for slug, text in findings.items():
        if slug not in listed and str(text).strip():
            n += 1
            _heading(doc, f"{n}. {slug or _('Other findings')}", 2)
            _prose(doc, text)
    if not n:
        toolkit.paragraph(doc, "-")

    _heading(doc, names[3])
    lists = toolkit.lists_for(doc)
    groups = briefs.by_addressee(recs)
    if not groups:
        toolkit.paragraph(doc, "-")
    for a, group in enumerate(groups, 1):
        _heading(doc, f"{a}. {group.name}", 2)
        for i, inst in enumerate(group.instruments, 1):
            _heading(doc, f"{a}.{i}. {inst.label}", 3)
            for k, rec in enumerate(inst.recommendations, 1):
                toolkit.rich_text(doc, rec.text, lists=lists, lead=f"{k}. ")
                lists.reset()
                toolkit.paragraph(
                    doc, _("(Appendix no. %(number)s)") % {"number": rec.number}, italic=True, size=Pt(9)
                )

    _heading(doc, names[4])
    _prose(doc, version.closing)

    _heading(doc, names[5])
    sources = briefs.sources(recs)
    if not sources:
        toolkit.paragraph(doc, "-")
    for s, source in enumerate(sources, 1):
        p = doc.add_paragraph()
        p.add_run(f"{s}. ")
        p.add_run(toolkit.safe(source.meeting.title)).bold = True
        toolkit.paragraph(doc, _("Date: %(days)s") % {"days": source.days})
        toolkit.paragraph(doc, _("Place: %(place)s") % {"place": source.place})
        toolkit.paragraph(doc, _("Speakers: %(names)s") % {"names": "; ".join(source.speakers) or "-"})

    toolkit.page_break(doc)
    _heading(doc, names[6])
    if recs:
        labels = dict(Recommendation.Instrument.choices)
        toolkit.data_table(
            doc,
            [
                _("No."),
                _("Recommendation"),
                _("Addressed to"),
                _("Instrument"),
                _("Source"),
                _("Follow-up"),
            ],
            (
                [
                    Cell(f"{rec.number}.", align="right"),
                    Cell(rec.text, rich=True),
                    "\n".join(o.name for o in rec.addressed_to.all()) or "-",
                    str(labels.get(rec.instrument, rec.instrument)),
                    "\n".join(briefs.provenance(rec)),
                    briefs.follow_up_text(rec),
                ]
                for rec in recs
            ),
            APPENDIX_WIDTHS,
            size=APPENDIX_FONT,
        )
    else:
        toolkit.paragraph(doc, "-")
    toolkit.page_x_of_y_footer(
        doc, _("Page {page} of {pages}"), (_("Policy input") + f" — {version.title}")[:120]
    )
    return doc


def filename(brief: PolicyBrief, version: PolicyBriefVersion, language: str = "id") -> str:
    """`masukan-kebijakan-<title>-v2.docx` (`policy-input-...-en.docx` in English)."""
    base = "masukan-kebijakan" if language == "id" else "policy-input"
    title = slugify(version.title)[:60].strip("-") or str(brief.pk)
    return f"{base}-{title}-v{version.number}{'-en' if language == 'en' else ''}.docx"
