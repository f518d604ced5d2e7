"""The small, safe markup of texts in the minutes, read by markdown-it-py.

What a secretary may write, and nothing else: paragraphs (a blank line between them), a line
break (a new line), **bold**, *italic*, bulleted lists ("- " or "* ") and numbered lists
("1. "), nested by indenting. Everything else (HTML, links, headings, tables, code) stays
literal text. The source text is what is stored; `blocks` gives its structure to the Word
documents, `to_html` renders it (escaped) for pages and emails, `plain` for search and subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from core.text import is_id

# Characters XML 1.0 cannot hold (python-docx raises on them) and other controls; tab and
# newline stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|[\ud800-\udfff]")
MAX_CHARS = 100_000


def clean(text: str) -> str:
    """The text as stored: controls removed, newlines normalised, trailing space trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("zero", {"breaks": True, "html": False}).enable(
        ["emphasis", "list", "newline", "escape"]
    )


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    # A line break follows this run.
    br: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph, or one item of a list. `kind` is "paragraph", "bullet" or "number"; `level`
    is the depth of the list (0 outside or in a top-level list); `number` is the item's number
    in a numbered list."""

    kind: str
    runs: tuple[Run, ...] = field(default_factory=tuple)
    level: int = 0
    number: int | None = None

    @property
    def text(self) -> str:
        return "".join(run.text + ("\n" if run.br else "") for run in self.runs)


def _runs(inline) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    for child in inline.children or []:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type in ("softbreak", "hardbreak"):
            if runs:
                last = runs[-1]
                runs[-1] = Run(last.text, last.bold, last.italic, br=True)
            else:
                runs.append(Run("", br=True))
        elif child.content:
            runs.append(Run(child.content, bold > 0, italic > 0))
    return tuple(runs)


def blocks(text: str) -> list[Block]:
    """The structure of a stored text, in reading order."""
    text = clean(text)
    if not text:
        return []
    result: list[Block] = []
    # A stack of open lists: [kind, next number]; and whether the current list item has
    # produced its first paragraph (later paragraphs of an item continue it as paragraphs).
    lists: list[list] = []
    item_started: list[bool] = []
    for token in _parser().parse(text[:MAX_CHARS]):
        if token.type == "bullet_list_open":
            lists.append(["bullet", None])
        elif token.type == "ordered_list_open":
            start = token.attrs.get("start", 1)
            lists.append(["number", int(start) if is_id(str(start)) else 1])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            item_started.append(False)
        elif token.type == "list_item_close":
            item_started.pop()
        elif token.type == "inline":
            runs = _runs(token)
            if lists and item_started and not item_started[-1]:
                kind, number = lists[-1]
                result.append(Block(kind, runs, level=len(lists) - 1, number=number))
                if kind == "number":
                    lists[-1][1] = number + 1
                item_started[-1] = True
            else:
                result.append(Block("paragraph", runs, level=max(len(lists) - 1, 0)))
    return result


def to_html(text: str) -> SafeString:
    """HTML for a page or an email; markdown-it escapes every character of the text itself."""
    text = clean(text)
    return mark_safe(_parser().render(text[:MAX_CHARS])) if text else mark_safe("")  # noqa: S308


def plain(text: str) -> str:
    """The words without markup: list items on their own lines."""
    lines = []
    for block in blocks(text):
        prefix = "  " * block.level
        if block.kind == "bullet":
            prefix += "• "
        elif block.kind == "number":
            prefix += f"{block.number}. "
        lines.append(prefix + block.text)
    return "\n".join(lines)
