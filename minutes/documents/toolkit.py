"""The small python-docx toolkit every Word document of Sinergi is built with (the Notula, the
Daftar Hadir, later letters and policy input): A4 page, fonts, the letterhead, a fields table,
tables with a repeated header row, "Page X of Y", the DRAFT mark, rich text, core properties.

Everything a user typed goes through `safe` (characters XML 1.0 cannot hold are removed:
python-docx raises on them) and ends up as the text of a `w:t`, escaped; nothing a user types
can add an element, so it cannot change the document's structure.

Big tables are built as XML directly (one parse for all rows): python-docx's `add_row` and
`cell.text` cost more than the rest of a document put together at a thousand rows.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .. import richtext

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Arial is what Indonesian offices write official documents in; LibreOffice shows it with the
# metric-compatible Liberation Sans (fonts-liberation2), so line and page breaks agree with Word.
FONT = "Arial"
FONT_SIZE = Pt(11)
# A4, margins of the usual naskah dinas (left wider for binding).
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(2.0), Cm(2.0), Cm(3.0), Cm(2.0)
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
# What fits on the footer's line at 8 pt beside "Halaman 12 dari 12".
FOOTER_TEXT_CHARS = 90

# XML 1.0 forbids these (tab, newline and carriage return are allowed but handled apart).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|[\ud800-\udfff]")


def safe(text) -> str:
    """The text with every character XML cannot hold removed."""
    return _NOT_XML.sub("", "" if text is None else str(text))


# --- document -------------------------------------------------------------------------------


def new_document(
    *, title: str, subject: str = "", author: str = "", language: str = "id", keywords: str = ""
):
    """An empty A4 document in Arial, with its core properties set."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Cm(1.0)
    _set_fonts(doc, language)
    props = doc.core_properties
    props.title = safe(title)[:255]
    props.subject = safe(subject)[:255]
    props.author = safe(author)[:255]
    props.last_modified_by = safe(author)[:255]
    props.language = "id-ID" if language == "id" else "en-GB"
    props.keywords = safe(keywords)[:255]
    props.comments = ""
    props.revision = 1
    return doc


def _set_fonts(doc, language: str) -> None:
    lang = "id-ID" if language == "id" else "en-GB"
    for style in doc.styles:
        if getattr(style, "font", None) is None:
            continue
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attr), None)
        if style.name.startswith("Heading") or style.name == "Title":
            style.font.color.rgb = RGBColor(0, 0, 0)
    normal = doc.styles["Normal"]
    normal.font.size = FONT_SIZE
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    # The document's language, for spelling and hyphenation.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    for level, size in (("Heading 1", 12), ("Heading 2", 11), ("Heading 3", 11), ("Title", 14)):
        style = doc.styles[level]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(10 if level != "Title" else 0)
        style.paragraph_format.space_after = Pt(4)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The template's Title has a blue bottom border; an official heading has none.
    ppr = title.element.pPr
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _style_ids(container) -> dict[str, str]:
    """Style names to ids, read once per document: python-docx looks a name up by scanning every
    style, a millisecond per paragraph in a long document."""
    part = container.part
    cache = part.__dict__.get("_sinergi_style_ids")
    if cache is None:
        cache = {style.name: style.style_id for style in part.package.main_document_part.styles}
        part.__dict__["_sinergi_style_ids"] = cache
    return cache


def styled_paragraph(container, style: str | None = None):
    """`container.add_paragraph(style=...)`, with the style id looked up once per document."""
    p = container.add_paragraph()
    if style:
        p._p.style = _style_ids(container)[style]
    return p


def paragraph(container, text: str = "", *, bold=False, italic=False, align=None, style=None, size=None):
    p = styled_paragraph(container, style)
    if text:
        run = p.add_run(safe(text))
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = size
    if align is not None:
        p.alignment = align
    return p


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- letterhead, header, footer -------------------------------------------------------------


def letterhead_lines(organization) -> list[str]:
    """The letterhead's text: SINERGI_LETTERHEAD_LINES when set, else the organizing unit and the
    units above it, highest first, in capitals."""
    configured = [line for line in getattr(settings, "SINERGI_LETTERHEAD_LINES", []) if line.strip()]
    if configured:
        return configured
    names = []
    org = organization
    while org is not None and len(names) < 3:
        names.append(org.name.upper())
        org = org.parent
    return list(reversed(names))


def letterhead(doc, lines: Sequence[str], logo: str | None = None) -> None:
    """The organizing unit's letterhead: logo at the left (when configured and present), its
    lines centred, the first largest, a rule beneath."""
    if logo is None:
        logo = getattr(settings, "SINERGI_LETTERHEAD_LOGO", "") or ""
    lines = [safe(line) for line in lines if line]
    if logo and os.path.isfile(logo):
        table = doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        set_widths(table, [Cm(2.6), TEXT_WIDTH - Cm(2.6)])
        left, right = table.rows[0].cells
        left.paragraphs[0].add_run().add_picture(logo, width=Cm(2.2))
        target = right
        first = right.paragraphs[0]
    else:
        target = doc
        first = doc.add_paragraph()
    for index, line in enumerate(lines):
        p = first if index == 0 else target.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(line)
        run.bold = index < 2
        run.font.size = Pt(14 if index == 0 else 12 if index == 1 else 9)
    rule = doc.add_paragraph()
    rule.paragraph_format.space_after = Pt(8)
    ppr = rule._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="thickThinSmallGap" w:sz="18" w:space="1" w:color="000000"/></w:pBdr>'
        )
    )


def draft_mark(doc, note: str) -> None:
    """DRAFT at the top of every page, with why (version, state)."""
    header = doc.sections[0].header
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run("DRAFT")
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    if note:
        small = p.add_run("  " + safe(note))
        small.font.size = Pt(8)
        small.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES) with a cached result, as Word itself writes it."""
    p = paragraph._p
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}><w:t>{placeholder}</w:t></w:r>",
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        p.append(parse_xml(xml))


def page_x_of_y_footer(doc, template: str, left_text: str = "") -> None:
    """The footer: `left_text` (what the document is) and "Halaman X dari Y" on the right.
    `template` is the translated "Page {page} of {pages}"."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, _sep, rest = template.partition("{page}")
    middle, _sep, after = rest.partition("{pages}")
    if left_text:
        # One line: the page number must stay at the right margin, not wrap under the text.
        left_text = safe(left_text)
        if len(left_text) > FOOTER_TEXT_CHARS:
            left_text = left_text[: FOOTER_TEXT_CHARS - 1].rstrip() + "…"
        run = p.add_run(left_text + "\t")
        run.font.size = Pt(8)
        stops = p.paragraph_format.tab_stops
        # The Footer style's own center and right stops (Word's template: 3.25" and 6.5") would
        # catch the tab first and put the page number mid-page: cleared here.
        for inherited in p.style.paragraph_format.tab_stops:
            stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for text, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if text:
            p.add_run(text).font.size = Pt(8)
        if field:
            _field(p, field)
    # The field runs were added as XML: give them the same small size as the text around.
    for run in p._p.findall(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
            sz = OxmlElement("w:sz")
            sz.set(qn("w:val"), "16")
            rpr.append(sz)


# --- rich text ------------------------------------------------------------------------------


class _Lists:
    """Word numbering for numbered lists: each list gets its own w:num starting at its first
    number, so "1." after another list starts again at 1 as the secretary wrote it."""

    def __init__(self, doc):
        self.doc = doc
        self.current: dict[int, int] = {}

    def num_for(self, level: int, start: int) -> int:
        if level in self.current:
            return self.current[level]
        numbering = self.doc.part.numbering_part.element
        style = self.doc.styles[_list_style("number", level)]
        base_num = style.element.pPr.numPr.numId.val
        abstract = next(n for n in numbering.num_lst if n.numId == base_num).abstractNumId.val
        num = numbering.add_num(abstract)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(start)
        self.current[level] = num.numId
        return num.numId

    def reset(self, from_level: int = 0) -> None:
        for level in list(self.current):
            if level >= from_level:
                del self.current[level]


def _list_style(kind: str, level: int) -> str:
    base = "List Bullet" if kind == "bullet" else "List Number"
    return base if level == 0 else f"{base} {min(level, 2) + 1}"


def _runs_into(p, runs: Iterable[richtext.Run], *, bold=False) -> None:
    for run in runs:
        text = safe(run.text)
        if text:
            r = p.add_run(text)
            r.bold = (run.bold or bold) or None
            r.italic = run.italic or None
        if run.br:
            p.add_run().add_break()


def rich_text(container, text: str, *, lists: _Lists, lead: str = "") -> int:
    """The stored text's paragraphs, bold, italic, bulleted and numbered lists as Word's own
    (list styles, a numbering of its own per numbered list). `lead` (a speaker's name) starts the
    first paragraph in bold. Returns the number of paragraphs added."""
    added = 0
    for block in richtext.blocks(text):
        if block.kind == "paragraph":
            # A paragraph ends the lists deeper than itself (all of them at the top level).
            lists.reset(block.level + (1 if block.level else 0))
            p = container.add_paragraph()
            if block.level:
                p.paragraph_format.left_indent = Cm(0.63 * (block.level + 1))
        else:
            p = styled_paragraph(container, _list_style(block.kind, block.level))
            lists.reset(block.level + 1)
            if block.kind == "number":
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = lists.num_for(block.level, block.number or 1)
            else:
                lists.current.pop(block.level, None)
        if lead and added == 0:
            p.add_run(safe(lead)).bold = True
        _runs_into(p, block.runs)
        added += 1
    if lead and added == 0:
        p = container.add_paragraph()
        p.add_run(safe(lead)).bold = True
        added = 1
    return added


def lists_for(doc) -> _Lists:
    return _Lists(doc)


# --- tables ---------------------------------------------------------------------------------


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = tblpr.find(qn("w:tblBorders"))
    if borders is not None:
        tblpr.remove(borders)
    tblpr.append(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="nil"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
    )


def set_widths(table, widths: Sequence[int]) -> None:
    """Fixed column widths (Word and LibreOffice both honour tblGrid plus each cell's tcW)."""
    table.autofit = False
    tbl = table._tbl
    layout = tbl.tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl.tblPr.append(layout)
    layout.set(qn("w:type"), "fixed")
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(_twips(width)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


@dataclass(frozen=True)
class Cell:
    """A table cell: plain text (new lines become paragraphs) or a stored rich text, aligned."""

    text: str = ""
    rich: bool = False
    align: str = ""  # "", "right", "center"
    bold: bool = False


def _twips(width) -> int:
    return int(width / 635)


def _run_xml(text: str, bold=False, italic=False, br=False, size: int = 0) -> str:
    props = (
        ("<w:b/>" if bold else "")
        + ("<w:i/>" if italic else "")
        + (f'<w:sz w:val="{size}"/>' if size else "")
    )
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    body = f'<w:t xml:space="preserve">{escape(safe(text))}</w:t>' if text else ""
    return f"<w:r>{rpr}{body}{'<w:br/>' if br else ''}</w:r>"


def _para_xml(inner: str, align: str = "", prefix_ind: bool = False) -> str:
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    ind = '<w:ind w:left="284" w:hanging="284"/>' if prefix_ind else ""
    return f'<w:p><w:pPr><w:spacing w:after="0"/>{ind}{jc}</w:pPr>{inner}</w:p>'


def _cell_paragraphs(cell: Cell, size: int = 0) -> list[str]:
    if not cell.rich:
        lines = safe(cell.text).replace("\r", "").split("\n")
        return [_para_xml(_run_xml(line, bold=cell.bold, size=size), cell.align) for line in lines]
    paragraphs = []
    for block in richtext.blocks(cell.text):
        marker = ""
        if block.kind == "bullet":
            marker = "• "
        elif block.kind == "number":
            marker = f"{block.number}. "
        runs = ("\u00a0" * 4 * block.level + marker) if marker or block.level else ""
        inner = _run_xml(runs, size=size) if runs else ""
        inner += "".join(
            _run_xml(run.text, run.bold or cell.bold, run.italic, run.br, size) for run in block.runs
        )
        paragraphs.append(_para_xml(inner, cell.align, prefix_ind=bool(marker)))
    return paragraphs or [_para_xml("", cell.align)]


# A row longer than this may break across pages even where rows are kept whole: a row taller
# than a page cannot be kept whole.
KEEP_ROW_WHOLE_UP_TO = 1500


def _row_xml(cells: Sequence[Cell], widths: Sequence[int], header=False, cant_split=False, size=0) -> str:
    cant_split = cant_split and sum(len(c.text) for c in cells) <= KEEP_ROW_WHOLE_UP_TO
    trpr = ""
    if header or cant_split:
        trpr = (
            "<w:trPr>"
            + ("<w:cantSplit/>" if cant_split else "")
            + ("<w:tblHeader/>" if header else "")
            + "</w:trPr>"
        )
    tcs = []
    for cell, width in zip(cells, widths, strict=True):
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>' if header else ""
        tcs.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width)}" w:type="dxa"/>{shade}</w:tcPr>'
            + "".join(_cell_paragraphs(cell, size))
            + "</w:tc>"
        )
    return f"<w:tr>{trpr}{''.join(tcs)}</w:tr>"


def data_table(
    container,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell | str]],
    widths: Sequence[int],
    *,
    cant_split: bool = True,
    size: int = 20,
):
    """A bordered table whose header row repeats on every page (w:tblHeader); rows are written
    as XML in one go. `size` is the font size in half points (10 pt)."""
    table = container.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(_twips(width)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout)
    parts = [_row_xml([Cell(h, bold=True, align="center") for h in headers], widths, header=True, size=size)]
    for row in rows:
        cells = [c if isinstance(c, Cell) else Cell(c) for c in row]
        parts.append(_row_xml(cells, widths, cant_split=cant_split, size=size))
    fragment = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(parts)}</w:tbl>")
    tbl.extend(list(fragment))
    return table


def fields_table(container, rows: Sequence[tuple[str, object, int]], widths: Sequence[int]):
    """The heading fields of an official document, "Label : value", without borders.
    Each row is (label, value, indent level); a value is a text, a list (numbered "1. ..."
    lines) or None (a label with nothing after it, like "Pimpinan Sidang/Rapat")."""
    parts = []
    for label, value, level in rows:
        indent = f'<w:ind w:left="{284 * level}"/>' if level else ""
        label_xml = f'<w:p><w:pPr><w:spacing w:after="0"/>{indent}</w:pPr>{_run_xml(label)}</w:p>'
        colon = _para_xml(_run_xml(":" if value is not None else ""))
        if value is None:
            values = [_para_xml("")]
        elif isinstance(value, (list, tuple)):
            if len(value) == 1:
                values = [_para_xml(_run_xml(value[0]))]
            else:
                values = [
                    _para_xml(_run_xml(f"{n}.\t{item}"), prefix_ind=False).replace(
                        "<w:pPr>",
                        '<w:pPr><w:tabs><w:tab w:val="left" w:pos="397"/></w:tabs><w:ind w:left="397" w:hanging="397"/>',
                        1,
                    )
                    for n, item in enumerate(value, 1)
                ] or [_para_xml(_run_xml("-"))]
        else:
            values = [_para_xml(_run_xml(line)) for line in safe(value).split("\n")]
        cells = [label_xml, colon, "".join(values)]
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{_twips(w)}" w:type="dxa"/></w:tcPr>{c}</w:tc>'
            for c, w in zip(cells, widths, strict=True)
        )
        length = (
            sum(len(str(v)) for v in value) if isinstance(value, (list, tuple)) else len(str(value or ""))
        )
        trpr = "<w:trPr><w:cantSplit/></w:trPr>" if length <= KEEP_ROW_WHOLE_UP_TO else ""
        parts.append(f"<w:tr>{trpr}{tcs}</w:tr>")
    table = container.add_table(rows=0, cols=3)
    _no_borders(table)
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(_twips(width)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout)
    tbl.extend(list(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(parts)}</w:tbl>")))
    return table


def signature_block(doc, lines_before: Sequence[str], name: str, after: Sequence[str] = ()) -> None:
    """A signature on the right half of the page: place and date, role, position, room to
    sign, the name (bold, underlined), then the NIP."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    set_widths(table, [TEXT_WIDTH // 2, TEXT_WIDTH - TEXT_WIDTH // 2])
    cell = table.rows[0].cells[1]
    first = True
    for line in lines_before:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.paragraph_format.space_after = Pt(0)
        p.add_run(safe(line))
    for _ in range(3):
        cell.add_paragraph().paragraph_format.space_after = Pt(0)
    p = cell.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(safe(name) or "(.................................)")
    run.bold = True
    run.underline = bool(name)
    for line in after:
        cell.add_paragraph(safe(line)).paragraph_format.space_after = Pt(0)
