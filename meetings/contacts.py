"""A speaker or moderator of a meeting's agenda is involved in it (see directory.contacts)."""

from django.db.models import Exists, OuterRef

from directory.contacts import involvement

from .models import AgendaRole


@involvement
def speaks_or_moderates(user):
    return Exists(
        AgendaRole.objects.filter(person=OuterRef("pk"), agenda_item__day__meeting__organizers=user)
    )
