"""Phone numbers in the one spelling we store and look them up by: E.164 (``+49301234567``).

"030 1234567" typed by an agent in Berlin, "+49 30 1234567" from a signature and
"+49 (0)30 1234567" from a web form are one number, so they must be one identity. A
national number needs a country to be read in: the team's (``core.models.Team.country``) where
the caller knows it, else the shop's (``settings.SHOP_COUNTRY``).
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from core.models import Team

PHONE_MAX_LENGTH = 40  # far more than any number with its spaces; longer input is not one
# Digits and what people type between them. Letters are refused rather than read the way
# the library would (as a keypad: "030-CALL-NOW", "ext. 12"), and so are control
# characters (a NUL would be dropped silently).
_PHONE_CHARACTERS = re.compile(r"\+?[\d ()./\-\u00a0\u202f]+")
_NATIONAL_ONLY = phonenumbers.NumberParseException.INVALID_COUNTRY_CODE


class PhoneNumberError(ValueError):
    """A phone number we will not store: unreadable, impossible or not in use anywhere.
    The message is fit to show the agent who typed it."""


def phone_normalise(*, number: str, region: str | None = None) -> str:
    """``number`` in E.164. A national number ("030 1234567") is read as one of ``region``
    (an ISO 3166 code such as a team's country), else of ``settings.SHOP_COUNTRY``; with
    an unknown region only numbers written with "+" can be read. Raises
    PhoneNumberError for anything that is not a valid number."""
    number = number.strip()
    if len(number) > PHONE_MAX_LENGTH or not _PHONE_CHARACTERS.fullmatch(number):
        raise PhoneNumberError(_("Enter a phone number, such as +49 30 1234567."))
    region = (region or settings.SHOP_COUNTRY).strip().upper()
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as error:
        if error.error_type == _NATIONAL_ONLY and not number.startswith("+"):
            raise PhoneNumberError(
                _("Enter the number with its country code, such as +49 30 1234567.")
            ) from None
        raise PhoneNumberError(_("Enter a phone number, such as +49 30 1234567.")) from None
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneNumberError(
            _("This is not a valid phone number; check the digits and the country code.")
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_region_for_agent(*, user: AbstractBaseUser) -> str | None:
    """The country an agent's national numbers are read in: their teams' country when
    all their teams share one, else None (the shop's country)."""
    countries = set(
        Team.objects.filter(members__user=user).values_list("country", flat=True).distinct()
    )
    return countries.pop() if len(countries) == 1 else None
