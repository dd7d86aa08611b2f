"""Background work of the accounts app: tasks take ids and are safe to run twice."""

from __future__ import annotations

from belong.core.tasks import retrying_task


@retrying_task(max_attempts=3, base_delay=60)
def build_data_export(export_id: int) -> str | None:
    """Build the export, e-mail the person, and drop the content of exports that have expired; return its state."""
    from belong.accounts import actions

    export = actions.build_export(export_id)
    actions.purge_expired_exports()
    return export.state if export is not None else None
