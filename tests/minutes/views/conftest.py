"""The services' meeting (an agenda with a speaker, a registrant, draft minutes) for the views."""

from tests.minutes.services.conftest import (  # noqa: F401 (fixtures)
    chair,
    draft,
    fgd,
    item_section,
    kemnaker,
    notulis,
    registrant,
    rendra,
)
