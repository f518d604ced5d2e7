"""Rows of meeting copies and series: "Copy as template" and "Create a series" are organizer
pages of meeting A (others 404, as every staff page); the series list is for organizers and
analysts (as the statistics page); a series page for its organizers and analysts, and 404 for
everyone else, so organizer B never learns that organizer A's series exists."""


def rows() -> list:
    from tests.test_permission_matrix import LOGIN, MEETING_STAFF, ORGANIZERS, Row, code

    series_page = dict(MEETING_STAFF) | {"analyst": 200}
    return [
        Row("meetings:copy", code, expect=dict(MEETING_STAFF)),
        Row("meetings:create_series", code, expect=dict(MEETING_STAFF)),
        Row("policy:series_list", expect=dict(ORGANIZERS) | {"analyst": 200}, post=False),
        Row(
            "policy:series",
            lambda w: {"pk": w["series_a"]},
            expect=series_page | {"anonymous": LOGIN, "registrant": LOGIN},
            post=False,
        ),
    ]


def build(world: dict, objects: dict) -> None:
    from meetings.models import MeetingSeries

    series = MeetingSeries.objects.create(title="Sosialisasi di UPT", source=objects["a"])
    series.organizers.add(objects["org_a"])
    world["series_a"] = series.pk
