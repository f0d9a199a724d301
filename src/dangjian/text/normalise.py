"""One script for searching and comparing names: OpenCC's ``tw2s`` (Traditional, Taiwan standard,
to Simplified); and the Chinese texts of a record's value.

``tw2s`` converts characters and variant forms only. Not ``t2s``: it leaves 著力/著重 as they are
(著 is also a Simplified character); not ``tw2sp``: it rewrites vocabulary as well (建立 → 创建,
档案 → 文件), so a query would no longer find the words the records use.
"""

from __future__ import annotations

from functools import lru_cache

CONFIG = "tw2s"


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC(CONFIG)


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """The text in Simplified script (Simplified text comes back unchanged)."""
    if not text or text.isascii():
        return text
    return _converter().convert(text)


def search_form(text: str) -> str:
    """What is indexed and searched: Simplified script, full-width ASCII folded, Latin lowercased."""
    return simplified(_fold_width(text)).lower()


_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDE[0x3000] = 0x20


def _fold_width(text: str) -> str:
    return text.translate(_WIDE)


CHINESE = ("zh-Hans", "zh-Hant")


def chinese_texts(value, default_language: str | None = "zh-Hans") -> list[str]:
    """The Chinese texts of a text key's value: a string, a list, or a language map."""
    if isinstance(value, str):
        return [value] if default_language in CHINESE else []
    if isinstance(value, list):
        return [t for v in value for t in chinese_texts(v, default_language)]
    if isinstance(value, dict):
        return [t for lang, v in value.items() if lang in CHINESE for t in chinese_texts(v, lang)]
    return []
