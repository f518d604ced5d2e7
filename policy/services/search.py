"""Text search over recommendations: PostgreSQL's full-text search there, words matched one by
one elsewhere (SQLite in development and tests)."""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import Q, QuerySet

FIELDS = ("text", "rationale")


def search(queryset: QuerySet, terms: str, fields: tuple[str, ...] = FIELDS) -> QuerySet:
    """The rows whose `fields` match `terms` (websearch syntax on PostgreSQL: "quoted phrases",
    or, -excluded; elsewhere every word must occur in one of the fields, case-insensitively)."""
    terms = terms.strip()
    if not terms:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # "simple": no stemming, Indonesian has no dictionary in PostgreSQL and texts mix languages.
        vector = SearchVector(*fields, config="simple")
        query = SearchQuery(terms, config="simple", search_type="websearch")
        return queryset.annotate(search_vector=vector).filter(search_vector=query)
    words = terms.split()
    return queryset.filter(
        reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words))
    )
