"""Snippets: a field's text, in the script it was written in, with the matched words marked."""

from __future__ import annotations

from dataclasses import dataclass

from ..text.normalise import search_form

SNIPPET_CHARS = 120
CONTEXT_BEFORE = 30


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # [start, end) of each matched word in text

    def marked(self, before: str = "«", after: str = "»") -> str:
        out, last = [], 0
        for start, end in self.spans:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)

    def parts(self) -> list[tuple[str, bool]]:
        """(text, matched) pieces, for templates."""
        out, last = [], 0
        for start, end in self.spans:
            if start > last:
                out.append((self.text[last:start], False))
            out.append((self.text[start:end], True))
            last = end
        if last < len(self.text):
            out.append((self.text[last:], False))
        return out


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words occur in text (compared in search form), longest words first, never overlapping."""
    form = search_form(text)
    if len(form) != len(text):  # a conversion that changed the length: mark nothing rather than the wrong characters
        return []
    taken = bytearray(len(form))
    spans = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        if not word:
            continue
        start = form.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * len(word)
                spans.append((start, end))
            start = form.find(word, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> Snippet:
    """The text (or a window of it around the first match) with the matches marked."""
    spans = match_spans(text, words)
    if len(text) <= size:
        return Snippet(text, tuple(spans))
    first = spans[0][0] if spans else 0
    start = max(0, min(first - CONTEXT_BEFORE, len(text) - size))
    end = start + size
    window = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = tuple((max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start)
    return Snippet(prefix + window + suffix, inside)
