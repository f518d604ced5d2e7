"""Reading follow-up state beside recommendations: one annotation, so lists and counts filter
and group by it in the database (a recommendation without a tracking row is proposed)."""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from minutes.models import Recommendation

from ..models import OPEN_STATES, State, Tracking


def _of_key(field: str):
    """The tracking row's field for the recommendation's key; a merged row reads its target's."""
    rows = Tracking.objects.filter(key=OuterRef("key"))
    return Subquery(rows.annotate(value=Coalesce(f"merged_into__{field}", field)).values("value")[:1])


def today() -> date:
    return timezone.localdate()


def with_follow_up(queryset: QuerySet[Recommendation], *, on: date | None = None) -> QuerySet[Recommendation]:
    """Adds `follow_state`, `follow_due` and `follow_overdue` (due before `on`, still open)."""
    on = on or today()
    return queryset.annotate(
        follow_state=Coalesce(_of_key("state"), Value(State.PROPOSED.value)),
        follow_due=_of_key("due_on"),
    ).annotate(
        follow_overdue=Case(
            When(Q(follow_due__lt=on, follow_state__in=OPEN_STATES), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def overdue(queryset: QuerySet[Recommendation], *, on: date | None = None) -> QuerySet[Recommendation]:
    return with_follow_up(queryset, on=on).filter(follow_overdue=True)
