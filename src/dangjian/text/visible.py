"""Text as a message shows it: nothing hidden, nothing that passes for something else.

A message that quotes a value must show what the file holds. A zero-width space, a
right-to-left override or a control character shows as nothing (or turns the line around),
and a Cyrillic ``а`` looks exactly like a Latin ``a``: ``suzhou-аnhui`` would read as the right
id in a message saying it is wrong. So:

- :func:`shown` writes every character that is not printable (controls, format characters
  such as U+200B and U+202E, separators other than the ASCII space) as an escape, ``\\u200b``;
- :func:`shown_ascii` does the same to every character outside printable ASCII, for values
  that must be ASCII (ids, keys, controlled values, language tags), where a look-alike letter
  is the mistake;
- :func:`skeleton` is the word with its hidden characters dropped and its look-alikes read as
  the ASCII letters they imitate (Unicode's confusables, through `confusable_homoglyphs`), so
  that a did-you-mean sees through them: :func:`nearest`.
"""

from __future__ import annotations

import difflib
import unicodedata


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(text: str) -> str:
    """``text`` with every character that is not printable written as an escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def shown_ascii(text: str) -> str:
    """``text`` with every character outside printable ASCII written as an escape."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if c.isascii() and c.isprintable() else _escape(c) for c in text)


def hidden_or_alike(text: str) -> bool:
    """Whether an ASCII value holds anything else (what :func:`shown_ascii` would escape)."""
    return not (text.isascii() and text.isprintable())


def skeleton(text: str) -> str:
    """What ``text`` looks like in ASCII: hidden characters dropped, compatibility forms (full
    width) folded, letters of other scripts that imitate Latin ones read as those."""
    if text.isascii() and text.isprintable():
        return text
    from confusable_homoglyphs import confusables  # its table loads in 50 ms: only when a message needs it

    out = []
    for character in unicodedata.normalize("NFKC", text):
        if not character.isprintable():
            continue
        if character.isascii():
            out.append(character)
            continue
        found = confusables.is_confusable(character, greedy=True, preferred_aliases=["latin"]) or []
        ascii_alike = [h["c"] for f in found for h in f["homoglyphs"] if h["c"].isascii() and h["c"].isprintable()]
        out.append(ascii_alike[0] if ascii_alike else character)
    return "".join(out)


def nearest(word: str, candidates, cutoff: float = 0.75) -> str | None:
    """The candidate ``word`` was meant to be: the one its skeleton spells, or else difflib's
    nearest to the skeleton; None when none is near."""
    candidates = sorted(candidates)
    seen = skeleton(word)
    if seen != word and seen in candidates:
        return seen
    close = difflib.get_close_matches(seen, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None
