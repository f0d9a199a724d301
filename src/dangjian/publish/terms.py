"""RDF terms written as N-Triples writes them, with language tags in their usual case."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from ..rdfterms import canonical_language

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def escape_string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def iri(value: str) -> str:
    return f"<{value}>"


def literal(term: Literal, datatype_text=iri) -> str:
    quoted = f'"{escape_string(term.value)}"'
    if term.language:
        return f"{quoted}@{canonical_language(term.language)}"
    if term.datatype.value == XSD_STRING:
        return quoted
    return f"{quoted}^^{datatype_text(term.datatype.value)}"


def nt(term) -> str:
    """One term in N-Triples syntax."""
    if isinstance(term, NamedNode):
        return iri(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return literal(term)
    raise TypeError(f"not an RDF term: {term!r}")


def sort_key(term) -> tuple:
    """Order terms IRIs first, then blank nodes, then literals; each by its text."""
    if isinstance(term, NamedNode):
        return (0, term.value, "")
    if isinstance(term, BlankNode):
        return (1, term.value, "")
    return (2, term.value, nt(term))
