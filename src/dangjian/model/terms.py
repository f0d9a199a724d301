"""N-Triples terms, as the pipeline carries them (strings such as '<iri>' and '"text"@zh-Hans')."""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

_UNESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_UNESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def kind_of(term: str) -> str:
    """'iri', 'blank' or 'literal'."""
    first = term[0]
    return "iri" if first == "<" else "blank" if first == "_" else "literal"


def split_literal(term: str) -> tuple[str, str, str | None, str | None]:
    """(escaped body, unescaped value, language, datatype) of a literal term as the pipeline
    writes it (no regular expression: this runs for every literal of every record)."""
    if term[0] != '"':
        raise ValueError(f"not an N-Triples literal: {term!r}")
    language = datatype = None
    last = term[-1]
    if last == '"':
        body = term[1:-1]
    elif last == ">":
        cut = term.rfind('"^^<')
        body, datatype = term[1:cut], term[cut + 4:-1]
    else:
        cut = term.rfind('"@')
        body, language = term[1:cut], term[cut + 2:]
    value = _UNESCAPE.sub(_unescape_one, body) if "\\" in body else body
    return body, value, language, datatype


def _unescape_one(match: re.Match) -> str:
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE_UNESCAPES.get(code, code)


def sort_key(term: str) -> tuple:
    """Order terms IRIs first, then blank nodes, then literals; each by its text."""
    return ({"<": 0, "_": 1}.get(term[0], 2), term)
