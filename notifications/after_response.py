"""Work that must not hold up a response: run once the response has been sent.

Inside a request, call_after_response() keeps the function until Django's request_finished signal,
which the WSGI server sends when it closes the response, after the client has it. Outside a request
(a Celery task, a management command) the function runs at once. Asking the broker for delivery is
such work: with Redis down it takes seconds, and a reset request for a real address must not take
longer than one for an unknown address."""

import logging
import threading
from collections.abc import Callable

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
_state = threading.local()


def call_after_response(function: Callable[[], None]) -> None:
    pending = getattr(_state, "pending", None)
    if pending is None:
        function()
    elif function not in pending:
        pending.append(function)


def _request_started(**kwargs) -> None:
    _state.pending = []


def _request_finished(**kwargs) -> None:
    pending = getattr(_state, "pending", None) or []
    _state.pending = None
    for function in pending:
        try:
            function()
        except Exception:
            logger.exception("Work after the response failed")


def connect() -> None:
    request_started.connect(_request_started, dispatch_uid="notifications.after_response.started")
    request_finished.connect(_request_finished, dispatch_uid="notifications.after_response.finished")
