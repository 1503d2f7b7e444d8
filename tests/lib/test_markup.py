from partnerpost.lib.markup import plain_text, render_markdown


def test_markdown_renders_to_html():
    assert render_markdown("Hello **world**\n\n- one\n- two") == "<p>Hello <strong>world</strong></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    assert render_markdown("   ") == ""


def test_scripts_handlers_and_bad_schemes_are_removed():
    html = render_markdown(
        'Text <script>alert(1)</script><img src=x onerror=alert(1)> <a href="javascript:alert(1)">j</a> '
        '<a href="data:text/html,x">d</a> <a href="https://ok.example" onclick="x()">ok</a> <iframe src="https://evil"></iframe>'
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "data:" not in html and "onclick" not in html and "<iframe" not in html and "<img" not in html
    assert '<a href="https://ok.example" rel="noopener noreferrer">ok</a>' in html


def test_mailto_links_are_kept():
    assert render_markdown("[write](mailto:unpan@un.org)") == '<p><a href="mailto:unpan@un.org" rel="noopener noreferrer">write</a></p>'


def test_plain_text():
    assert plain_text("<p>Hello <em>there</em></p>\n<p>again</p>") == "Hello there again"


def test_markdown_links_with_bad_schemes_stay_text():
    assert render_markdown("[click](javascript:alert(1))") == "<p>[click](javascript:alert(1))</p>"
