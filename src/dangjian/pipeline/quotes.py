"""Where a quote stands in its source's text: the one rule, for the quote's annotation (its
oa:prefix and oa:suffix, :mod:`.derive`) and for the check that every quote is its source's
(:mod:`dangjian.checks.sources`).

A quote stands in a text where its characters follow one another with only whitespace, if any,
between them: a line break or a space that the text has and the quote lacks, or the other way
round, changes nothing. tests/test_quotes.py checks that :func:`locate` and :func:`stands_in`
agree on generated texts.
"""

from __future__ import annotations

import re


def squeeze(text: str) -> str:
    """The text without whitespace."""
    return "".join(text.split())


def stands_in(quote: str, squeezed_text: str) -> bool:
    """Whether a quote stands in a text, given the text squeezed (once for all the quotes of a
    source, as the check has them)."""
    return squeeze(quote) in squeezed_text


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where a quote first stands in a text: (start, end) offsets into the text as it is, None
    when it does not (or has nothing but whitespace). One regular expression, the quote's
    characters with any whitespace allowed between them: no copy of the text is made."""
    wanted = squeeze(quote)
    if not wanted:
        return None
    found = re.search(r"\s*".join(map(re.escape, wanted)), text)
    return None if found is None else found.span()
