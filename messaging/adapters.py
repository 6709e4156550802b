"""The channel adapter interface and the registry of adapters by channel kind.

An adapter translates between one provider and the plain values in ``messaging.types``;
it owns no business logic. Each channel lives in ``messaging/channels/<name>/`` and
registers its adapter in ``MessagingConfig.ready()`` (or its own app's). Adding a
channel (chat, SMS, WhatsApp, phone, web form) means writing one adapter:

- ``parse(raw)``: a stored raw payload → ``InboundMessage``; raise ``ParseError`` for a
  payload that can never be read (it is quarantined with the reason).
- ``send(message)``: deliver an ``OutboundMessage``, return the provider's id; raise
  ``SendError`` (``transient`` says whether a later attempt may succeed), or let the
  provider library's exception rise and answer ``is_transient`` for it.
- ``capabilities``: what the channel carries (subject, HTML, files, maximum length,
  reply window).
- ``reference_new(ticket_id=…)``: our id of an outgoing message (an email's
  Message-ID, which threads the answer back; a random id elsewhere).
- ``address_normalise(address)``: the one spelling of a recipient on this channel.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from typing import ClassVar

from messaging.types import Capabilities, InboundMessage, OutboundMessage


class ParseError(ValueError):
    """A payload that can never be read, with the reason (it goes to quarantine)."""


class SendError(Exception):
    """A send the provider refused. ``transient``: a later attempt may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class NoAdapterError(LookupError):
    """Nothing can deliver messages on this channel here."""


class ChannelAdapter(ABC):
    channel: ClassVar[str]
    capabilities: ClassVar[Capabilities] = Capabilities()

    @abstractmethod
    def parse(self, raw: bytes) -> InboundMessage: ...

    @abstractmethod
    def send(self, message: OutboundMessage) -> str: ...

    def is_transient(self, error: Exception) -> bool:
        """Whether a send that raised ``error`` is worth another attempt. Network
        trouble is; a refusal the adapter raised says so itself."""
        if isinstance(error, SendError):
            return error.transient
        return isinstance(error, ConnectionError | TimeoutError | OSError)

    def reference_new(self, *, ticket_id: int | None) -> str:
        return f"{self.channel}.{uuid.uuid4().hex}"

    def address_normalise(self, address: str) -> str:
        return address.strip()


_ADAPTERS: dict[str, ChannelAdapter] = {}


def adapter_register(adapter: ChannelAdapter) -> ChannelAdapter:
    """Make ``adapter`` the one for its channel kind (a later registration replaces it,
    so a deployment or a test can put its own in)."""
    _ADAPTERS[adapter.channel] = adapter
    return adapter


def adapter_unregister(channel: str) -> None:
    _ADAPTERS.pop(channel, None)


def adapter_for(channel: str) -> ChannelAdapter:
    """The adapter of a channel kind; ``NoAdapterError`` when none is configured."""
    try:
        return _ADAPTERS[channel]
    except KeyError:
        raise NoAdapterError(channel) from None
