"""The news article (berita kegiatan) as a .docx and as clean HTML to paste into the agency's
website: the headline, the dateline opening the lead, the body's paragraphs (a quotation as a
quotation), and the documentation photos chosen for the report.

The HTML holds nothing but h1, p and blockquote elements, every text escaped.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..models import NewsArticle
from . import toolkit
from .activity_report import add_photos, photos_of

QUOTES = ("“", '"', "”", "«")


def is_quotation(paragraph: str) -> bool:
    return paragraph.startswith(QUOTES)


def render(article: NewsArticle, *, language: str = "id") -> bytes:
    with override(language):
        doc = toolkit.new_document(
            title=article.headline,
            subject=article.meeting.theme or article.meeting.title,
            author=settings.SINERGI_SITE_NAME,
            language=language,
            keywords=_("news article"),
        )
        toolkit.paragraph(doc, article.headline, style="Title")
        lead = doc.add_paragraph()
        if article.dateline:
            lead.add_run(toolkit.safe(article.dateline.rstrip() + " ")).bold = True
        lead.add_run(toolkit.safe(" ".join(article.lead.split())))
        for paragraph in article.paragraphs():
            toolkit.paragraph(doc, " ".join(paragraph.split()), italic=is_quotation(paragraph))
        add_photos(doc, photos_of(article.meeting))
        return toolkit.to_bytes(doc)


def html(article: NewsArticle) -> str:
    """The article as plain semantic HTML (h1, p, blockquote), escaped."""
    lead = " ".join(article.lead.split())
    dateline = article.dateline.strip()
    parts = [f"<h1>{escape(' '.join(article.headline.split()))}</h1>"]
    if dateline:
        parts.append(f"<p><strong>{escape(dateline)}</strong> {escape(lead)}</p>")
    elif lead:
        parts.append(f"<p>{escape(lead)}</p>")
    for paragraph in article.paragraphs():
        text = escape(" ".join(paragraph.split()))
        parts.append(
            f"<blockquote><p>{text}</p></blockquote>" if is_quotation(paragraph) else f"<p>{text}</p>"
        )
    return "\n".join(parts) + "\n"


def filename(article: NewsArticle, extension: str = "docx") -> str:
    title = slugify(article.meeting.title)[:60].strip("-") or "rapat"
    return f"berita-{title}.{extension}"
