"""N-Triples terms, as the pipeline carries them (strings such as '<iri>' and '"text"@zh-hans'):
written by :func:`nt_literal`, read back by :func:`split_literal`, here and nowhere else.

At a million statements, strings are many times cheaper than term objects, and every output
format starts from them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .namespaces import XSD_STRING

Triple = tuple  # (subject, predicate, object), each an N-Triples term

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
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


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def nt_string(text: str) -> str:
    """A string as an N-Triples literal body, quotes included."""
    body = text.translate(_ESCAPES)
    if _CONTROL.search(body):
        body = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", body)
    return f'"{body}"'


def nt_literal(text: str, language: str | None = None, datatype: str | None = None) -> str:
    if language:
        return f"{nt_string(text)}@{canonical_language(language)}"
    if datatype and datatype != XSD_STRING:
        return f"{nt_string(text)}^^<{datatype}>"
    return nt_string(text)


def parse_literal(term: str) -> tuple[str, str | None, str | None] | None:
    """(value, language, datatype) of a literal term; None for an IRI or a blank node."""
    if not term or term[0] != '"':
        return None
    _body, value, language, datatype = split_literal(term)
    return value, language, datatype


@lru_cache(maxsize=1024)  # a knowledge base writes a handful of tags, a hundred thousand times
def canonical_language(tag: str) -> str:
    """The one form of a language tag in every RDF output: lower case (zh-Hans -> zh-hans).

    Tags compare case-insensitively (BCP 47), but SPARQL's ``lang()`` returns the tag as the
    store keeps it: Oxigraph and Virtuoso lowercase tags, Jena and rdflib keep them as
    written. Written in lower case, ``lang(?l) = "zh-hans"`` gives the same rows on all four;
    any other case gives none on some of them. (``langMatches`` works on every store whatever
    the case, and is what the examples use.)
    """
    return tag.lower()


@lru_cache(maxsize=64)
def display_language(tag: str) -> str:
    """BCP 47 case conventions, for people and HTML ``lang`` attributes (zh-hans -> zh-Hans,
    zh-hant-tw -> zh-Hant-TW); never for RDF (see :func:`canonical_language`)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)
