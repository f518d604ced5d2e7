"""Zoom's webhook endpoint: checks the signature, answers at once, leaves the work to a task."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ..conferencing import webhooks

__all__ = ["ZoomWebhookView"]

logger = logging.getLogger(__name__)


@method_decorator(csrf_exempt, name="dispatch")  # Zoom signs its requests with HMAC instead
class ZoomWebhookView(View):
    """POST only. 401 for an unsigned, forged or stale delivery (nothing stored); 200 otherwise:
    the URL validation's answer, a replay (nothing done again), or a stored event with its task."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not settings.ZOOM_WEBHOOK_SECRET:
            raise Http404("Zoom webhooks are not configured")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            received = webhooks.receive(
                request.body,
                request.headers.get("x-zm-request-timestamp"),
                request.headers.get("x-zm-signature"),
            )
        except webhooks.Rejected as rejected:
            logger.warning("zoom webhook refused (%s): %s", rejected.status, rejected.reason)
            return HttpResponse(rejected.reason, status=rejected.status, content_type="text/plain")
        if received.answer is not None:
            return JsonResponse(received.answer)
        return HttpResponse(status=200)
