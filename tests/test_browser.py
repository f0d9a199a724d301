"""The pages in a real headless browser: Debian's chromium, started and stopped by these tests.

The fixture installs chromium (and a Chinese font) with apt-get when they are missing and the
tests run as root; otherwise the tests are skipped, with the reason. The browser is driven over
the DevTools protocol (tests/devtools.py): each page is loaded at a phone's width (390 px) and a
desktop's (1280 px), and measured: nothing may reach past the screen's edge. Pages must need no
JavaScript (none runs but the JSON-LD data block), and Chinese must be drawn with real glyphs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from devtools import FLAGS, Chromium
from linked import install

REPO = Path(__file__).resolve().parent.parent
WIDTHS = (390, 1280)
SPARQL_ANSWER = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?s IN (<https://w3id.org/dangjian/id/place/anhui>, "
                 "<https://w3id.org/dangjian/id/source/nanyang-strong-foundations-report>)) }")
# A page of every template, and the pages with the widest content: the place with the most
# amounts, the longest source, a comparison, search results, a SPARQL answer, a 404, a 410 and
# the vocabulary's reference page.
PAGES = [
    "/", "/doc/amount/index.html", "/doc/policy/index.html", "/doc/source/index.html",
    "/doc/place/suzhou-anhui.html", "/doc/place/hefei.html", "/doc/amount/suzhou-2015-cadre-pay-funding.html",
    "/doc/policy/innovation-responsibility-systems.html", "/doc/source/anhui-daily-2015-07-10-suzhou.html",
    "/doc/source/commentary-2012-06-02-three-creations.html", "/doc/measure/village-cadre-pay.html",
    "/doc/organisation/nanyang-organisation-department.html", "/doc/post/nanyang-party-secretary.html",
    "/compare/village-cadre-pay.html", "/search?q=" + quote("党组织"), "/search?q=" + quote("党组织") + "&page=2",
    "/sparql", "/sparql?format=html&query=" + quote(SPARQL_ANSWER), "/no/such/page", "/id/organisation/suzhou-daily",
    "/ontology.html",
]


@pytest.fixture(scope="session")
def chromium() -> str:
    binary = shutil.which("chromium")
    if binary is None:
        reason = install("chromium")
        binary = shutil.which("chromium")
        if binary is None:
            print(f"browser tests skipped: {reason}")
            pytest.skip(reason or "chromium not found after installing it")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not fonts.strip():
        reason = install("fonts-wqy-zenhei")
        if reason:
            print(f"no Chinese font: {reason}")
    return binary


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    running = Chromium(chromium, tmp_path_factory.mktemp("chromium-profile"))
    yield running
    running.close()


@pytest.fixture(scope="module")
def server(linked_server):
    return linked_server


def url(server, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def page_text(browser, server, path: str, width: int = 1280) -> str:
    with browser.open(url(server, path), width) as tab:
        return tab.evaluate("document.body.innerText")


# --- nothing runs off the screen ----------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen(browser, server, width, tmp_path):
    """No element and no text reaches past the viewport's edge, and no page scrolls sideways."""
    failures = {}
    with browser.open("about:blank", width) as tab:
        for path in PAGES:
            measured = tab.go(url(server, path)).overflow()
            if measured["scrollWidth"] > width or measured["overflowing"]:
                tab.screenshot(tmp_path / f"{width}-{len(failures)}.png")
                failures[path] = (measured["scrollWidth"], measured["overflowing"][:5])
    assert not failures, f"at {width} px (screenshots in {tmp_path}): {failures}"


def test_every_record_page_fits_a_phone(browser, server, ontology):
    """Every record's page at 390 px: the measurement of the test above, over all the records."""
    failures, measured_pages = {}, 0
    with browser.open("about:blank", 390) as tab:
        for kind in ontology.kinds.values():
            for record in sorted((REPO / "records" / kind.folder).glob("*.yaml")):
                measured = tab.go(url(server, f"/doc/{kind.name}/{record.stem}.html")).overflow()
                measured_pages += 1
                if measured["scrollWidth"] > 390 or measured["overflowing"]:
                    failures[f"{kind.name}/{record.stem}"] = measured["overflowing"][:3]
    assert measured_pages > 300 and not failures, failures


def test_the_measurement_sees_what_overflows(browser, tmp_path):
    """A table wider than the phone is reported, so that the tests above can fail."""
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><meta name="viewport" content="width=device-width, initial-scale=1"><body>'
                    '<table><tr><td>https://w3id.org/dangjian/id/amount/suzhou-2015-cadre-pay-funding</td>'
                    '<td style="white-space:nowrap">11,544,800 元 1154.48万元 确数 2015 安徽日报</td></tr></table>', encoding="utf-8")
    with browser.open(page.as_uri(), 390) as tab:
        measured = tab.overflow()
    assert measured["scrollWidth"] > 390 and any(o.startswith("table") for o in measured["overflowing"])


@pytest.mark.parametrize("width", WIDTHS)
def test_navigation_wraps_between_links_never_inside_them(browser, server, width):
    with browser.open(url(server, "/doc/place/suzhou-anhui.html"), width) as tab:
        # A link on one line is less than one and a half lines high.
        links = tab.evaluate("""[...document.querySelectorAll('header.site a')].map(a =>
            [a.textContent.trim(), a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight),
             new URL(a.href).pathname])""")
    assert len(links) >= 10
    broken = [text for text, lines, _path in links if lines >= 1.5]
    assert not broken, f"links drawn over two lines: {broken}"
    assert {path for _t, _l, path in links} >= {"/search", "/sparql", "/index.html", "/doc/source/index.html"}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_comparison_chart_shows_every_value_beside_its_bar(browser, server, width):
    with browser.open(url(server, "/compare/village-cadre-pay.html"), width) as tab:
        bars = tab.evaluate("""[...document.querySelectorAll('table.bar-chart tbody tr')].map(tr => {
            const fill = tr.querySelector('.fill').getBoundingClientRect();
            const track = tr.querySelector('.track').getBoundingClientRect();
            const value = tr.querySelector('td.num .value');
            const v = value.getBoundingClientRect();
            const label = tr.querySelector('.bar a').getBoundingClientRect();
            return {text: value.innerText, fill: [fill.left, fill.right], track: [track.left, track.right],
                    value: [v.left, v.right, v.width, v.height], label: [label.left, label.right], width: innerWidth};
        })""")
        table_values = tab.evaluate("""[...document.querySelectorAll('table.amount-table tbody tr')]
            .map(tr => tr.children[8].innerText).filter(t => t)""")
    assert len(bars) >= 5 and len(bars) == len(table_values)
    for bar in bars:
        assert re.fullmatch(r"[\d,]+(–[\d,]+)? 元", bar["text"]), bar
        left, right, w, h = bar["value"]
        assert w > 0 and h > 0 and 0 <= left and right <= bar["width"], bar  # drawn, on the screen
        assert bar["fill"][1] <= left + 0.5, bar  # the bar ends before its value starts
        assert bar["track"][0] - 0.5 <= bar["fill"][0] and bar["fill"][1] <= bar["track"][1] + 0.5, bar
        assert bar["label"][1] <= bar["width"], bar
    # Drawn to scale: each bar's end is where its (highest) value falls on the track.
    def number(text: str) -> float:
        return float(text.split("–")[-1].replace(",", "").removesuffix(" 元"))
    largest = max(number(b["text"]) for b in bars)
    for bar in bars:
        track_left, track_right = bar["track"]
        drawn = (bar["fill"][1] - track_left) / (track_right - track_left)
        assert abs(drawn - number(bar["text"]) / largest) < 0.01, bar
    # Every yearly value of the table below is one bar's value.
    assert sorted(b["text"] for b in bars) == sorted(re.sub(r" \(.*\)$", "", t) for t in table_values)


def test_sparql_answer_fits_and_shows_prefixed_names(browser, server):
    with browser.open(url(server, "/sparql?format=html&query=" + quote(SPARQL_ANSWER)), 1280) as tab:
        box = tab.evaluate("(() => { const d = document.querySelector('div.answer'); return [d.scrollWidth, d.clientWidth]; })()")
        links = tab.evaluate("""[...document.querySelectorAll('table.answer a')].map(a =>
            [a.textContent, a.getAttribute('href'), a.title])""")
    assert box[0] <= box[1], "the answer scrolls sideways inside its box"
    shown = {text: (href, title) for text, href, title in links}
    assert shown["place:anhui"] == ("/id/place/anhui", "https://w3id.org/dangjian/id/place/anhui")
    assert shown["skos:prefLabel"][1] == "http://www.w3.org/2004/02/skos/core#prefLabel"
    assert "dj:level-province" in shown and "rdf:type" in shown
    assert not [t for t in shown if t.startswith(("http://", "https://"))], "full IRIs printed where a prefix fits"


# --- what the pages say -------------------------------------------------------------------------


def test_amount_page_reads_as_a_researcher_needs_it(browser, server):
    path = "/doc/amount/suzhou-2015-cadre-pay-funding.html"
    with browser.open(url(server, path), 390) as tab:
        text = tab.evaluate("document.body.innerText")
        html = tab.evaluate("document.documentElement.outerHTML")
    for expected in ("11,544,800 元", "1154.48万元", "确数", "exactly", "市财政增加投入1154.48万元",
                     "坚持“四加强四到位”从严从实抓好基层党建工作", "安徽日报", "2015-07-10", "宿州市", "Suzhou (Anhui)",
                     "https://w3id.org/dangjian/id/amount/suzhou-2015-cadre-pay-funding", "Dangjian KB contributors"):
        assert expected in text, expected
    assert 'href="../place/suzhou-anhui.html"' in html  # a property links to the related record's page
    assert "<script" not in html  # nothing runs: the page is complete without JavaScript


def test_home_page_has_no_script_but_the_dataset_block(browser, server):
    with browser.open(url(server, "/"), 1280) as tab:
        html = tab.evaluate("document.documentElement.outerHTML")
    assert html.count("<script") == html.count('<script type="application/ld+json">') == 1
    assert "Downloads" in html and "dangjian.ttl" in html


def test_place_page_lists_its_amounts_in_a_table(browser, server):
    amounts = sum("place: suzhou-anhui\n" in p.read_text(encoding="utf-8") for p in (REPO / "records" / "amounts").glob("*.yaml"))
    with browser.open(url(server, "/id/place/suzhou-anhui"), 390) as tab:  # via the 303
        rows = tab.evaluate("[...document.querySelectorAll('table.amount-table tbody tr')].map(tr => tr.innerText)")
        heading = tab.evaluate("document.querySelector('table.amount-table thead').textContent")
        # On a phone each row is a card, each value a line named by its column.
        cells = tab.evaluate("""[...document.querySelectorAll('table.amount-table tbody td')].filter(td => td.innerText.trim())
            .map(td => [getComputedStyle(td).display, td.dataset.label || null,
                        getComputedStyle(td, '::before').content])""")
    assert amounts > 2 and len(rows) == amounts
    assert "地方 place" in heading
    assert any("16,300 元" in r for r in rows) and any("11,544,800 元" in r and "1154.48万元" in r for r in rows)
    assert {display for display, _l, _c in cells} == {"block"}
    assert all(content != "none" for _d, label, content in cells if label)
    assert sum(1 for _d, label, _c in cells if label is None) == amounts  # only the amount's own name is unlabelled


def test_withdrawn_record_page_says_why(browser, server):
    text = page_text(browser, server, "/id/organisation/suzhou-daily")
    assert "410 Gone" in text and "误建,原文未提及该报" in text


def test_a_browser_gets_a_404_page_it_can_leave(browser, server):
    with browser.open(url(server, "/doc/place/no-such-place.html"), 390) as tab:
        text = tab.evaluate("document.body.innerText")
        links = tab.evaluate("[...document.querySelectorAll('main a')].map(a => new URL(a.href).pathname)")
    assert "404" in text and "no record or page has this address" in text
    assert {"/index.html", "/search", "/sparql"} <= set(links)


def test_labels_carry_the_language_they_are_written_in(browser, server):
    """Traditional labels are marked zh-Hant, Simplified zh-Hans, in headings and in the indexes
    (the browser picks its fonts by it, and a screen reader its voice)."""
    written = {}
    for path in (REPO / "records" / "policies").glob("*.yaml"):
        label = yaml.safe_load(path.read_text(encoding="utf-8"))["label"]
        written[path.stem] = ("zh-Hant" if "zh-Hant" in label and "zh-Hans" not in label else "zh-Hans") \
            if isinstance(label, dict) else "zh-Hans"
    assert "zh-Hant" in written.values() and "zh-Hans" in written.values()
    with browser.open(url(server, "/doc/policy/index.html"), 1280) as tab:
        marked = tab.evaluate("""Object.fromEntries([...document.querySelectorAll('table.index tbody tr')].map(tr =>
            [tr.querySelector('td.key').innerText, tr.children[1].querySelector('a').lang]))""")
        cells = tab.evaluate("[...document.querySelectorAll('table.index td')].map(td => td.innerText)")
    assert marked == written
    assert "None" not in cells
    traditional = next(i for i, lang in sorted(written.items()) if lang == "zh-Hant")
    with browser.open(url(server, f"/doc/policy/{traditional}.html"), 390) as tab:
        assert tab.evaluate("document.querySelector('h1').lang") == "zh-Hant"
        assert tab.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").find("TC") > 0
        # The citation is English, its title Traditional, drawn with the Traditional fonts.
        assert tab.evaluate("document.querySelector('p.citation').lang") == "en"
        title = "document.querySelector('p.citation span[lang]')"
        assert tab.evaluate(f"{title}.lang") == "zh-Hant"
        assert "TC" in tab.evaluate(f"getComputedStyle({title}).fontFamily")
    with browser.open(url(server, "/search?q=" + quote("三创") + "&limit=100"), 1280) as tab:
        results = tab.evaluate("""[...document.querySelectorAll('ol.results > li > a')].map(a =>
            [new URL(a.href).pathname.split('/').pop().replace('.html', ''), a.lang])""")
    found = {record_id: lang for record_id, lang in results if record_id in written}
    assert found and found == {record_id: written[record_id] for record_id in found}
    assert "zh-Hant" in found.values()


def test_every_page_takes_its_styles_from_the_one_stylesheet(browser, server):
    """No page carries a style sheet of its own (only the chart's bars their lengths): each links
    the one stylesheet, which the browser loads and applies (the header's rule is drawn)."""
    sheets = set()
    with browser.open("about:blank", 1280) as tab:
        for path in PAGES:
            tab.go(url(server, path))
            found = tab.evaluate("""[document.querySelectorAll('style').length,
                [...document.styleSheets].map(s => [new URL(s.href).pathname, s.cssRules.length]),
                getComputedStyle(document.querySelector('header.site')).borderBottomStyle]""")
            assert found[0] == 0 and len(found[1]) == 1 and found[1][0][1] > 50 and found[2] == "solid", (path, found)
            sheets.add(found[1][0][0])
    assert len(sheets) == 1 and re.fullmatch(r"/static/site\.[0-9a-f]{12}\.css", sheets.pop())


def test_chinese_text_is_drawn_with_real_glyphs(chromium, tmp_path):
    def page(name: str, text: str) -> bytes:
        path = tmp_path / f"{name}.html"
        path.write_text(f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><body style="margin:0;background:#fff">'
                        f'<p style="font-size:120px;margin:20px;font-family:sans-serif">{text}</p></body></html>', encoding="utf-8")
        out = tmp_path / f"{name}.png"
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={out}",
                               "--window-size=900,500", path.as_uri()], capture_output=True, timeout=120)
        assert done.returncode == 0 and out.is_file(), done.stderr.decode()[-2000:]
        return out.read_bytes()

    blank = page("blank", "")
    suzhou = page("suzhou", "宿州市")
    anhui = page("anhui", "安徽省")
    assert suzhou != blank, "the Chinese text left the page blank"
    # Missing glyphs are drawn as identical boxes; real glyphs differ from one text to another.
    assert suzhou != anhui, "Chinese glyphs are drawn as boxes: install fonts-noto-cjk or fonts-wqy-zenhei"


def test_a_real_page_screenshot_is_not_blank(browser, server, tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><body style='background:#fff'></body>", encoding="utf-8")
    with browser.open(url(server, "/doc/place/suzhou-anhui.html"), 390) as tab:
        page = tab.screenshot(tmp_path / "page.png")
    with browser.open(blank.as_uri(), 390) as tab:
        assert page != tab.screenshot(tmp_path / "blank.png")
