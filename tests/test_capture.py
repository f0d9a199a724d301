"""The cleaning step: each capture of the five sources becomes its article, noise gone, words and
script kept; the committed texts are exactly what it makes; `dangjian capture clean` runs it."""

from __future__ import annotations

import hashlib

import pytest

from dangjian.text.capture import LAYOUTS, UnknownLayout, clean, clean_file, layout_of, remove_readings

SOURCES = "records/sources"


def captures(repo):
    return sorted((repo.root / SOURCES).glob("*.capture.txt"))


def test_every_capture_has_a_layout_and_its_committed_text_is_its_cleaning(repo):
    found = captures(repo)
    assert len(found) == 5
    assert sorted(layout_of(p.read_text(encoding="utf-8")).name for p in found) == sorted(l.name for l in LAYOUTS)
    for path in found:
        text = path.with_name(path.name.replace(".capture.txt", ".txt")).read_text(encoding="utf-8")
        assert clean_file(path.read_bytes()) == text, path.name


# (capture, noise that must go, article text that must stay, first line, last line)
CASES = [
    ("huainan-net-2016-08-25-datong", ["首页 >", "怀新平系列言论专栏", "县区传真", "【字体:", "版权均属淮南日报社", "(责编:", "皖ICP备", "|"],
     ["大通区加强党建示范带建设", "优秀(一档)村党组织书记月收入达3129元"], "创新,激活基层党建新动能", "(记者 朱庆磊 通讯员 胡净)"),
    ("anhui-daily-2015-07-10-suzhou", ["当前位置", "来源:中安在线", "责任编辑", "标签:", "分享至", "中国社区网"],
     ["市财政增加投入1154.48万元"], "坚持“四加强四到位”从严从实抓好基层党建工作", "  2015年以来,全市已围绕"),
    ("hefei-paper-grassroots-party-building", ["新闻推荐", "吴存荣", "合肥新闻,弘扬社会正气"],
     ["‘指挥棒\\’", "***“温暖快递”"], "金秋时节,合肥处处呈现出一片蓬勃生机。", "·周先荣 本报记者 许超众·"),
    ("commentary-2012-06-02-three-creations", ["(chuàng)", "(yōu)", "發稿時間", "2012年06月02日", "【 字體", "ㄗ", "組織部部長)"],
     ["“三創”活動", "創業、創新、創優", "農村60周歲以上", "村(社區)黨組織"], "基層組織建設年要與“三創”活動有機結合開展", "一是深化創先爭優活動"),
    ("nanyang-strong-foundations-report", ["原创力文档", "VIP", "查看更多", ".doc", "文档评论"],
     ["1∶0.8∶0.7", "整合19个部门的资金5034万元,"], "大投入,先把最迫切的事情办好 8月5日下午", "大投入"),
]


@pytest.mark.parametrize(("name", "noise", "kept", "first", "last"), CASES, ids=[c[0] for c in CASES])
def test_noise_goes_and_the_article_stays_as_written(repo, name, noise, kept, first, last):
    capture = (repo.root / SOURCES / f"{name}.capture.txt").read_text(encoding="utf-8")
    text = clean(capture)
    for words in noise:
        assert words not in text, words
    for words in kept:
        assert words in text, words
    lines = text.splitlines()
    assert lines[0].startswith(first)
    assert lines[-1].startswith(last)
    assert text.endswith("\n") and not text.endswith("\n\n")
    # Nothing is rewritten: every kept line is a line of the capture (readings aside).
    source_lines = set(remove_readings(capture).splitlines())
    assert all(line in source_lines for line in lines)


def test_the_traditional_article_stays_traditional(repo):
    text = clean((repo.root / SOURCES / "commentary-2012-06-02-three-creations.capture.txt").read_text(encoding="utf-8"))
    assert "基層組織建設" in text and "基层组织建设" not in text


def test_readings_need_a_han_character_and_a_tone_mark():
    assert remove_readings("創(chuàng)業(yè)") == "創業"
    assert remove_readings("村(社區(qū))") == "村(社區)"
    assert remove_readings("原创力文档(book118)网站") == "原创力文档(book118)网站"
    assert remove_readings("合肥(试行)和 x(de)") == "合肥(试行)和 x(de)"


def test_a_page_of_an_unknown_site_is_refused():
    with pytest.raises(UnknownLayout, match="matches none of the known page layouts"):
        clean("某网站\n正文\n")


def test_the_command_prints_and_writes_the_cleaned_text(sandbox):
    capture = sandbox.root / SOURCES / "anhui-daily-2015-07-10-suzhou.capture.txt"
    target = capture.with_name("anhui-daily-2015-07-10-suzhou.txt")
    expected = target.read_text(encoding="utf-8")
    printed = sandbox.cli("capture", "clean", str(capture))
    assert printed.returncode == 0 and printed.stdout == expected
    target.write_text("hand-edited\n", encoding="utf-8")
    written = sandbox.cli("capture", "clean", "--write", str(capture))
    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8") == expected
    assert hashlib.sha256(capture.read_bytes()).hexdigest() in written.stderr
    stray = sandbox.root / "page.capture.txt"
    stray.write_text("某网站\n正文\n", encoding="utf-8")
    refused = sandbox.cli("capture", "clean", str(stray))
    assert refused.returncode == 1 and "matches none of the known page layouts" in refused.stderr and refused.stdout == ""
    assert sandbox.cli("capture", "clean").returncode == 2
