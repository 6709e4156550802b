"""Article Markdown: HTML and scripts never survive, nor does a javascript: link."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from helpcenter.markdown import html_to_text, markdown_render


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click][x]\n\n[x]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil.example></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
        "<<script>script>alert(1)<</script>/script>",
    ],
)
def test_hostile_markdown_is_neutralised(source):
    parser = _Elements()
    parser.feed(markdown_render(source))
    for tag, attributes in parser.elements:
        assert tag not in {"script", "iframe", "svg", "style", "object", "embed"}
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            if name in {"href", "src"}:
                target = "".join((value or "").split()).lower()
                assert not target.startswith(("javascript:", "vbscript:", "data:")), target


class _Elements(HTMLParser):
    """Every element of the rendered HTML as a browser would see it (text is text)."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def test_markdown_renders_what_articles_need():
    rendered = markdown_render(
        "# Returns\n\nSend it **back** within *30 days*.\n\n- one\n- two\n\n"
        "[Label](https://shop.example/label) ![Box](/help/images/abc/)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Returns</h2>" in rendered  # the page's title is its one h1
    assert "<strong>back</strong>" in rendered
    assert "<li>one</li>" in rendered
    assert 'href="https://shop.example/label"' in rendered
    assert 'rel="noopener noreferrer nofollow"' in rendered
    assert 'src="/help/images/abc/"' in rendered
    assert "<table>" in rendered


def test_plain_text_for_search():
    assert html_to_text(markdown_render("**Fish** &amp; chips <b>x</b>")) == "Fish & chips <b>x</b>"
