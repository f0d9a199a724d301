"""Releases, tombstones, diff, citations and the dataset description, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import rdflib
import yaml

from dangjian.build import build

from linked import TOMBSTONES

OWL = "http://www.w3.org/2002/07/owl#"
BASE = "https://w3id.org/dangjian/"


@pytest.fixture
def released(sandbox):
    sandbox.cli("release", "1.0.0", "--date", "2024-01-15", check=True)
    return sandbox


def test_release_lists_every_uri_with_a_hash_and_keeps_the_dumps(released):
    manifest = json.loads((released.root / "releases/1.0.0/manifest.json").read_text())
    assert manifest["version"] == "1.0.0" and manifest["issued"] == "2024-01-15" and manifest["previous"] is None
    records = sorted(released.root.glob("records/*/*.yaml"))
    assert len(manifest["uris"]) == len(records)
    assert all(re.fullmatch("[0-9a-f]{64}", h) for h in manifest["uris"].values())
    dumps = released.root / "dist/releases/1.0.0"
    for name, facts in manifest["files"].items():
        assert hashlib.sha256((dumps / name).read_bytes()).hexdigest() == facts["sha256"]
    # a later build keeps the release's dumps
    released.cli("build", check=True)
    assert (dumps / "dangjian.nt").is_file()


def test_a_release_is_never_rewritten(released):
    again = released.cli("release", "1.0.0")
    assert again.returncode == 1 and "exists already" in again.stderr
    earlier = released.cli("release", "0.9.0")
    assert earlier.returncode == 1 and "before the latest release" in earlier.stderr


def test_a_released_uri_cannot_disappear_without_a_tombstone(released):
    released.remove("people/zhang-shuguang.yaml")
    result = released.cli("validate")
    assert result.returncode == 1
    assert ("releases/1.0.0/manifest.json:" in result.stderr
            and f"uris: {BASE}id/person/zhang-shuguang was published in release 1.0.0 and no record has it now" in result.stderr)
    released.write("people/zhang-shuguang.yaml", "id: zhang-shuguang\nwithdrawn: {en: merged by mistake}\n")
    assert released.cli("validate").returncode == 0


def test_renaming_leaves_a_tombstone_and_diff_shows_it(released):
    old = released.read("places/anhui.yaml")
    released.remove("places/anhui.yaml")
    released.write("places/anhui-province.yaml", old.replace("id: anhui\n", "id: anhui-province\n"))
    within = sorted(p.name for p in (released.root / "records/places").glob("*.yaml") if "within: anhui\n" in p.read_text(encoding="utf-8"))
    assert "suzhou-anhui.yaml" in within
    for name in within:
        released.write(f"places/{name}", released.read(f"places/{name}").replace("within: anhui\n", "within: anhui-province\n"))
    failing = released.cli("validate")
    assert failing.returncode == 1
    assert ("place/anhui was published in release 1.0.0 and no record has it now; restore records/places/anhui.yaml, "
            "or leave a tombstone there with `id: anhui` and `replaced_by: anhui-province`") in failing.stderr
    released.write("places/anhui.yaml", "id: anhui\nreplaced_by: anhui-province\n")
    assert released.cli("validate").returncode == 0
    result = released.cli("diff", "1.0.0", "working", check=True)
    assert "+ id/place/anhui-province" in result.stdout
    assert "~ id/place/anhui\n" in result.stdout
    assert "+ <{base}id/place/anhui> <http://purl.org/dc/terms/isReplacedBy> <{base}id/place/anhui-province> ." in result.stdout
    assert "- <{base}id/place/suzhou-anhui> <http://schema.org/containedInPlace> <{base}id/place/anhui> ." in result.stdout
    assert f"1 added, 0 removed, {len(within) + 1} changed" in result.stderr  # anhui, and each place within it
    as_json = json.loads(released.cli("diff", "1.0.0", "--format", "json", check=True).stdout)
    assert as_json["added"] == ["id/place/anhui-province"] and len(as_json["changed"]) == len(within) + 1


def test_diff_between_two_releases_and_unknown_versions(released):
    released.write("amounts/suzhou-2015-village-head-annual-pay.yaml",
                   released.read("amounts/suzhou-2015-village-head-annual-pay.yaml").replace("year: 2015\n", ""))
    released.cli("release", "1.1.0", "--date", "2024-02-01", check=True)
    result = released.cli("diff", "1.0.0", "1.1.0", check=True)
    assert "~ id/amount/suzhou-2015-village-head-annual-pay" in result.stdout
    assert 'ontology#year> "2015"^^<http://www.w3.org/2001/XMLSchema#gYear> .' in result.stdout
    assert json.loads((released.root / "releases/1.1.0/manifest.json").read_text())["previous"] == "1.0.0"
    void = (released.root / "dist/void.ttl").read_text()
    assert f"dcat:previousVersion <{BASE}dataset/1.0.0>" in void
    unknown = released.cli("diff", "0.1", "working")
    assert unknown.returncode == 1 and "no release `0.1`" in unknown.stderr


def test_version_follows_the_releases(released):
    assert json.loads((released.root / "dist/manifest.json").read_text())["version"] == "1.0.0"
    released.write("places/anhui.yaml", released.read("places/anhui.yaml") + "note: {en: a note}\n")
    report = build(released.project)
    assert report.version == "1.0.0+dev"


def test_tombstones_are_published_as_the_ontology_says(sandbox):
    for relative, text in TOMBSTONES.items():
        sandbox.write(relative, text)
    report = build(sandbox.project)
    graph = rdflib.Graph().parse(report.out / "dangjian.ttl", format="turtle")
    suzhou, gone = rdflib.URIRef(f"{BASE}id/place/suzhou"), rdflib.URIRef(f"{BASE}id/organisation/suzhou-daily")
    new = rdflib.URIRef(f"{BASE}id/place/suzhou-anhui")
    assert (suzhou, rdflib.DCTERMS.isReplacedBy, new) in graph and (suzhou, rdflib.OWL.sameAs, new) in graph
    assert (gone, rdflib.OWL.deprecated, rdflib.Literal(True)) in graph
    assert not list(graph.objects(suzhou, rdflib.RDF.type))  # a tombstone says nothing more about the thing
    assert report.tombstones == 2


def test_void_describes_the_dumps_truly(sandbox):
    report = build(sandbox.project)
    graph = rdflib.Graph().parse(report.out / "void.ttl", format="turtle")
    void, dcat, spdx = (rdflib.Namespace(n) for n in ("http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://spdx.org/rdf/terms#"))
    dataset = rdflib.URIRef(f"{BASE}dataset")
    assert int(graph.value(dataset, void.triples)) == report.triples
    assert int(graph.value(dataset, void.entities)) == sum(report.records_by_kind.values())
    assert str(graph.value(dataset, rdflib.DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(graph.value(dataset, void.uriSpace)) == f"{BASE}id/"
    assert graph.value(dataset, void.sparqlEndpoint) is not None
    partitions = {str(graph.value(p, void["class"])): int(graph.value(p, void.entities)) for p in graph.objects(dataset, void.classPartition)}
    assert partitions[f"{BASE}ontology#Amount"] == report.records_by_kind["amount"]
    for distribution in graph.objects(dataset, dcat.distribution):
        name = str(distribution).rsplit("/", 1)[1]
        content = (report.out / name).read_bytes()
        assert int(graph.value(distribution, dcat.byteSize)) == len(content)
        checksum = graph.value(distribution, spdx.checksum)
        assert str(graph.value(checksum, spdx.checksumValue)) == hashlib.sha256(content).hexdigest()


def test_site_build_gives_the_same_bytes_twice(sandbox, tmp_path):
    for relative, text in TOMBSTONES.items():
        sandbox.write(relative, text)
    first = build(sandbox.project, out=tmp_path / "one", site=True)
    second = build(sandbox.project, out=tmp_path / "two", site=True)
    assert first.files == second.files
    for name in first.files:
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name
    assert "site/doc/place/suzhou-anhui.html" in first.files and "site/gone/organisation/suzhou-daily.html" in first.files
    assert "site/doc/place/suzhou.html" not in first.files  # a tombstone has no page: it redirects


@pytest.mark.parametrize("fmt", ["text", "bibtex", "csl-json", "ris"])
def test_cite_gives_title_dataset_version_uri_and_access_date(sandbox, fmt):
    sandbox.cli("build", check=True)
    out = sandbox.cli("cite", "suzhou-2015-village-head-annual-pay", "--format", fmt, "--accessed", "2024-03-05", check=True).stdout
    uri = f"{BASE}id/amount/suzhou-2015-village-head-annual-pay"
    assert uri in out and "宿州市村“两委”正职年平均报酬(2015年)" in out and "Dangjian KB" in out and "unreleased" in out
    if fmt == "csl-json":
        item = json.loads(out)[0]
        assert item["type"] == "dataset" and item["accessed"] == {"date-parts": [[2024, 3, 5]]} and item["URL"] == uri
    elif fmt == "bibtex":
        assert out.startswith("@misc{dangjian-amount-suzhou-2015-village-head-annual-pay,") and "urldate = {2024-03-05}" in out
        assert out.count("{") == out.count("}")
    elif fmt == "ris":
        assert out.splitlines()[0] == "TY  - DATA" and "Y2  - 2024-03-05" in out and out.splitlines()[-1] == "ER  -"
    else:
        assert "(accessed 2024-03-05)" in out


def test_cite_errors_are_one_line(sandbox):
    sandbox.cli("build", check=True)
    missing = sandbox.cli("cite", "suzhou-anhiu")
    assert missing.returncode == 1 and missing.stderr.strip() == "no record has the id `suzhou-anhiu`; did you mean `suzhou-anhui`?"
    bad_date = sandbox.cli("cite", "anhui", "--accessed", "yesterday")
    assert bad_date.returncode == 2


def test_citation_cff_describes_the_dataset(repo):
    cff = yaml.safe_load((repo.root / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["license"] == "CC-BY-4.0" and cff["title"] and cff["authors"]
    assert cff["url"] == BASE
