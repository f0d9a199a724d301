"""Word search: either script, the domain dictionary, ranking, highlights, the command and /search."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from dangjian.build import build
from dangjian.dataset.published import KnowledgeBase
from dangjian.search.domain import generate
from dangjian.search.index import SearchIndex
from dangjian.text.normalise import search_form, simplified
from dangjian.search.segment import GENERATED_FILE, Segmenter
from dangjian.settings import Project

# (Simplified query, Traditional query, the records that must come first, in any order among themselves).
QUERIES = [
    ("九龙岗镇", "九龍崗鎮", ["place/jiulonggang-town"]),
    ("大通区委组织部", "大通區委組織部", ["organisation/datong-organisation-department"]),
    ("村党组织书记专职化", "村黨組織書記專職化", ["policy/datong-full-time-village-secretaries"]),
    ("村干部报酬", "村幹部報酬", ["measure/other-village-cadre-pay", "measure/village-cadre-pay-adjustment-interval",
                                  "measure/village-cadre-pay-change"]),
    ("宿州市委书记", "宿州市委書記", ["post/suzhou-party-secretary"]),
    ("党建示范带", "黨建示範帶", ["policy/datong-demonstration-belts", "policy/dongshan-east-road-demonstration-belt",
                                  "policy/national-road-206-demonstration-belt", "measure/demonstration-belts"]),
    ("安徽日报", "安徽日報", ["organisation/anhui-daily", "source/anhui-daily-2015-07-10-suzhou"]),
    ("空壳村", "空殼村", ["amount/hefei-empty-shell-villages", "amount/hefei-2014-empty-shell-villages",
                          "amount/hefei-empty-shell-income-threshold", "measure/empty-shell-villages",
                          "measure/empty-shell-village-income-threshold"]),
    ("强基工程", "強基工程", ["policy/nanyang-strong-foundations-project"]),
    ("基层组织建设年", "基層組織建設年", ["policy/grassroots-organisation-building-year"]),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory, repo) -> Project:
    root = tmp_path_factory.mktemp("search") / "kb"
    root.mkdir()
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(repo.records, root / "records")
    project = Project(root)
    build(project)
    return project


@pytest.fixture(scope="module")
def kb(project) -> KnowledgeBase:
    return KnowledgeBase(project)


@pytest.fixture(scope="module")
def index(kb) -> SearchIndex:
    return SearchIndex.open(kb)


def ids(hits) -> list[str]:
    return [f"{h.kind}/{h.id}" for h in hits]


def run(project: Project, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dangjian", *args], cwd=project.root, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


# --- script and segmentation --------------------------------------------------------------------


def test_tw2s_converts_characters_not_vocabulary():
    assert simplified("黨組織書記") == "党组织书记"
    assert simplified("著力加強") == "着力加强"  # t2s would leave 著
    assert simplified("建立檔案") == "建立档案"  # tw2sp would give 创建文件
    assert search_form("ＡＢ１２") == "ab12"


@pytest.mark.parametrize("text", ["大通区委组织部", "村党组织书记专职化", "九龙岗镇", "大通區委組織部", "九龍崗鎮"])
def test_domain_words_stay_whole(project, text):
    assert Segmenter(project.cache / "jieba").cut(text) == [simplified(text)]


def test_generated_dictionary_is_up_to_date(repo):
    assert GENERATED_FILE.read_text(encoding="utf-8") == generate(repo), (
        "the domain dictionary is behind the records: run `dangjian search --update-dictionary` and commit it")


def test_dictionary_has_every_name(repo):
    words = GENERATED_FILE.read_text(encoding="utf-8")
    for name in ("九龙岗镇 ns", "大通区委组织部 nt", "中共淮南市大通区委组织部 nt", "村党组织书记专职化管理 nz"):
        assert f"\n{name}\n" in words


def test_jieba_cache_is_the_projects(project, tmp_path):
    segmenter = Segmenter(project.cache / "jieba")
    assert segmenter.tokenizer.tmp_dir == str(project.cache / "jieba")
    assert (project.cache / "jieba" / "jieba.cache").is_file()
    # A fresh temporary folder stays empty, and jieba says nothing on stderr.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = run(project, "search", "九龙岗镇", env={"TMPDIR": str(temporary), "TEMP": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert list(temporary.iterdir()) == []
    assert "prefix dict" not in result.stderr and "Traceback" not in result.stderr


# --- ranking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", [0, 1], ids=["simplified", "traditional"])
@pytest.mark.parametrize("simplified_query,traditional_query,expected", QUERIES, ids=[q[0] for q in QUERIES])
def test_expected_records_come_first(index, script, simplified_query, traditional_query, expected):
    query = (simplified_query, traditional_query)[script]
    found = ids(index.search(query, limit=len(expected) + 5))
    assert sorted(found[:len(expected)]) == sorted(expected), f"{query}: {found}"


@pytest.mark.parametrize("simplified_query,traditional_query,_expected", QUERIES, ids=[q[0] for q in QUERIES])
def test_either_script_gives_the_same_list(index, simplified_query, traditional_query, _expected):
    a, b = index.search(simplified_query, limit=None), index.search(traditional_query, limit=None)
    assert [(h.uri, round(h.score, 9)) for h in a] == [(h.uri, round(h.score, 9)) for h in b]


def test_english_labels_are_searched_apart(index):
    """An English query finds records by their English labels; English texts are a field of their
    own, so they do not dilute the Chinese labels' scores."""
    found = ids(index.search("empty-shell villages", limit=3))
    assert "measure/empty-shell-villages" in found
    hit = index.search("Jiulonggang Town", limit=1)[0]
    assert hit.id == "jiulonggang-town" and hit.field == "label" and hit.label == "九龙岗镇"


def test_party_secretary_in_both_scripts(index):
    a, b = index.search("黨組織書記", limit=None), index.search("党组织书记", limit=None)
    assert ids(a) == ids(b) and len(a) > 20
    # Records written in Traditional are found by the Simplified query, and the reverse.
    assert "policy/yiding-sanyou" in ids(index.search("党组织书记", limit=None))
    assert "policy/datong-full-time-village-secretaries" in ids(index.search("黨組織書記", limit=None))


def test_nothing_found(index):
    assert index.search("量子计算机") == []
    assert index.search("的") == []


def test_tombstones_are_not_searched(tmp_path, repo):
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    shutil.copytree(repo.records, root / "records")
    (root / "records" / "places" / "suzhou.yaml").write_text("id: suzhou\nlabel: 宿州\nreplaced_by: suzhou-anhui\n",
                                                             encoding="utf-8")
    project = Project(root)
    build(project)
    found = ids(SearchIndex.open(KnowledgeBase(project)).search("宿州", limit=None))
    assert "place/suzhou-anhui" in found and "place/suzhou" not in found


# --- highlights and kinds ----------------------------------------------------------------------------


def test_highlights(index):
    hit = index.search("九龙岗镇")[0]
    assert hit.snippet.marked() == "«九龙岗镇»"
    # A Traditional record is shown in its own script, the matched words marked.
    hit = next(h for h in index.search("党组织书记", limit=None) if h.id == "yiding-sanyou")
    assert "«黨組織書記»" in hit.snippet.marked()
    hit = next(h for h in index.search("村干部报酬", kind="amount", limit=None)
               if h.id == "nanyang-2015-other-village-cadre-monthly-pay")
    assert hit.field == "quote" and hit.snippet.marked() == "其他«村干部»工作«报酬»定为770元/月"


def test_kind_filter(index):
    hits = index.search("村干部报酬", kind="amount", limit=50)
    assert hits and all(h.kind == "amount" for h in hits)
    assert "amount/nanyang-2015-other-village-cadre-monthly-pay" in ids(hits[:3])
    assert index.search("九龙岗镇", kind="policy") == [] or all(h.kind == "policy" for h in index.search("九龙岗镇", kind="policy"))


def test_index_cache(kb, index):
    cached = list((kb.project.cache / "search").glob("index-*.json"))
    assert len(cached) == 1
    again = SearchIndex.open(kb)
    assert ids(again.search("党建示范带", limit=None)) == ids(index.search("党建示范带", limit=None))


# --- the command ----------------------------------------------------------------------------------


def test_command_text(project):
    result = run(project, "search", "九龍崗鎮", "--limit", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 1. 九龙岗镇  [place]")
    assert lines[1].strip() == "https://w3id.org/dangjian/id/place/jiulonggang-town"
    assert lines[2].strip() == "label: «九龙岗镇»"  # no terminal: «» rather than colour
    assert "\x1b[" not in result.stdout


def test_command_json_and_kind(project):
    result = run(project, "search", "村幹部報酬", "--kind", "amount", "--limit", "5", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] == 5 and len(data["results"]) == 5
    assert all(r["kind"] == "amount" for r in data["results"])
    first = data["results"][0]
    assert set(first) >= {"uri", "kind", "id", "label", "score", "snippet", "highlights", "snippet_marked"}
    start, end = first["highlights"][0]
    assert first["snippet"][start:end] in ("村干部", "报酬", "村干部报酬")


def test_command_usage_errors(project):
    assert run(project, "search").returncode == 2
    result = run(project, "search", "x", "--kind", "nonsense")
    assert result.returncode == 2 and "no kind of record" in result.stderr


def test_command_without_a_build(tmp_path, repo):
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    result = run(Project(root), "search", "九龙岗镇")
    assert result.returncode == 1 and "dangjian build" in result.stderr


# --- /search ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(served):
    """The real `dangjian serve` (uvicorn on 127.0.0.1, the `served` fixture) over the curated build."""
    import httpx

    with httpx.Client(base_url=served.base, timeout=30) as client:
        yield client


def test_route_html(client):
    response = client.get("/search", params={"q": "黨建示範帶"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<a href="doc/policy/datong-demonstration-belts.html" lang="zh-Hans">' in page
    assert "<mark>党建示范带</mark>" in page
    assert "<script" not in page
    assert page.index("datong-demonstration-belts") < page.index("datong-2016-demonstration-belts")


def test_route_json(client):
    for request in ({"params": {"q": "九龙岗镇"}, "headers": {"Accept": "application/json"}},
                    {"params": {"q": "九龙岗镇", "format": "json"}}):
        response = client.get("/search", **request)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        assert response.json()["results"][0]["uri"] == "https://w3id.org/dangjian/id/place/jiulonggang-town"
    response = client.get("/search", params={"q": "村干部报酬", "kind": "amount", "limit": "2", "format": "json"})
    data = response.json()
    assert data["count"] == 2 and all(r["kind"] == "amount" for r in data["results"])


def test_route_same_answer_in_either_script(client):
    a = client.get("/search", params={"q": "黨組織書記", "format": "json", "limit": "100"}).json()
    b = client.get("/search", params={"q": "党组织书记", "format": "json", "limit": "100"}).json()
    assert [r["uri"] for r in a["results"]] == [r["uri"] for r in b["results"]]


def test_route_bad_requests(client):
    assert client.get("/search", params={"q": "x", "limit": "0"}).status_code == 400
    assert client.get("/search", params={"q": "x", "limit": "many", "format": "json"}).status_code == 400
    response = client.get("/search", params={"q": "x", "kind": "nonsense", "format": "json"})
    assert response.status_code == 400 and "no kind of record" in response.json()["error"]
    assert client.get("/search", params={"format": "json"}).status_code == 400
    empty = client.get("/search")
    assert empty.status_code == 200 and 'name="q"' in empty.text


def test_route_long_and_odd_queries_get_an_answer_not_a_traceback(client):
    for q in ("党" * 4000, "<script>alert(1)</script>", "%00", "\u0000", "' OR 1=1 --", "　", "🀄" * 50):
        response = client.get("/search", params={"q": q})
        assert response.status_code in (200, 400, 414), (q[:20], response.status_code)
        assert "Traceback" not in response.text and "<script>alert" not in response.text


def test_commands_listed(project):
    result = run(project, "--help")
    assert result.returncode == 0
    for command in ("search", "draft", "slug"):
        assert f"  {command} " in result.stdout


def test_command_on_a_terminal(project):
    """On a terminal the matched words are bold red, not «»."""
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.run([sys.executable, "-m", "dangjian", "search", "九龙岗镇", "--limit", "1"], cwd=project.root,
                                 stdout=follower, stderr=subprocess.PIPE, timeout=120)
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
    assert process.returncode == 0, process.stderr
    assert "\x1b[1;31m九龙岗镇\x1b[0m".encode() in output and "«".encode() not in output
