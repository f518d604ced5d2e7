"""Recognising a transcript's speaker label as one of the meeting's speakers or registrants.

Zoom shows the name a participant typed, often "Name - Agency" ("Rendra S - Kemnaker"), with
initials, titles or no diacritics. Names are compared token by token after folding case and
diacritics: a full token must equal the candidate's, an initial must start one, in order; the
agency after " - " (or in brackets) settles ties by acronym or name. Typos fall back to
difflib's ratio: the standard library's matcher is enough for a few hundred short names, and a
fuzzy-matching dependency would add nothing the token rules do not already decide.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

# Honorifics and degrees that are no part of the name ("Bapak", "Dr.", "SH", "M.Si"); degrees
# written after a comma in a candidate's name are cut off with the comma.
TITLES = frozenset(
    ("bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "saudara", "saudari", "dr", "drs", "dra")
    + ("ir", "prof", "hj", "sh", "mh", "msi", "mm", "mpa", "mt", "mkn", "phd")
)
AGENCY_SEPARATORS = re.compile(r"\s+[-–—|/]\s+|\s*[()\[\]]\s*|\s+@\s*")
FUZZY_THRESHOLD = 0.85


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(text).replace(".", " "))
    return [word for word in words if word not in TITLES] or words


@dataclass
class Candidate:
    """A person who may speak: an agenda speaker or moderator, or a registrant (or both)."""

    name: str
    person_id: int | None = None
    registration_id: int | None = None
    agencies: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.tokens = tokens(self.name.split(",")[0])


def _name_score(label_tokens: list[str], name_tokens: list[str]) -> float:
    """How well the label's tokens name the candidate, in order; 0 when they do not."""
    if not label_tokens or not name_tokens:
        return 0.0
    position, full = 0, 0
    for token in label_tokens:
        while position < len(name_tokens):
            candidate = name_tokens[position]
            position += 1
            if token == candidate:
                full += 1
                break
            if len(token) <= 2 and candidate.startswith(token):
                break  # an initial
            if len(token) >= 3 and candidate.startswith(token):
                full += 1
                break  # a shortened name ("Rend")
        else:
            return 0.0
    if not full:
        return 0.0  # initials alone name nobody
    return 1.0 + full / len(name_tokens)


def _agency_forms(text: str) -> set[str]:
    folded = " ".join(tokens(text))
    return {folded, folded.replace(" ", "")} if folded else set()


class Matcher:
    def __init__(self, candidates: list[Candidate]):
        self.candidates = candidates
        self._cache: dict[str, Candidate | None] = {}
        # A match needs one full (3+ letter) token of the label to start a token of the name:
        # index the names by their tokens' first three letters so a label meets only those.
        self._by_stem: dict[str, list[int]] = {}
        for position, candidate in enumerate(candidates):
            for stem in {token[:3] for token in candidate.tokens if len(token) >= 3}:
                self._by_stem.setdefault(stem, []).append(position)

    def match(self, label: str) -> Candidate | None:
        if label not in self._cache:
            self._cache[label] = self._match(label)
        return self._cache[label]

    def _match(self, label: str) -> Candidate | None:
        parts = [part for part in AGENCY_SEPARATORS.split(label) if part and part.strip()]
        if not parts:
            return None
        scored: list[tuple[float, int, Candidate]] = []
        part_tokens = [tokens(part) for part in parts]
        part_agencies = [_agency_forms(part) for part in parts]
        stems = {token[:3] for words in part_tokens for token in words if len(token) >= 3}
        possible = sorted({position for stem in stems for position in self._by_stem.get(stem, ())})
        for candidate in (self.candidates[position] for position in possible):
            best = 0.0
            for index, words in enumerate(part_tokens):
                score = _name_score(words, candidate.tokens)
                if score:
                    others = set().union(*(forms for i, forms in enumerate(part_agencies) if i != index))
                    if others & candidate.agencies:
                        score += 1.0
                    best = max(best, score)
            if best:
                scored.append((best, len(scored), candidate))
        if not scored:
            return self._fuzzy(parts)
        scored.sort(key=lambda row: -row[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None  # two people fit equally: leave the label for the secretary
        return scored[0][2]

    def _fuzzy(self, parts: list[str]) -> Candidate | None:
        best, found = 0.0, None
        tie = False
        for part in parts:
            wanted = " ".join(tokens(part))
            if len(wanted) < 4:
                continue
            for candidate in self.candidates:
                ratio = difflib.SequenceMatcher(None, wanted, " ".join(candidate.tokens)).ratio()
                if ratio > best:
                    best, found, tie = ratio, candidate, False
                elif ratio == best and candidate is not found:
                    tie = True
        return found if best >= FUZZY_THRESHOLD and not tie else None


def merge_candidates(people: list[Candidate], registrants: list[Candidate]) -> list[Candidate]:
    """One candidate per human: a registrant named like an agenda speaker is the same person."""
    by_name = {" ".join(c.tokens): c for c in people}
    merged = list(people)
    for registrant in registrants:
        same = by_name.get(" ".join(registrant.tokens))
        if same is not None and same.registration_id is None:
            same.registration_id = registrant.registration_id
            same.agencies |= registrant.agencies
        else:
            merged.append(registrant)
    return merged


def agency_forms(*names: str) -> set[str]:
    forms: set[str] = set()
    for name in names:
        if name:
            forms |= _agency_forms(name)
    return forms
