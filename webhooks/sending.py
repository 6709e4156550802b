"""One signed HTTP POST to a receiver, to the Standard Webhooks specification, with
timeouts and no redirects, to an address checked after DNS resolution: in production no
private, loopback, link-local or otherwise non-public address is ever a target (SSRF).
The connection goes to the very address that was checked, so a DNS answer that changes
between the check and the request (rebinding) cannot slip through."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from standardwebhooks import Webhook

RESPONSE_KEEP_BYTES = 4096
USER_AGENT = "helpdesk-webhooks/1"


class TargetRefusedError(ValueError):
    """A URL that is not a public http(s) address (or that does not resolve)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return bool(settings.WEBHOOK_ALLOW_LOOPBACK)
    return ip.is_global and not ip.is_multicast


def target_resolve(url: str) -> Target:
    """Where ``url`` points, refused (TargetRefusedError) unless every address its host
    resolves to is a public one."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefusedError("This is not a valid URL.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefusedError("Use an http:// or https:// URL with a host name.")
    if parts.username or parts.password:
        raise TargetRefusedError("Credentials in the URL are not allowed.")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefusedError(f"The host {parts.hostname} does not resolve.") from error
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not address_allowed(a)]
    if refused or not addresses:
        raise TargetRefusedError(
            f"The host {parts.hostname} resolves to a private or reserved address."
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(
        scheme=parts.scheme, host=parts.hostname, port=port, path=path, address=addresses[0]
    )


def signature_header(*, secrets: list[str], message_id: str, timestamp: datetime, body: str) -> str:
    """``webhook-signature``: one ``v1,<base64>`` per secret, space-separated (during a
    rotation receivers may check either)."""
    return " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
        for secret in secrets
    )


@dataclass
class Outcome:
    status_code: int | None
    body: str
    error: str
    duration_ms: int
    request_headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, verifying the certificate for the URL's host name."""

    def __init__(self, address: str, port: int, *, server_hostname: str, timeout: float):
        super().__init__(address, port, timeout=timeout, context=ssl.create_default_context())
        self._server_hostname = server_hostname

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), settings.WEBHOOK_CONNECT_TIMEOUT)
        sock.settimeout(self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._server_hostname)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = socket.create_connection(
            (self.host, self.port), settings.WEBHOOK_CONNECT_TIMEOUT
        )
        self.sock.settimeout(self.timeout)


def post_signed(
    *, url: str, secrets: list[str], message_id: str, timestamp: datetime, body: str
) -> Outcome:
    """POST ``body`` to ``url`` signed with ``secrets``; never raises for the network."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature_header(
            secrets=secrets, message_id=message_id, timestamp=timestamp, body=body
        ),
    }
    started = time.monotonic()

    def outcome(status_code: int | None, text: str = "", error: str = "") -> Outcome:
        shown = {k: v for k, v in headers.items() if k != "webhook-signature"}
        return Outcome(
            status_code=status_code,
            body=text,
            error=error[:500],
            duration_ms=round((time.monotonic() - started) * 1000),
            request_headers=shown,
        )

    try:
        target = target_resolve(url)
    except TargetRefusedError as error:
        return outcome(None, error=str(error))
    host_header = target.host if ":" not in target.host else f"[{target.host}]"
    if target.port not in (80, 443):
        host_header += f":{target.port}"
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(
            target.address,
            target.port,
            server_hostname=target.host,
            timeout=settings.WEBHOOK_TIMEOUT,
        )
    else:
        connection = _PinnedHTTPConnection(
            target.address, target.port, timeout=settings.WEBHOOK_TIMEOUT
        )
    try:
        connection.request(
            "POST", target.path, body=body.encode(), headers={**headers, "Host": host_header}
        )
        response = connection.getresponse()
        text = response.read(RESPONSE_KEEP_BYTES).decode("utf-8", "replace")
        return outcome(response.status, text)
    except (OSError, http.client.HTTPException) as error:
        return outcome(None, error=f"{type(error).__name__}: {error}")
    finally:
        connection.close()
