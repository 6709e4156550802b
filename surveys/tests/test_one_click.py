"""Scanner-safe one-click answers: GET never records, POST records exactly once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.db import connection
from django.test import Client

from surveys.models import SurveyInvitation, SurveyResponse
from surveys.tests.helpers import (
    links_in,
    path_of,
    react_all,
    send_csat,
    send_nps,
    solved_ticket,
)
from surveys.tokens import token_make

SCANNER = "Mozilla/5.0 (compatible; SafeLinks URL scanner; +https://scanner.example)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


@pytest.mark.django_db
def test_a_link_scanner_fetching_all_eleven_links_records_nothing_then_one_post_records_one():
    invitation, message = send_nps()
    links = links_in(message)
    assert len(links) == 11
    scanner = Client(HTTP_USER_AGENT=SCANNER)

    for link in links:
        assert scanner.head(path_of(link)).status_code == 200
        assert scanner.get(path_of(link), follow=True).status_code == 200
    assert not SurveyResponse.objects.exists()

    customer = Client(HTTP_USER_AGENT=BROWSER)
    page = customer.get(path_of(links[9]))
    assert 'data-autosubmit="1"' in page.text
    assert 'value="9" checked' in page.text
    response = customer.post(path_of(links[9]), {"score": 9})

    assert response.status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.invitation, answer.score) == (invitation, 9)
    assert answer.user_agent == BROWSER
    assert len(answer.ip_hash) == 64
    assert answer.seconds_since_sent is not None


@pytest.mark.django_db
def test_a_repeat_post_is_idempotent_and_a_later_post_changes_the_answer_and_comment(client):
    _invitation, message = send_csat(solved_ticket())
    link = path_of(links_in(message)[3])

    client.post(link, {"score": 4})
    client.post(link, {"score": 4})
    assert SurveyResponse.objects.get().changes == 0

    client.post(link, {"score": 2, "comment": "The kettle still leaks."})
    client.post(link, {"score": 2})  # an automatic re-post without the comment keeps it

    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.comment, answer.changes) == (2, "The kettle still leaks.", 1)
    page = client.get(link + "?saved=1")
    assert "The kettle still leaks." in page.text
    assert "data-autosubmit" not in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(
            lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), id="tampered"
        ),
        pytest.param(lambda token: "not-a-token", id="garbage"),
        pytest.param(lambda token: "x" * 5000, id="oversized"),
        pytest.param(lambda token: "<img src=x onerror=alert(1)>", id="hostile"),
    ],
)
def test_bad_tokens_get_a_friendly_page_and_change_nothing(client, mangle):
    _invitation, message = send_csat(solved_ticket())
    link = path_of(links_in(message)[4])
    prefix, token = link.rstrip("/").rsplit("/", 1)
    bad = f"{prefix}/{mangle(token)}/"

    for response in (client.get(bad), client.post(bad, {"score": 5})):
        assert response.status_code == 404
        assert "This link no longer works" in response.text
        assert "<img src=x" not in response.text
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_a_token_of_another_invitation_does_not_open_this_one(client):
    first, _ = send_csat(solved_ticket())
    second, _ = send_csat(solved_ticket())
    foreign = token_make(public_id=first.public_id, action=5)

    response = client.post(f"/s/{second.public_id}/{foreign}/", {"score": 5})

    assert response.status_code == 404
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_an_expired_link_gets_the_friendly_page(client):
    _invitation, message = send_csat(solved_ticket())
    link = path_of(links_in(message)[4])
    later = time.time() + timedelta(days=29).total_seconds()

    with mock.patch.object(signing.time, "time", return_value=later):
        response = client.post(link, {"score": 5})

    assert response.status_code == 404
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, {"score": "five"}, {"score": 6}, {"score": -1}, {"score": 3, "comment": "x" * 5001}],
    ids=["missing", "not-a-number", "out-of-range-for-csat", "negative", "oversized-comment"],
)
def test_malformed_answers_get_a_clear_error_and_keep_what_was_typed(client, data):
    _invitation, message = send_csat(solved_ticket())

    response = client.post(path_of(links_in(message)[2]), data)

    assert response.status_code == 400
    assert "Please choose one of the scores" in response.text
    if "comment" in data:
        assert data["comment"][:100] in response.text
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_posts_leave_one_response():
    invitation, message = send_csat(solved_ticket())
    link = path_of(links_in(message)[4])
    barrier = threading.Barrier(8)
    statuses = []

    def answer():
        try:
            barrier.wait()
            statuses.append(Client().post(link, {"score": 5}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 8
    assert SurveyResponse.objects.filter(invitation=invitation).count() == 1
    assert SurveyResponse.objects.get().changes == 0


@pytest.mark.django_db
def test_answers_that_look_automated_are_flagged_and_left_out_of_stats(client):
    from django.utils import timezone

    from surveys.selectors import survey_stats

    _invitation, message = send_csat(solved_ticket())
    client.post(path_of(links_in(message)[4]), {"score": 5}, HTTP_USER_AGENT=SCANNER)

    assert SurveyResponse.objects.get().looks_automated
    day = timedelta(days=1)
    stats = survey_stats(since=timezone.now() - day, until=timezone.now() + day)
    assert stats["answered"] == 0


@pytest.mark.django_db
def test_members_earn_the_survey_bonus_once_and_scanners_earn_nothing(client):
    from loyalty.models import LedgerEntry
    from loyalty.services import rules_get
    from loyalty.tests.factories import make_member

    account = make_member(email="member@example.com")
    invitation, message = send_csat(solved_ticket(account.customer))
    link = path_of(links_in(message)[4])
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=invitation.sent_at - timedelta(minutes=5)
    )
    client.post(link, {"score": 5}, HTTP_USER_AGENT=BROWSER)
    react_all()
    client.post(link, {"score": 4}, HTTP_USER_AGENT=BROWSER)
    react_all()

    account.refresh_from_db()
    assert account.balance == rules_get().survey_bonus_points
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1

    _other, message = send_csat(solved_ticket())
    client.post(path_of(links_in(message)[4]), {"score": 5}, HTTP_USER_AGENT=SCANNER)
    react_all()
    assert LedgerEntry.objects.filter(source="survey").count() == 1
