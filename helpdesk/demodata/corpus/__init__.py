"""What customers and agents write, per topic and language.

Each language module has the same shape: per topic, subjects, ``openings`` (email, web
form, portal, API), ``short`` openings (chat, SMS, WhatsApp, voicemail), the agent's
first ``replies``, the customer's ``follow_ups``, the agent's ``closings`` and internal
``notes``; then greetings, sign-offs, thanks and survey comments. Placeholders are filled
per ticket: {first} {last} {order} {p} (the product, in German also {p_acc} and
{p_dat}) {product} {date} {eta} {days} {amount} {carrier} {tracking} {rma} {size} {size2}
{street} {city} {points} {agent}.

Texts are what people type, so they stay in their language in the database; they are
demo content, not interface strings, and are not marked for translation."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from helpdesk.demodata.corpus import de, en, tr

LANGUAGES: dict[str, ModuleType] = {"en": en, "de": de, "tr": tr}


@dataclass(frozen=True)
class Topic:
    """How often a topic comes up, which team takes it and what it is about."""

    key: str
    weight: float
    team: str  # team slug
    tags: tuple[str, ...]
    category: str  # which products: "any", "device", "apparel"
    needs_order: bool = True


TOPICS = [
    Topic("wismo", 18, "orders", ("delivery",), "any"),
    Topic("damaged", 10, "returns", ("damaged",), "device"),
    Topic("return", 14, "returns", ("return",), "any"),
    Topic("refund", 11, "returns", ("refund",), "any"),
    Topic("size", 9, "returns", ("size-exchange",), "apparel"),
    Topic("warranty", 7, "returns", ("warranty",), "device"),
    Topic("invoice", 8, "orders", ("invoice",), "any"),
    Topic("address", 7, "orders", ("address-change",), "any"),
    Topic("loyalty", 6, "orders", ("loyalty",), "any"),
    Topic("product", 10, "orders", ("product-question",), "any", needs_order=False),
]
TOPIC = {topic.key: topic for topic in TOPICS}


def texts(language: str) -> ModuleType:
    return LANGUAGES[language]
