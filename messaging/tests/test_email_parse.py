from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from messaging.channels.email.message_ids import message_id_make, message_id_ticket
from messaging.channels.email.parse import ParseError, email_parse, trim_quoted
from tickets.tests.email_helpers import eml


def test_plain_message_keeps_display_name_and_normalises_the_address():
    parsed = email_parse(eml("plain.eml"))

    assert parsed.sender_address == "anna.schmidt@example.de"
    assert parsed.sender_name == "Anna Schmidt"
    assert parsed.subject == "Order ORD-1042: the kettle arrived broken"
    assert "cracked lid" in parsed.text
    assert "Sent from my phone" not in parsed.text  # signature trimmed from the visible part
    assert "Sent from my phone" in parsed.text_original  # and kept in the original
    assert parsed.automatic_reason == ""


def test_html_only_message_is_sanitised_and_gets_a_text_version():
    parsed = email_parse(eml("html_only.eml"))

    assert parsed.subject == "Sipariş nerede?"
    assert "<script" not in parsed.html
    assert "javascript:" not in parsed.html
    assert "onclick" not in parsed.html
    assert "onerror" not in parsed.html
    assert "ORD-7781" in parsed.text


def test_attachments_get_safe_names_and_quoted_history_is_trimmed():
    parsed = email_parse(eml("multipart_attachments.eml"))

    names = [a.filename for a in parsed.attachments]
    assert len(names) == 2
    assert all("/" not in name and ".." not in name for name in names)
    assert parsed.attachments[0].content.startswith(b"%PDF")
    assert "Bitte senden Sie uns ein Foto" not in parsed.text
    assert "Bitte senden Sie uns ein Foto" in parsed.text_original
    assert parsed.language == "de"


@pytest.mark.parametrize(
    ("name", "expected_sender", "expected_text"),
    [
        ("turkish_iso_8859_9.eml", "Ayşe İnce", "Aldığım ayakkabı küçük geldi, değişim"),
        ("german_windows_1252.eml", "Jürgen Müller", "zurückschicken – bitte"),
    ],
)
def test_non_utf8_charsets_decode_to_the_right_characters(name, expected_sender, expected_text):
    parsed = email_parse(eml(name))

    assert parsed.sender_name == expected_sender
    assert expected_text in parsed.text.replace("\n", " ")


def test_unknown_charset_and_nul_bytes_never_reach_the_database():
    parsed = email_parse(eml("unknown_charset_nul.eml"))

    assert "\x00" not in parsed.text_original
    assert "Price" in parsed.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [("nested_60.eml", "nesting"), ("not_an_email.eml", "sender")],
)
def test_unparseable_messages_raise_with_a_reason(name, reason):
    with pytest.raises(ParseError, match=reason):
        email_parse(eml(name))


def test_too_large_message_is_refused_with_a_reason(settings):
    settings.INBOUND_MAX_BYTES = 100
    with pytest.raises(ParseError, match="larger"):
        email_parse(eml("plain.eml"))


@pytest.mark.parametrize(
    ("name", "reason"),
    [("out_of_office.eml", "Auto-Submitted"), ("bounce_dsn.eml", "Auto-Submitted")],
)
def test_machine_mail_is_recognised(name, reason):
    parsed = email_parse(eml(name, IN_REPLY_TO="<x@y>", OUR_MESSAGE_ID="<x@y>"))

    assert reason in parsed.automatic_reason


@pytest.mark.parametrize(
    "header",
    [
        "Precedence: bulk", "Precedence: list", "Precedence: junk", "X-Autoreply: yes",
        "X-Autorespond: yes", "List-Id: <news.example.com>", "Return-Path: <>",
        "Return-Path: <MAILER-DAEMON@example.com>", "Auto-Submitted: auto-generated",
    ],
)  # fmt: skip
def test_every_rfc3834_signal_marks_a_message_automatic(header):
    raw = f"From: a@example.com\r\n{header}\r\nSubject: x\r\n\r\nbody\r\n".encode()

    assert email_parse(raw).automatic_reason


def test_auto_submitted_no_is_a_person():
    raw = b"From: a@example.com\r\nAuto-Submitted: no\r\nSubject: x\r\n\r\nbody\r\n"

    assert email_parse(raw).automatic_reason == ""


def test_our_message_ids_verify_and_tampered_ones_do_not():
    ours = message_id_make(ticket_id=42)

    assert message_id_ticket(ours) == 42
    tampered = ours.replace("<t42.", "<t43.")
    assert message_id_ticket(tampered) is None
    assert message_id_ticket("<CAF=random@mail.gmail.com>") is None


def test_trim_keeps_everything_when_the_whole_message_is_a_quote():
    assert trim_quoted("> only a quote") == "> only a quote"


@given(st.binary(max_size=4000))
@hypothesis_settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_either_parse_or_raise_parse_error(raw):
    try:
        parsed = email_parse(raw)
    except ParseError:
        return
    assert "\x00" not in parsed.text_original
    assert "\x00" not in parsed.subject


_header_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200).map(
    lambda s: s.replace("\r", " ").replace("\n", " ")
)


@given(
    subject=_header_text,
    sender=_header_text,
    body=st.text(max_size=2000),
    charset=st.sampled_from(["utf-8", "iso-8859-9", "windows-1252", "x-bogus", ""]),
)
@hypothesis_settings(max_examples=300, deadline=None)
def test_hostile_headers_and_bodies_never_crash_the_parser(subject, sender, body, charset):
    content_type = f"text/plain; charset={charset}" if charset else "text/plain"
    raw = (
        f"From: {sender} <a@example.com>\r\nSubject: {subject}\r\n"
        f"Content-Type: {content_type}\r\n\r\n{body}"
    ).encode("utf-8", "surrogatepass")
    try:
        parsed = email_parse(raw)
    except ParseError:
        return
    assert "\x00" not in parsed.text_original
    assert len(parsed.subject) <= 255
