"""One reading of Accept headers (dangjian.site.conneg.parse_accept), strict for the SPARQL
protocol and lenient for record URIs: where the strict reading takes a header, the lenient one
gives the same ranges; where it refuses one, the lenient one skips no more than the bad parts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.site.conneg import Malformed, parse_accept

TYPES = ["text/html", "text/turtle", "application/ld+json", "application/json", "*/*", "text/*", "Text/HTML",
         "application/sparql-results+json", "no-slash", "*/html", "te xt/html", ""]
PARAMS = ["q=0.5", "q=1", "q=0", "q=1.0", "q=0.123", "q=2", "q=abc", "charset=utf-8", "level", " q = 0.8 "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TYPES), st.lists(st.sampled_from(PARAMS), max_size=2)), max_size=4))
def test_the_two_readings_agree_where_the_strict_one_reads(parts):
    header = ", ".join(";".join([media, *params]) for media, params in parts)
    lenient = parse_accept(header)
    try:
        strict = parse_accept(header, strict=True)
    except Malformed:
        assert len(lenient) <= len([p for p in parts if "/" in p[0]])
        return
    assert strict == lenient


def test_examples():
    assert parse_accept("text/html;q=0.9, application/json") == [("text/html", 0.9), ("application/json", 1.0)]
    assert parse_accept("nonsense, text/turtle;q=abc") == [("text/turtle", 0.0)]
    try:
        parse_accept("nonsense, text/turtle", strict=True)
    except Malformed as error:
        assert "`nonsense` is not a media range" in str(error)
    else:
        raise AssertionError("the strict reading took a part that is no media range")
