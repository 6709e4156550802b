"""What apps above the help center do with a contact-form post."""

from __future__ import annotations

from core.hooks import Hook

contact_form_stock_request = Hook(
    "helpcenter.contact_form_stock_request",
    "(email: str, name: str, language: str, sku: str) -> bool: the visitor asked on the "
    "contact form to be told when a product is back in stock, inside the post's "
    "transaction (proactive care records the wish; True when it knew the product).",
)
