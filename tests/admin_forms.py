"""Posting Django admin forms from tests: start from what the page shows."""

from __future__ import annotations

from django import forms
from django.test import Client


def admin_form_data(client: Client, url: str) -> dict[str, object]:
    """What the admin's change or add page at ``url`` posts back when saved unchanged:
    every field of the form and of each inline (management forms included)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data: dict[str, object] = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _add(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add(data, form)
    return data


def _add(data: dict[str, object], form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        key, value = form.add_prefix(name), form[name].value()
        widget = getattr(field.widget, "widget", field.widget)  # the admin's related wrapper
        if isinstance(widget, forms.MultiWidget):  # the admin's split date and time
            for index, part in enumerate(widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else part
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        else:
            data[key] = "" if value is None else value
