"""The public page a certificate's QR code opens: whether the certificate is valid, for whom, for
which meeting and when. It shows the holder's name, the meeting's title, its dates and the status
(valid or revoked), nothing else: no number, email, organization, position or reason."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core import ratelimit
from core.links import private_link_page

from ..services import certificates as certificate_services

# Generous for people checking a stack of certificates by hand; far too few to walk the codes.
VERIFY_PER_MINUTE = 30


@require_safe
def verify(request, code: str):
    if not ratelimit.allow(request, "certificate-verify", VERIFY_PER_MINUTE, fail_closed=False):
        return private_link_page(ratelimit.refused(request))
    certificate = certificate_services.for_verification(code)
    if certificate is None:
        raise Http404
    meeting = certificate.meeting
    response = render(
        request,
        "participants/certificates/verify.html",
        {
            "holder": certificate.registration.full_name,
            "title": meeting.title,
            "dates": certificate_services.dates_text(meeting),
            "revoked": certificate.is_revoked,
        },
    )
    return private_link_page(response)
