from __future__ import annotations

import pytest
from django.utils.translation import gettext

from customers.tests.factories import CustomerFactory
from helpdesk.i18n import customer_language, language_for


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"), [("en", "Delivered"), ("de", "Zugestellt"), ("tr", "Teslim edildi")]
)
def test_customer_facing_text_uses_the_customers_language(language, word):
    customer = CustomerFactory(language=language)

    with customer_language(customer) as active:
        assert active == language
        assert gettext("Delivered") == word


def test_an_unsupported_language_falls_back_to_english():
    class Visitor:
        language = "xx"

    assert language_for(Visitor()) == "en"
    assert language_for(None) == "en"
