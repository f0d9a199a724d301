"""The pages in a real headless browser: Debian's chromium, started by these tests.

The fixture installs chromium (and a Chinese font) with apt-get when they are missing and the
tests run as root; otherwise the tests are skipped, with the reason. Pages are read with
--dump-dom (the DOM after loading: it must hold no script but the JSON-LD data block, so the
pages need no JavaScript) and photographed with --screenshot, to check that Chinese text is
drawn with real glyphs, not boxes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dangjian.build import build
from dangjian.dataset.published import KnowledgeBase
from dangjian.serve.app import create_app

from linked import ServerThread, install, linked_project

REPO = Path(__file__).resolve().parent.parent

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


class Browser:
    def __init__(self, binary: str, profile: Path):
        self.binary = binary
        self.profile = profile

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *FLAGS, f"--user-data-dir={self.profile}", *args],
                              capture_output=True, timeout=120)

    def dom(self, url: str) -> str:
        done = self.run("--dump-dom", url)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return done.stdout.decode("utf-8")

    def screenshot(self, url: str, out: Path, size: str = "900,500") -> bytes:
        done = self.run(f"--screenshot={out}", f"--window-size={size}", "--hide-scrollbars", url)
        assert done.returncode == 0 and out.is_file(), done.stderr.decode()[-2000:]
        return out.read_bytes()


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory) -> Browser:
    return Browser(chromium, tmp_path_factory.mktemp("chromium-profile"))


@pytest.fixture(scope="module")
def server(tmp_path_factory, repo):
    project = linked_project(tmp_path_factory.mktemp("browser") / "kb", repo)
    build(project)
    running = ServerThread(create_app(KnowledgeBase(project))).start()
    yield running
    running.stop()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_amount_page_reads_as_a_researcher_needs_it(browser, server):
    html = browser.dom(f"http://127.0.0.1:{server.port}/doc/amount/suzhou-2015-cadre-pay-funding.html")
    text = text_of(html)
    for expected in ("11,544,800 元", "1154.48万元", "确数", "exactly", "市财政增加投入1154.48万元",
                     "坚持“四加强四到位”从严从实抓好基层党建工作", "安徽日报", "2015-07-10", "宿州市", "Suzhou (Anhui)",
                     "https://w3id.org/dangjian/id/amount/suzhou-2015-cadre-pay-funding", "Dangjian KB contributors"):
        assert expected in text, expected
    assert 'href="../place/suzhou-anhui.html"' in html  # a property links to the related record's page
    assert "<script" not in html  # nothing runs: the page is complete without JavaScript


def test_home_page_has_no_script_but_the_dataset_block(browser, server):
    html = browser.dom(f"http://127.0.0.1:{server.port}/")
    assert html.count("<script") == html.count('<script type="application/ld+json">') == 1
    assert "Downloads" in html and "dangjian.ttl" in html


def test_place_page_lists_its_amounts_in_a_table(browser, server):
    html = browser.dom(f"http://127.0.0.1:{server.port}/id/place/suzhou-anhui")  # via the 303
    table = html.split('class="amount-table"', 1)[1].split("</table>", 1)[0]
    amounts = sum("place: suzhou-anhui\n" in p.read_text(encoding="utf-8") for p in (REPO / "records" / "amounts").glob("*.yaml"))
    assert amounts > 2 and table.count("<tr>") == amounts + 1  # the header and a row per amount
    assert "16,300 元" in table and "11,544,800 元" in table


def test_comparison_page_draws_a_chart_and_a_table(browser, server):
    html = browser.dom(f"http://127.0.0.1:{server.port}/compare/village-cadre-pay.html")
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<rect") >= 1 and "16,300 元" in svg
    assert "宿州市" in svg
    assert "amount-table" in html


def test_withdrawn_record_page_says_why(browser, server):
    text = text_of(browser.dom(f"http://127.0.0.1:{server.port}/id/organisation/suzhou-daily"))
    assert "410 Gone" in text and "误建,原文未提及该报" in text


def test_chinese_text_is_drawn_with_real_glyphs(browser, tmp_path):
    def page(name: str, text: str) -> str:
        path = tmp_path / f"{name}.html"
        path.write_text(f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><body style="margin:0;background:#fff">'
                        f'<p style="font-size:120px;margin:20px;font-family:sans-serif">{text}</p></body></html>', encoding="utf-8")
        return browser.screenshot(path.as_uri(), tmp_path / f"{name}.png")

    blank = page("blank", "")
    suzhou = page("suzhou", "宿州市")
    anhui = page("anhui", "安徽省")
    assert suzhou != blank, "the Chinese text left the page blank"
    # Missing glyphs are drawn as identical boxes; real glyphs differ from one text to another.
    assert suzhou != anhui, "Chinese glyphs are drawn as boxes: install fonts-noto-cjk or fonts-wqy-zenhei"


def test_a_real_page_screenshot_is_not_blank(browser, server, tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><body style='background:#fff'></body>", encoding="utf-8")
    page = browser.screenshot(f"http://127.0.0.1:{server.port}/doc/place/suzhou-anhui.html", tmp_path / "page.png")
    assert page != browser.screenshot(blank.as_uri(), tmp_path / "blank.png")
