"""Raw RFC 822 bytes → ``InboundMessage``. Never gives up quietly: anything it cannot
make sense of raises ``ParseError`` with a reason, and the caller quarantines the mail."""

from __future__ import annotations

import codecs
import functools
import html as html_lib
import re
from email import policy
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import nh3
from django.conf import settings

from messaging.adapters import ParseError
from messaging.channels.email.message_ids import message_ids_in
from messaging.types import FileData, InboundMessage, filename_clean, header_value_clean

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BARE_CR = re.compile(rb"\r(?!\n)")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
# Where quoted history or a signature starts, in the languages our customers write.
_QUOTE_MARKERS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^On .{0,200} wrote:\s*$",  # Gmail, Apple Mail
        r"^Am .{0,200} schrieb .{0,200}:\s*$",  # German clients
        r"^.{0,200} tarihinde .{0,200} yazdı:\s*$",  # Turkish clients
        r"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Orijinal İleti)\s*-{2,}\s*$",
        r"^_{10,}\s*$",  # Outlook's rule before the quoted header block
        r"^(From|Von|Kimden): .{1,300}$",
        r"^-- $",  # the signature delimiter (RFC 3676)
        r"^>",
    )
]


class _MemoHeaderRegistry(HeaderRegistry):
    """policy.default's header classes, built once per distinct (name, value): the parser
    and the code after it read the same Content-Type headers many times per message."""

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one registry for the process
    def __call__(self, name: str, value: str):  # type: ignore[override]
        return super().__call__(name, value)


# email.policy.default, with its parsed headers memoised.
POLICY = policy.default.clone(header_factory=_MemoHeaderRegistry())


def _clean(value: str) -> str:
    """Text fit for PostgreSQL and display: no NUL or other control characters."""
    return _CONTROL.sub("", value.replace("\r\n", "\n"))


def _bare_cr_as_space(raw: bytes) -> bytes:
    """The raw mail with every bare CR in its header block read as a space. CR belongs
    only before LF (RFC 5322); Python's parser ends a header line at a bare one, which
    would drop the rest of that header and every header after it into the body."""
    end = _HEADER_END.search(raw)
    split = end.start() if end else len(raw)
    head = raw[:split]
    if b"\n" not in head:  # no line ends but CRs: leave such a message to the parser
        return raw
    return _BARE_CR.sub(b" ", head) + raw[split:]


def _header(message: Message, name: str) -> str:
    """A header as text; a malformed header degrades to its raw value, never raises."""
    try:
        value = message.get(name)
    except Exception:
        value = None
        for key, raw in message.raw_items() if hasattr(message, "raw_items") else []:
            if key.lower() == name.lower():
                value = raw
                break
    if value is None:
        return ""
    try:
        return _clean(str(value)).strip()
    except Exception:
        return ""


def _raw_headers(message: Message) -> dict[str, str]:
    """Machine-readable headers as plain strings, without the (slow) structured parsing
    that policy.default applies on every access; first occurrence wins."""
    headers: dict[str, str] = {}
    for key, value in message.raw_items():
        name = key.lower()
        if name not in headers:
            headers[name] = _clean(re.sub(r"\r?\n[ \t]+", " ", str(value))).strip()
    return headers


def _decode(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or ""
    try:
        codec = codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:
        codec = "utf-8"  # an unknown charset: decode what we can, replace the rest
    if not charset:
        # No declared charset: UTF-8 if it is valid, else the Windows Western default.
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")
    return payload.decode(codec, errors="replace")


def _filename(part: Message, index: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return filename_clean(str(name), fallback=f"attachment-{index}")


def _leaves(message: Message) -> list[tuple[Message, int]]:
    """Every non-container part with its depth, capped in depth and count."""
    leaves: list[tuple[Message, int]] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if depth > settings.INBOUND_MAX_DEPTH:
            raise ParseError(f"MIME nesting deeper than {settings.INBOUND_MAX_DEPTH} levels")
        if seen > settings.INBOUND_MAX_PARTS:
            raise ParseError(f"more than {settings.INBOUND_MAX_PARTS} MIME parts")
        if part.is_multipart():
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend((child, depth + 1) for child in reversed(children))
            continue
        leaves.append((part, depth))
    return leaves


def trim_quoted(text: str) -> str:
    """The reply without quoted history or signature; the whole text if that is all."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if any(marker.match(line.rstrip("\r")) for marker in _QUOTE_MARKERS):
            visible = "\n".join(lines[:index]).strip()
            return visible or text.strip()
    return text.strip()


def html_to_text(html: str) -> str:
    without_tags = nh3.clean(
        re.sub(r"(?i)<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", "\n", html), tags=set()
    )
    text = html_lib.unescape(without_tags)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def automatic_reason(message: Message, headers: dict[str, str] | None = None) -> str:
    """Why a message is machine-made (RFC 3834 and common practice), or ''."""
    headers = _raw_headers(message) if headers is None else headers
    auto_submitted = headers.get("auto-submitted", "").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted}"
    precedence = headers.get("precedence", "").lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "List-Id"):
        if headers.get(name.lower()):
            return f"{name} header"
    if "all" in headers.get("x-auto-response-suppress", "").lower():
        return "X-Auto-Response-Suppress header"
    if message.get_content_type() == "multipart/report":
        return "delivery report (multipart/report)"
    if "return-path" in headers:
        return_path = headers["return-path"]
        if return_path.strip() in ("<>", ""):
            return "null return path"
        if "mailer-daemon" in return_path.lower():
            return "MAILER-DAEMON return path"
    sender = parseaddr(headers.get("from", ""))[1].lower()
    if sender.split("@", 1)[0] in ("mailer-daemon", "postmaster"):
        return "sent by a mail system"
    return ""


def email_parse(raw: bytes) -> InboundMessage:
    """Parse one raw email. Raises ParseError with a reason an admin can act on."""
    if len(raw) > settings.INBOUND_MAX_BYTES:
        raise ParseError(f"message larger than {settings.INBOUND_MAX_BYTES} bytes")
    raw = _bare_cr_as_space(raw.replace(b"\x00", b""))
    try:
        message: EmailMessage = BytesParser(policy=POLICY).parsebytes(raw)
    except Exception as error:
        raise ParseError(f"not an RFC 822 message: {error}") from error

    name, address = parseaddr(_header(message, "From"))
    if not address:
        name, address = parseaddr(_header(message, "Sender"))
    address = address.strip().lower()
    if "@" not in address or len(address) > 320 or any(c.isspace() for c in address):
        raise ParseError("no usable sender address in From")

    leaves = _leaves(message)
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[FileData] = []
    notes: list[str] = []
    for index, (part, _depth) in enumerate(leaves):
        content_type = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        is_attachment = disposition == "attachment" or (
            part.get_param("name") is not None and not content_type.startswith("text/")
        )
        if not is_attachment and content_type == "text/plain":
            texts.append(_clean(_decode(part)))
        elif not is_attachment and content_type == "text/html":
            htmls.append(_clean(_decode(part)))
        elif content_type in ("message/delivery-status", "text/rfc822-headers"):
            continue  # the machine-readable half of a bounce; its text part explains it
        else:
            payload = part.get_payload(decode=True) or b""
            filename = _filename(part, index)
            if len(payload) > settings.INBOUND_MAX_ATTACHMENT_BYTES:
                notes.append(f"[Attachment {filename} not kept: larger than the size limit]")
                continue
            attachments.append(
                FileData(filename=filename, content_type=content_type[:255], content=payload)
            )

    html = nh3.clean("\n".join(htmls)) if htmls else ""
    original = "\n\n".join(t for t in texts if t.strip()) or (html_to_text(html) if html else "")
    if notes:
        original = "\n\n".join([original, *notes]).strip()
    headers = _raw_headers(message)
    references = message_ids_in(headers.get("in-reply-to", "")) + message_ids_in(
        headers.get("references", "")
    )
    recipients = [
        addr.lower()
        for _name, addr in getaddresses(
            [_header(message, "To"), _header(message, "Cc"), _header(message, "Delivered-To")]
        )
        if addr
    ]
    language = headers.get("content-language", "")[:2].lower()
    reason = automatic_reason(message, headers)
    is_bounce = message.get_content_type() == "multipart/report" or (
        "mail system" in reason or "MAILER-DAEMON" in reason
    )
    return InboundMessage(
        channel="email",
        sender_address=address,
        sender_name=_clean(name)[:200],
        subject=header_value_clean(_header(message, "Subject"))[:255],
        text=trim_quoted(original),
        text_original=original,
        html=html,
        message_id=header_value_clean(headers.get("message-id", ""))[:255],
        references=references,
        recipients=recipients,
        attachments=attachments,
        automatic_reason=reason,
        is_bounce=is_bounce,
        language=language if language in ("en", "de", "tr") else "",
    )
