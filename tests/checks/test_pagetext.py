from __future__ import annotations

from apifit.checks.pagetext import normalise, read, read_html, read_markdown


def test_entities_are_decoded_in_visible_text() -> None:
    page = read_html("<p>Don&rsquo;t &amp; won&#8217;t use &ldquo;bots&rdquo;</p>")
    assert page.contains("Don't & won't use \"bots\"")


def test_script_and_style_contents_are_not_visible_text() -> None:
    page = read_html("<p>shown</p><script>var hidden='secret text'</script><style>.x{}</style>")
    assert page.contains("shown")
    assert not page.contains("secret text")


def test_inline_markup_does_not_split_a_word_and_blocks_do_not_glue() -> None:
    page = read_html("<p>use <em>auto</em>mated scripts</p><p>next</p><li>item</li>")
    assert page.contains("use automated scripts next item")


def test_typographic_quotes_dashes_and_spaces_are_normalised_on_both_sides() -> None:
    assert normalise("“bots,” \u2014 can\u2019t\u00a0stop") == normalise('"bots," - can\'t stop')


def test_markdown_emphasis_and_escapes_do_not_hide_a_phrase() -> None:
    page = read_markdown("**3\\.4 What you can\u2019t do** on the _Platform_\n\n*   scrape, crawl")
    assert page.contains("3.4 What you can't do on the Platform scrape, crawl")


def test_the_declared_type_chooses_markdown_or_html() -> None:
    assert read("a *b* c", "text/markdown; charset=utf-8").contains("a b c")
    assert read("<title>t</title><p>x</p>", "text/html").title == "t"


def test_a_form_that_asks_for_a_captcha_is_a_challenge() -> None:
    assert read_html('<form action="/captcha/verify"><input></form>').challenge
    assert not read_html('<form action="/search"><input></form>').challenge
