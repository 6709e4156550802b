"""Survey pages for customers: no login, the signed link is the key.

A GET (or HEAD) never records anything, so link scanners that fetch every link change
nothing. The page shows the chosen score and a browser that renders it posts the answer
(static/js/survey.js); without scripts, one button press does the same.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import agent_required
from core.config_cache import config_cached
from core.i18n import customer_language
from surveys import services
from surveys.models import RecoveryCase, SurveyInvitation, SurveySettings
from surveys.tokens import UNSUBSCRIBE, BadToken, token_read


class AnswerForm(forms.Form):
    score = forms.IntegerField(min_value=0, max_value=10)
    comment = forms.CharField(required=False, max_length=services.COMMENT_MAX)


def _answer_window() -> timedelta:
    """How long links work, read once per process until the survey settings change (an
    answer needs nothing else from them)."""
    return config_cached("surveys.answer_window", lambda: SurveySettings.current().answer_window)


def _open(
    public_id: UUID, token: str, answer_window: timedelta
) -> tuple[SurveyInvitation | None, int | str | None]:
    """The invitation and what the token grants, or (None, None) for any bad link."""
    invitation = (
        SurveyInvitation.objects.select_related("customer", "response")
        .filter(public_id=public_id, state=SurveyInvitation.State.SENT)
        .first()
    )
    if invitation is None:
        return None, None
    try:
        action = token_read(token=token, public_id=public_id, max_age=answer_window)
    except BadToken:
        return invitation, None
    if invitation.expires_at and invitation.expires_at < timezone.now():
        return invitation, None
    return invitation, action


def _invalid(request: HttpRequest, invitation: SurveyInvitation | None) -> HttpResponse:
    with customer_language(invitation.customer if invitation else None):
        return render(request, "surveys/invalid.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, public_id: UUID, token: str) -> HttpResponse:
    invitation, action = _open(public_id, token, _answer_window())
    if invitation is None or action is None or action == UNSUBSCRIBE:
        return _invalid(request, invitation)
    existing = getattr(invitation, "response", None)
    with customer_language(invitation.customer):
        if request.method == "POST":
            form = AnswerForm(request.POST)
            if form.is_valid() and form.cleaned_data["score"] in invitation.scores:
                answer = {
                    "score": form.cleaned_data["score"],
                    "comment": form.cleaned_data["comment"] if "comment" in request.POST else None,
                }
                # A browser re-posting what is recorded (the page's automatic submit on a
                # second visit) writes nothing, so it takes no lock either.
                if not services.survey_answer_unchanged(response=existing, **answer):
                    services.survey_answer(
                        invitation=invitation, **answer,
                        user_agent=request.headers.get("User-Agent", ""),
                        ip_address=request.META.get("REMOTE_ADDR", ""),
                    )  # fmt: skip
                return redirect(f"{request.path}?saved=1")
            return render(
                request, "surveys/answer.html",
                {"invitation": invitation, "selected": action, "form": form, "error": True},
                status=400,
            )  # fmt: skip
        selected = existing.score if existing and request.GET.get("saved") else action
        return render(
            request,
            "surveys/answer.html",
            {
                "invitation": invitation,
                "selected": selected,
                "response": existing,
                "saved": bool(request.GET.get("saved")) and existing is not None,
                # A browser records the link's score once the page has rendered; after that
                # the page only changes on the customer's own press.
                "autosubmit": existing is None or (existing.score != action and not request.GET),
                "question": services.survey_question(
                    invitation=invitation, config=SurveySettings.current()
                ),
            },
        )


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, public_id: UUID, token: str) -> HttpResponse:
    invitation, action = _open(public_id, token, _answer_window())
    if invitation is None or action != UNSUBSCRIBE:
        return _invalid(request, invitation)
    with customer_language(invitation.customer):
        if request.method == "POST":
            services.survey_opt_out(customer=invitation.customer)
            return render(request, "surveys/unsubscribed.html")
        return render(request, "surveys/unsubscribe.html", {"invitation": invitation})


@require_POST
@agent_required
def recovered(request: HttpRequest, pk: int) -> HttpResponse:
    """A lead closes the loop: the unhappy customer is recovered."""
    from core.access import is_lead
    from tickets.selectors import ticket_get

    case = get_object_or_404(RecoveryCase, pk=pk)
    ticket = ticket_get(user=request.user, pk=case.recovery_ticket_id)  # 404 outside scope
    if not is_lead(request.user, team_id=ticket.team_id):
        raise PermissionDenied
    services.recovery_mark_recovered(case=case, by=request.user)
    return redirect("tickets:detail", ticket.pk)
