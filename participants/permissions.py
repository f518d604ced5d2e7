"""Who may see a directory person's contact details (email, phone).

Site administrators see every contact. An organizer sees the contact of a person involved in a
meeting they organize: registered for it (the same email), speaker or moderator of one of its
agenda items, focal point of one of its agency invitations, or a delegate nominated through
one. Everyone else sees name, position and organization only.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower

from .models import AgencyInvitation, AgendaRole, Person, Registration


def with_contact_visible(people: QuerySet, user) -> QuerySet:
    """`people` annotated with `contact_visible` (a boolean computed in the same query)."""
    if user.is_superuser:
        return people.annotate(contact_visible=Value(True))
    organized = {"meeting__organizers": user}
    has_email = ~Q(email="")
    # Registrations and invitations store addresses lower-cased; the directory may not.
    email = Lower(OuterRef("email"))
    involved = (
        Exists(AgendaRole.objects.filter(person=OuterRef("pk"), agenda_item__day__meeting__organizers=user))
        | (has_email & Exists(Registration.objects.filter(email=email, **organized)))
        | (has_email & Exists(AgencyInvitation.objects.filter(focal_point_email=email, **organized)))
    )
    return people.annotate(contact_visible=involved)


def can_see_contact(user, person: Person) -> bool:
    if person.pk is None:
        return True
    return (
        with_contact_visible(Person.objects.filter(pk=person.pk), user)
        .values_list("contact_visible", flat=True)
        .first()
        is True
    )
