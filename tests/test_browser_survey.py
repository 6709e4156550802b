"""A customer opens a survey link from the email in a real browser: the answer is
recorded without another click, and a comment can follow."""

from __future__ import annotations

import pytest

from surveys.models import SurveyResponse
from surveys.tests.helpers import customer_with_email, links_in, path_of, send_csat, solved_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "thanks", "save", "comment"),
    [
        (
            "de",
            "Vielen Dank! Ihre Antwort wurde gespeichert.",
            "Antwort speichern",
            "Sehr freundlich!",
        ),
        ("tr", "Teşekkürler! Yanıtınız kaydedildi.", "Yanıtımı kaydet", "Çok yardımcı oldunuz."),
    ],
)
def test_one_click_from_the_email_records_the_answer_then_a_comment(
    page, language, thanks, save, comment
):
    customer = customer_with_email(language, first_name="Deniz")
    invitation, message = send_csat(solved_ticket(customer))
    link = links_in(message)[4]  # the "5" link

    page.goto(path_of(link))

    page.get_by_role("status").filter(has_text=thanks).wait_for()
    assert page.locator("html").get_attribute("lang") == language
    answer = SurveyResponse.objects.get(invitation=invitation)
    assert answer.score == 5
    assert page.locator("input[name=score][value='5']").is_checked()

    page.fill("#id_comment", comment)
    page.get_by_role("button", name=save).click()
    page.get_by_role("status").filter(has_text=thanks).wait_for()

    answer.refresh_from_db()
    assert (answer.score, answer.comment, answer.changes) == (5, comment, 1)
    assert SurveyResponse.objects.count() == 1
