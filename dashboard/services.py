import logging

from django.db import transaction

from dashboard.models import Export

logger = logging.getLogger(__name__)


def export_request(
    *, by, kind: str, file_format: str, period=None, area=None, record_model="", record_pk=None
) -> Export:
    """Record the request and make the file in the background (inline when there is no broker)."""
    export = Export.objects.create(
        requested_by=by,
        kind=kind,
        file_format=file_format,
        start=period.start if period else None,
        end=period.end if period else None,
        service_area=area,
        record_model=record_model or "",
        record_pk=record_pk,
    )
    transaction.on_commit(lambda: _queue(export.pk))
    return export


def _queue(export_id: int) -> None:
    from dashboard.tasks import build_export

    try:
        build_export.delay(export_id)
    except Exception:
        # Broker unreachable: the request stays waiting and its page says so.
        logger.warning("Could not queue export %s", export_id, exc_info=True)
