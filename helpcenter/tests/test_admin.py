"""Categories and sections are set up in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpcenter.models import Category
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_category_with_a_section(client, boss):
    url = reverse("admin:helpcenter_category_add")
    data = admin_form_data(client, url)
    data.update({
        "name_en": "Orders", "name_de": "Bestellungen", "name_tr": "Siparişler", "slug": "orders",
        "position": 1, "sections-TOTAL_FORMS": 1, "sections-0-slug": "returns",
        "sections-0-position": 1, "sections-0-name_en": "Returns",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    category = Category.objects.get(slug="orders")
    assert category.sections.get().name_en == "Returns"
    for name in ["helpcenter_articlevote_changelist", "helpcenter_searchlog_changelist",
                 "helpcenter_section_changelist"]:  # fmt: skip
        assert client.get(reverse(f"admin:{name}")).status_code == 200
