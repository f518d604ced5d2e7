"""Registrants, delegates and focal points are involved in their meeting (see directory.contacts)."""

from django.db.models import Exists

from directory.contacts import has_email, involvement, person_email

from .models import AgencyInvitation, Registration


@involvement
def registered(user):
    return has_email() & Exists(Registration.objects.filter(email=person_email(), meeting__organizers=user))


@involvement
def focal_point(user):
    return has_email() & Exists(
        AgencyInvitation.objects.filter(focal_point_email=person_email(), meeting__organizers=user)
    )
