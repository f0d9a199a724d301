"""jieba, set up for this project: its cache in the project's own folder, the domain dictionary
loaded, its logger quiet. ``enable_paddle()`` is never called (it runs pip).

Every text is put in its search form (:mod:`.normalise`: Simplified script) before it is cut:
jieba's dictionary is Simplified, and on Traditional text it segments badly and slowly.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..text.normalise import search_form

DICTIONARY = Path(__file__).parent / "dictionary"
TERMS_FILE = DICTIONARY / "terms.txt"  # kept by hand
GENERATED_FILE = DICTIONARY / "generated.txt"  # from the records: `dangjian search --update-dictionary`
CACHE_NAME = "jieba.cache"

# Tokens that carry no meaning on their own in this corpus: never indexed, never searched.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 为 对 把 被 将 从 由 以 等 并 也 都 而 其 之 于 中 上 下 有 个 这 那 一 不 要 到 着 "
    "就 又 还 但 让 使 向 给 该 各 我 我们 他们 你 它 此 所 们 啊 吗 呢 吧".split())
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)


@dataclass(frozen=True)
class Entry:
    word: str
    freq: int | None
    tag: str | None


def read_dictionary(path: Path) -> list[Entry]:
    """A jieba user dictionary: ``word [freq] [tag]`` a line; ``#`` starts a comment."""
    entries = []
    if not path.is_file():
        return entries
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        word, freq, tag = fields[0], None, None
        for f in fields[1:]:
            if f.isdigit():
                freq = int(f)
            else:
                tag = f
        entries.append(Entry(search_form(word), freq, tag))
    return entries


def writable_folder(folder: Path) -> Path:
    """The project's cache folder; where it cannot be written (a read-only deployment), a folder of
    this user's own under the temporary folder, never a shared one."""
    import os
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    own = Path(tempfile.gettempdir()) / f"dangjian-jieba-{os.getuid()}"
    own.mkdir(mode=0o700, exist_ok=True)
    return own


def quiet_jieba() -> None:
    """jieba logs to stderr at DEBUG level from import on; the project wants only real errors."""
    import jieba

    jieba.setLogLevel(logging.ERROR)
    logging.getLogger("jieba").setLevel(logging.ERROR)


class Segmenter:
    """A jieba tokenizer of its own (not the module-wide one), with the domain dictionary."""

    def __init__(self, cache_dir: Path, files: tuple[Path, ...] = (TERMS_FILE, GENERATED_FILE)):
        self.cache_dir = Path(cache_dir)
        self.files = files

    @cached_property
    def tokenizer(self):
        quiet_jieba()
        import jieba

        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(writable_folder(self.cache_dir))
        tokenizer.cache_file = CACHE_NAME
        tokenizer.initialize()
        for entry in self.entries:
            tokenizer.add_word(entry.word, entry.freq, entry.tag)
        return tokenizer

    @cached_property
    def entries(self) -> list[Entry]:
        out: dict[str, Entry] = {}
        for path in self.files:
            for entry in read_dictionary(path):
                out.setdefault(entry.word, entry)
        return list(out.values())

    @cached_property
    def domain_words(self) -> frozenset[str]:
        return frozenset(e.word for e in self.entries)

    @cached_property
    def pos(self):
        import jieba.posseg

        return jieba.posseg.POSTokenizer(self.tokenizer)

    @cached_property
    def tfidf(self):
        import jieba.analyse

        extractor = jieba.analyse.TFIDF()
        extractor.tokenizer = self.tokenizer
        extractor.postokenizer = self.pos
        return extractor

    def cut(self, text: str) -> list[str]:
        """Precise mode: each word once, the longest dictionary words kept whole."""
        return [w for w in self.tokenizer.cut(search_form(text), HMM=True)]

    def tokens(self, text: str) -> list[str]:
        """What the index counts: the words of precise mode, and for each longer word the
        dictionary words inside it (组织部 and 大通区委组织部 inside 中共淮南市大通区委组织部), so that
        a part finds the whole; punctuation and stopwords left out."""
        freq = self.tokenizer.FREQ
        out = []
        for word in self.tokenizer.cut(search_form(text), HMM=True):
            word = word.strip()
            if not word or not _WORDLIKE.search(word) or word in STOPWORDS:
                continue
            n = len(word)
            if n > 2:
                for i in range(n - 1):
                    for j in range(i + 2, n + 1):
                        part = word[i:j]
                        if part != word and (freq.get(part) if j - i <= 3 else part in self.domain_words):
                            out.append(part)
            out.append(word)
        return out
