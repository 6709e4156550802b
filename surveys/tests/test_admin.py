"""Opting a customer out of surveys (and back in) from the admin goes through the services."""

from __future__ import annotations

import pytest

from core.models import Event
from surveys import services
from surveys.models import SurveyOptOut
from surveys.tests.helpers import solved_ticket

pytestmark = pytest.mark.django_db


def test_an_opt_out_added_in_the_admin_skips_scheduled_surveys_and_is_audited(client, boss):
    invitation = services.survey_schedule_csat(ticket_id=solved_ticket().pk)

    response = client.post("/admin/surveys/surveyoptout/add/", {"customer": invitation.customer_id})

    assert response.status_code == 302
    assert SurveyOptOut.objects.get().customer == invitation.customer
    invitation.refresh_from_db()
    assert (invitation.state, invitation.skip_reason) == ("skipped", "opted out")
    assert Event.objects.get(kind="survey.opted_out").actor == boss


@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_an_opt_out_deleted_in_the_admin_is_an_audited_opt_in(client, boss, how):
    customer = solved_ticket().customer
    opt_out = services.survey_opt_out(customer=customer)

    if how == "delete page":
        url = f"/admin/surveys/surveyoptout/{opt_out.pk}/delete/"
        response = client.post(url, {"post": "yes"})
    else:
        response = client.post(
            "/admin/surveys/surveyoptout/",
            {"action": "delete_selected", "_selected_action": [opt_out.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not SurveyOptOut.objects.exists()
    event = Event.objects.get(kind="survey.opted_in")
    assert (event.actor, event.customer_id) == (boss, customer.pk)
