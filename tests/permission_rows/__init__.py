"""More rows of the permission matrix, one module per feature (letters, certificates, series,
api, ...), so features can grow the matrix without editing one long list.

Each module defines `ROWS` (a list of tests.test_permission_matrix.Row, imported lazily inside a
function `rows()` to avoid a circular import) and optionally `build(world: dict, objects: dict)`,
called at the end of build_world with the world's values and its model objects
(objects["a"] is meeting A, "b" meeting B, "org_a"/"org_b"/"sec_b"/"analyst"/"admin" users,
"x"/"y" organizations, "reg_a1"/"reg_a2"/"reg_b1" registrations, "a_day1", "a_item"), adding
the pks and tokens its rows need to `world`.
"""

import importlib
import pkgutil


def modules():
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]


def extra_rows() -> list:
    return [row for module in modules() for row in module.rows()]


def build(world: dict, objects: dict) -> None:
    for module in modules():
        if hasattr(module, "build"):
            module.build(world, objects)
