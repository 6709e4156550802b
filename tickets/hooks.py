"""Extension points of the ticket workspace that higher apps fill in."""

from __future__ import annotations

from core.hooks import Hook

# A tool in the reply composer's footer, from a higher app (the help center's "insert an
# article link"). A provider (ticket) -> {"template": "...", ...} or None; the template is
# included with ``tool`` as its context. It must run no query: it renders with every
# composer.
composer_tools = Hook("tickets.composer_tools", "(*, ticket) -> tool | None")
