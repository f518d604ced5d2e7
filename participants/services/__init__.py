"""Every state change of the participants app, one module per area, one function per verb."""

from .directory import (
    CSV_COLUMNS,
    IMPORT_MAX_ROWS,
    ImportReport,
    add_host,
    assign_agenda_role,
    import_organizations_csv,
    organization_errors,
    remove_agenda_role,
    remove_host,
    save_organization,
    save_person,
)

__all__ = [
    "CSV_COLUMNS",
    "IMPORT_MAX_ROWS",
    "ImportReport",
    "add_host",
    "assign_agenda_role",
    "import_organizations_csv",
    "organization_errors",
    "remove_agenda_role",
    "remove_host",
    "save_organization",
    "save_person",
]
