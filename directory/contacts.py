"""Who may see a directory person's contact details (email, phone).

Site administrators see every contact. An organizer sees the contact of a person involved in a
meeting they organize; what counts as involved (speaker or moderator, registered, focal point or
delegate) is told by the apps above the directory, each registering its condition with
`@involvement` when it is ready. Everyone else sees name, position and organization only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet, Value
from django.db.models.expressions import OuterRef
from django.db.models.functions import Lower

# A condition on a Person row (OuterRef("pk"), OuterRef("email")) given the organizer.
Involvement = Callable[[object], Q]
_INVOLVEMENTS: list[Involvement] = []


def involvement(condition: Involvement) -> Involvement:
    """Register a way a person takes part in a meeting the user organizes (a decorator)."""
    _INVOLVEMENTS.append(condition)
    return condition


def has_email() -> Q:
    return ~Q(email="")


def person_email():
    # Registrations and invitations store addresses lower-cased; the directory may not.
    return Lower(OuterRef("email"))


def with_contact_visible(people: QuerySet, user) -> QuerySet:
    """`people` annotated with `contact_visible` (a boolean computed in the same query)."""
    if user.is_superuser or not _INVOLVEMENTS:
        return people.annotate(contact_visible=Value(user.is_superuser))
    return people.annotate(contact_visible=reduce(or_, (condition(user) for condition in _INVOLVEMENTS)))
