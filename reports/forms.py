"""Forms of the scoreboard and the report settings."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _

from core.access import agent_team_ids, is_admin
from core.models import Team
from reports.models import TeamGoal
from reports.services import KUDOS_MAX

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]  # fmt: skip


class KudosForm(forms.Form):
    receiver = forms.ModelChoiceField(label=_("Colleague"), queryset=None)
    ticket = forms.IntegerField(label=_("Ticket number"), min_value=1, max_value=2**63 - 1)
    message = forms.CharField(label=_("Thanks for"), max_length=KUDOS_MAX)

    def __init__(self, *args: object, user: AbstractUser, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        colleagues = (
            get_user_model()
            .objects.filter(agent_profile__isnull=False, is_active=True)
            .exclude(pk=user.pk)
        )
        if not is_admin(user):
            colleagues = colleagues.filter(agent_profile__teams__in=agent_team_ids(user))
        self.fields["receiver"].queryset = colleagues.distinct().order_by("first_name", "username")


class GoalForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label=None)
    metric = forms.ChoiceField(label=_("Goal"), choices=TeamGoal.Metric.choices)
    target = forms.IntegerField(label=_("Target"), min_value=1, max_value=1_000_000)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, teams: list[Team], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("A goal ends after it starts."))
        return data


class PreferenceForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Send it on"), choices=WEEKDAYS, coerce=int)
    enabled = forms.BooleanField(label=_("Email me the weekly report"), required=False)
