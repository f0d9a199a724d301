"""Turn a captured web page into the article it carries: the text quotes are checked against.

A capture is a page as it was saved from the web, byte for byte (``records/sources/{id}.capture.txt``).
Around the article it holds what the site puts on every page: navigation, headlines of other
articles, toolbars, copyright notices, editors' credits, footers, a document site's terms. The
cleaned text (``records/sources/{id}.txt``) is the article alone: its title, its body and its
byline, line for line as captured. Nothing inside the article is changed: not its script
(Traditional stays Traditional), not its punctuation, not its spacing.

Each site lays its pages out its own way, so each layout is described by data (:data:`LAYOUTS`):
a mark only that site's pages carry, the line the article begins at, the line it stops before,
and the lines inside it that are the site's, not the article's. Two kinds of noise are inside
lines, and are removed wherever a layout says so:

- **readings**: some sites insert the pinyin of a character after it, in brackets: 創(chuàng) is
  創 followed by its reading. A reading is a bracketed pinyin syllable with a tone mark right
  after a Han character; it is removed, the character stays.
- **garbled lines**: a line whose encoding was mangled in capture (GBK bytes read as another
  encoding) shows U+FFFD or Bopomofo letters, which Chinese prose does not use; it is dropped.

A capture of a site with no layout here is refused with a message, not guessed at.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# A Han character, then its pinyin reading in ASCII brackets: one syllable (at most six
# letters) with a tone mark, as the site writes it.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_READING = re.compile(rf"(?<=[\u3400-\u9fff])\((?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,6}}\)")
_GARBLED = re.compile("[\ufffd\u3100-\u312f]")


class UnknownLayout(ValueError):
    """The capture is of a site no layout describes."""


@dataclass(frozen=True)
class Boundary:
    """A line found by a pattern (searched for, from the start of the line), moved by ``offset``
    lines: the article's title stands one line above a toolbar (offset -1)."""

    pattern: str
    offset: int = 0

    def find(self, lines: list[str], start: int = 0) -> int | None:
        compiled = re.compile(self.pattern)
        for number in range(start, len(lines)):
            if compiled.search(lines[number]):
                return number + self.offset
        return None


@dataclass(frozen=True)
class Layout:
    name: str
    about: str  # what the site's noise is, for people
    mark: str  # a pattern only this site's captures match
    begin: Boundary | None = None  # the article's first line; the top of the page when None
    end: Boundary | None = None  # the first line after the article; the bottom when None
    noise: tuple[str, ...] = ()  # patterns of lines inside the article that are the site's
    readings: bool = False  # remove pinyin readings inserted after characters
    garbled: bool = False  # drop lines garbled in capture


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="huainan-net",
        about="淮南网 (Huainan Daily's news site): 10 lines of `|`, a breadcrumb, headlines of other articles and "
              "a 县区传真 list above the title; a font and print toolbar and a copyright notice between title and "
              "lead; the editors' credits (责编, 初审, 终审), `|` lines and the site footer (ICP number, "
              "e-mail, reprint terms) below the byline",
        mark=r"版权所有:淮南网",
        begin=Boundary(r"^【字体:", offset=-1),
        end=Boundary(r"^\(责编:"),
        noise=(r"^【字体:", r"^\s*1、凡淮南日报社记者署名文字"),
    ),
    Layout(
        name="chinashequ",
        about="中国社区网 (a community news site) reprinting an Anhui Daily article: a breadcrumb above the title; "
              "a line with the source and time of publication under it; the editor, tags, share buttons, "
              "recommended topics and the site's contribution address below the article",
        mark=r"中国社区网",
        begin=Boundary(r"^当前位置:", offset=1),
        end=Boundary(r"^责任编辑:"),
        noise=(r"^来源:.*发布时间:",),
    ),
    Layout(
        name="hefei-paper",
        about="a Hefei newspaper's page: the article from the top (it prints no headline); below its byline a "
              "新闻推荐 teaser of another article and the site's slogan",
        mark=r"^合肥新闻,弘扬社会正气",
        end=Boundary(r"^新闻推荐$"),
    ),
    Layout(
        name="traditional-commentary",
        about="a commentary in Traditional script: pinyin readings inserted after some characters (創(chuàng)); "
              "the time of publication (發稿時間) and a font-size toolbar under the title; a last line "
              "(the author's post) garbled in capture",
        mark=r"^【 字體: 大 中 小 】$",
        noise=(r"^發稿時間:$", r"^\d{4}年\d{2}月\d{2}日$", r"^【 字體: 大 中 小 】$"),
        readings=True,
        garbled=True,
    ),
    Layout(
        name="book118",
        about="原创力文档 (book118), a document-sharing site: its terms of use (seven `- N、` lines), 查看更多 and the "
              "document's file name (.doc) above the document's text; 文档评论 below it",
        mark=r"原创力文档\(book118\)",
        begin=Boundary(r"\.doc$", offset=1),
        end=Boundary(r"^文档评论\("),
    ),
)


def layout_of(capture: str) -> Layout:
    found = [layout for layout in LAYOUTS if re.search(layout.mark, capture, re.MULTILINE)]
    if len(found) != 1:
        names = ", ".join(layout.name for layout in LAYOUTS)
        detail = "matches none" if not found else "matches several: " + ", ".join(layout.name for layout in found)
        raise UnknownLayout(f"the capture {detail} of the known page layouts ({names}); describe its site in "
                            "dangjian.text.capture.LAYOUTS")
    return found[0]


def remove_readings(text: str) -> str:
    """創(chuàng) → 創: the pinyin readings some sites insert after characters."""
    return _READING.sub("", text)


def is_garbled(line: str) -> bool:
    return bool(_GARBLED.search(line))


def clean(capture: str) -> str:
    """The article a capture carries, line for line as captured, ending with one newline."""
    layout = layout_of(capture)
    text = remove_readings(capture) if layout.readings else capture
    lines = text.splitlines()
    first = layout.begin.find(lines) if layout.begin else 0
    if first is None or not 0 <= first < len(lines):
        raise UnknownLayout(f"the capture has no line where a {layout.name} article begins ({layout.begin.pattern})")
    stop = layout.end.find(lines, first) if layout.end else len(lines)
    if stop is None:
        raise UnknownLayout(f"the capture has no line where a {layout.name} article ends ({layout.end.pattern})")
    noise = [re.compile(pattern) for pattern in layout.noise]
    kept = [line for line in lines[first:stop]
            if not any(p.search(line) for p in noise) and not (layout.garbled and is_garbled(line))]
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept) + "\n"


def clean_file(capture: bytes) -> str:
    """The cleaned text of a capture file's bytes (UTF-8)."""
    return clean(capture.decode("utf-8"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
