"""What is read from a query's text before it is run: its form (a query or an update) and whether
it calls out with SERVICE. The endpoint refuses both; :func:`dangjian.query.run.execute` refuses
SERVICE unless its caller allows it.

pyoxigraph exposes no parse tree, so this is a small lexer: comments, strings and IRIs are blanked
out, then the words that remain are looked at. It errs on the side of refusing: a word SERVICE
anywhere outside a string, an IRI or a comment counts (unless it is plainly part of a variable or
a prefixed name), and the text is checked both as written and with its ``\\u`` escapes decoded.
"""

from __future__ import annotations

import re

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PROLOGUE = re.compile(r"\s*(?:(?:BASE|PREFIX\s+[^\s:]*:)\s*)*", re.IGNORECASE)


def blank(text: str) -> str:
    """The text with comments, string literals and IRIs replaced by spaces."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            out.append(" ")
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if len(quote) == 1 and text[j] in "\r\n":
                    break  # an unterminated short string: the parser will say so
                j += 2 if text[j] == "\\" else 1
            i = min(n, j + len(quote))
            out.append(" ")
        elif c == "<" and (m := _IRI.match(text, i)):
            i = m.end()
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def decode_escapes(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters (SPARQL 1.1 §19.2)."""

    def char(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _ESCAPE.sub(char, text)


def _variants(text: str) -> list[str]:
    decoded = decode_escapes(text)
    return [blank(text)] if decoded == text else [blank(text), blank(decoded)]


def words(blanked: str) -> list[str]:
    """The keywords-like words: not variables (``?x``, ``$x``), not parts of prefixed names."""
    found = []
    for m in _WORD.finditer(blanked):
        before = blanked[m.start() - 1] if m.start() else " "
        after = blanked[m.end()] if m.end() < len(blanked) else " "
        if before in "?$:" or after == ":" or before.isalnum() or before in "_-":
            continue
        found.append(m.group(0).upper())
    return found


def first_word(text: str) -> str | None:
    """The first keyword after the prologue (BASE and PREFIX declarations), upper-cased."""
    blanked = blank(text)
    m = _WORD.match(blanked, _PROLOGUE.match(blanked).end())
    return m.group(0).upper() if m else None


def is_update(text: str) -> bool:
    """True when the text is (or opens like) a SPARQL Update request."""
    return any(first_word(t) in UPDATE_WORDS for t in {text, decode_escapes(text)})


def uses_service(text: str) -> bool:
    """True when the word SERVICE appears as a keyword (checked with and without escapes)."""
    return any("SERVICE" in words(variant) for variant in _variants(text))
