"""The one rule for where a quote stands in its source (dangjian.pipeline.quotes): locate(), which
places a quote's annotation, and stands_in(), which the source check asks, agree on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.pipeline.quotes import locate, squeeze, stands_in

# A few characters, whitespace of several kinds among them, so that quotes often stand in texts.
CHARACTERS = st.sampled_from(list("党建经费万元村") + [" ", "\n", "\t", "\u3000", "\xa0", "\x1c", "\r"])


@settings(max_examples=2000, deadline=None)
@given(text=st.text(CHARACTERS, max_size=40), quote=st.text(CHARACTERS, min_size=1, max_size=8))
def test_locate_and_stands_in_agree(text, quote):
    where = locate(quote, text)
    if not squeeze(quote):
        assert where is None  # nothing but whitespace stands nowhere
        return
    assert (where is not None) == stands_in(quote, squeeze(text))
    if where is not None:
        start, end = where
        assert squeeze(text[start:end]) == squeeze(quote)


def test_a_line_break_in_the_source_changes_nothing():
    text = "村党组织书记\n报酬不低于1100元/月。"
    assert stands_in("报酬 不低于 1100元/月", squeeze(text))
    assert text[slice(*locate("书记报酬", text))] == "书记\n报酬"
