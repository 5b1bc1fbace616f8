"""The copy of a page Pagefind indexes: each Chinese character a word of its own (issue 8)."""

from __future__ import annotations

from generator.index import spell_out

ZWSP = "\u200b"


def test_each_chinese_character_stands_alone_in_the_text_only():
    html = '<h1 class="vp-title" title="自来水">自来水管网改造</h1><p>河口3组 2026年（第二批）</p>'
    assert spell_out(html) == (
        f'<h1 class="vp-title" title="自来水">自{ZWSP}来{ZWSP}水{ZWSP}管{ZWSP}网{ZWSP}改{ZWSP}造</h1>'
        f"<p>河{ZWSP}口{ZWSP}3{ZWSP}组 2026{ZWSP}年{ZWSP}（{ZWSP}第{ZWSP}二{ZWSP}批{ZWSP}）</p>")


def test_a_filter_value_stays_whole_and_what_a_reader_sees_is_unchanged():
    html = '<span data-pagefind-filter="kind">村务公开</span> › <b>低保</b> ABC 12'
    spelt = spell_out(html)
    assert spelt.startswith('<span data-pagefind-filter="kind">村务公开</span>')
    assert spelt.replace(ZWSP, "") == html
