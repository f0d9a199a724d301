"""Did-you-mean: the nearest known word to a misspelt one, fast even among 100,000 ids.

difflib compares a word with every candidate, which at 100,000 ids and hundreds of misspellings
takes minutes. Candidates are first narrowed to those sharing the most letter trigrams with the
word, then difflib picks among the few left, so the answer is difflib's on a short list.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict

SHORTLIST = 40


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class Suggester:
    def __init__(self, words):
        self.words = sorted(set(words))
        self._index: dict[str, list[int]] | None = None

    def _build(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for number, word in enumerate(self.words):
            for gram in _trigrams(word):
                index[gram].append(number)
        return index

    def nearest(self, word: str, cutoff: float = 0.6) -> str | None:
        if len(self.words) <= SHORTLIST:
            candidates = self.words
        else:
            if self._index is None:
                self._index = self._build()
            shared: Counter = Counter()
            # In a fixed order: most_common() breaks ties by first count, and a set's order
            # changes with each process's string hashing (so did the suggestion, among equals).
            for gram in sorted(_trigrams(word)):
                shared.update(self._index.get(gram, ()))
            candidates = [self.words[n] for n, _ in shared.most_common(SHORTLIST)]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
        return close[0] if close else None
