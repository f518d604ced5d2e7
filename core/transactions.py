"""All-or-nothing batches: undoing a whole atomic block on purpose when one of its rows was refused."""


class Rollback(Exception):
    """Raised inside `transaction.atomic()` to undo the block, and caught right outside it."""
