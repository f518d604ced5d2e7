"""The signed-in user's token pages: the list, a new token (its secret shown once), revoking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken


def _list_context(request, form=None) -> dict:
    return {
        "tokens": request.user.api_tokens.order_by("revoked_at", "-created_at", "-id"),
        "form": form or TokenForm(),
        "docs_url": request.build_absolute_uri(reverse("api:docs")),
        "api_url": request.build_absolute_uri(reverse("api:meeting-list")),
    }


@never_cache
@login_required
def token_list(request):
    return render(request, "api/tokens.html", _list_context(request))


@never_cache
@login_required
def token_create(request):
    if request.method != "POST":
        return render(request, "api/tokens.html", _list_context(request))
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.create_token(request.user, name=form.cleaned_data["name"])
        except services.TooManyTokens:
            form.add_error(
                None,
                _("You have %(count)s active tokens: revoke one you no longer use first.")
                % {"count": services.MAX_TOKENS_PER_USER},
            )
        else:
            # Shown in this response only: neither stored nor put in the session or a redirect.
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/tokens.html", _list_context(request, form), status=400)


@login_required
@require_POST
def token_revoke(request, pk: int):
    # Another user's token is a 404, as one that does not exist.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if services.revoke_token(token, actor=request.user):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
