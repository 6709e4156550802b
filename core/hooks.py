"""Extension points: how a lower layer reacts to a higher one without importing it.

A lower app declares a ``Hook`` and calls it; higher apps register their functions in
their ``AppConfig.ready()``. The hooks of the product are listed where they are declared
(``grep -rn "= Hook(" */``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class HookMissingError(LookupError):
    """A hook that needs a provider has none (an app is missing from INSTALLED_APPS)."""


class Hook:
    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._providers: list[Callable[..., Any]] = []

    def register(self, provider: Callable[..., Any]) -> Callable[..., Any]:
        """Add a provider (idempotent); usable as a decorator."""
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def unregister(self, provider: Callable[..., Any]) -> None:
        if provider in self._providers:
            self._providers.remove(provider)

    @property
    def providers(self) -> list[Callable[..., Any]]:
        return list(self._providers)

    def call_all(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Every provider's answer, in registration order."""
        return [provider(*args, **kwargs) for provider in self._providers]

    def call_one(self, *args: Any, **kwargs: Any) -> Any:
        """The one provider's answer; a hook like this has exactly one."""
        if not self._providers:
            raise HookMissingError(f"no provider registered for {self.name}")
        return self._providers[-1](*args, **kwargs)

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, {len(self._providers)} providers)"
