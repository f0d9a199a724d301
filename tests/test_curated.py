"""The curated corpus: it validates and builds; what the build derives from it (yearly figures,
where each quote stands); the comparisons and sums the issue asks for, by SPARQL on the published
graph; and the README's per-source counts, computed from the records."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pyoxigraph
import pytest

from dangjian.build import build
from dangjian.records.loader import load_records

BASE = "https://w3id.org/dangjian/"
DJ = BASE + "ontology#"


@pytest.fixture(scope="module")
def published(repo, tmp_path_factory):
    report = build(repo, out=tmp_path_factory.mktemp("curated") / "dist")
    store = pyoxigraph.Store()
    store.bulk_load(path=str(report.out / "dangjian.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return report, store


def rows(store, query: str) -> list[dict]:
    result = store.query(query)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_the_whole_corpus_validates_and_builds(published):
    report, _store = published
    assert report.verdict.problems == []
    assert report.records_by_kind["source"] == 5 and report.records_by_kind["amount"] > 100


def test_a_monthly_amount_gets_a_yearly_figure_beside_it(published):
    _report, store = published
    amount = f"<{BASE}id/amount/nanyang-2015-village-secretary-monthly-pay>"
    found = rows(store, f"""PREFIX dj: <{DJ}> PREFIX schema: <http://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?annual ?value ?currency ?period ?from ?how ?stated WHERE {{
          {amount} dj:annualEquivalent ?annual ; schema:value ?stated .
          ?annual a dj:DerivedAmount ; schema:value ?value ; schema:currency ?currency ; dj:period ?period ;
                  prov:wasDerivedFrom ?from ; dj:derivation ?how . FILTER (lang(?how) = "en") }}""")
    assert found == [{"annual": amount[1:-1] + "#annual", "value": "13200", "currency": "CNY", "period": DJ + "period-year",
                      "from": amount[1:-1], "how": "1100 CNY per month × 12 months = 13200 CNY per year", "stated": "1100"}]
    # A derived figure is no stated amount, and only monthly amounts get one.
    assert rows(store, f"PREFIX dj: <{DJ}> SELECT ?a WHERE {{ ?a a dj:DerivedAmount , dj:Amount }}") == []
    derived = rows(store, f"""PREFIX dj: <{DJ}> SELECT ?a ?period WHERE {{ ?a dj:annualEquivalent ?y . OPTIONAL {{ ?a dj:period ?period }} }}""")
    assert len(derived) == 5 and {r["period"] for r in derived} == {DJ + "period-month"}
    # A count reads as English counts do.
    visits = rows(store, f"""PREFIX dj: <{DJ}> SELECT ?how WHERE {{
        <{BASE}id/amount/suzhou-party-secretary-monthly-inspections#annual> dj:derivation ?how . FILTER (lang(?how) = "en") }}""")
    assert visits == [{"how": "1 occurrence per month × 12 months = 12 occurrences per year"}]


def test_each_quote_selector_says_what_stands_around_the_quote(published, repo):
    _report, store = published
    found = rows(store, """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?source ?exact ?prefix ?suffix WHERE { ?e oa:hasSelector ?s ; oa:hasSource ?source . ?s oa:exact ?exact .
          OPTIONAL { ?s oa:prefix ?prefix } OPTIONAL { ?s oa:suffix ?suffix } }""")
    assert len(found) == len(list((repo.records / "amounts").glob("*.yaml")))
    squeezed = lambda t: "".join(t.split())  # noqa: E731
    for row in found:
        text = (repo.records / "sources" / (row["source"].rsplit("/", 1)[1] + ".txt")).read_text(encoding="utf-8")
        assert row["prefix"] or row["suffix"]
        assert squeezed((row["prefix"] or "") + row["exact"] + (row["suffix"] or "")) in squeezed(text), row


def test_village_cadre_pay_compares_across_places_by_sparql(published, repo):
    _report, store = published
    found = rows(store, (repo.ontology / "queries" / "village-cadre-pay.rq").read_text(encoding="utf-8"))
    places = {r["placeLabel"] for r in found}
    assert {"宿州市", "合肥市", "南阳市", "大通区"} <= places
    yearly = {(r["placeLabel"], r["measureLabel"], r["yearly"]) for r in found}
    assert ("南阳市", "村党组织书记报酬", "13200") in yearly  # 1100元/月, derived
    assert ("宿州市", "村“两委”正职年报酬", "16300") in yearly  # stated per year
    assert ("合肥市", "村“两委”正职年报酬", "37000") in yearly


def test_sums_the_text_implies_hold_by_query(published, repo):
    _report, store = published
    found = rows(store, (repo.ontology / "queries" / "implied-totals.rq").read_text(encoding="utf-8"))
    agreeing = {(r["each"].rsplit("/", 1)[1], r["count"].rsplit("/", 1)[1], r["total"].rsplit("/", 1)[1]) for r in found if r["each"]}
    assert {("suzhou-2015-village-venue-subsidy", "suzhou-2015-village-venues-built", "suzhou-2015-village-venue-funding"),
            ("suzhou-2015-community-venue-subsidy", "suzhou-2015-community-venues-built", "suzhou-2015-community-venue-funding"),
            ("suzhou-2015-village-service-funding", "suzhou-villages", "suzhou-2015-village-service-funding-total"),
            ("suzhou-2015-community-service-funding", "suzhou-communities", "suzhou-2015-community-service-funding-total")} <= agreeing
    for row in (r for r in found if r["each"]):
        assert Decimal(row["product"]) == Decimal(row["totalValue"])
        assert Decimal(row["product"]) == Decimal(rows(store, f"SELECT ?v WHERE {{ <{row['each']}> <http://schema.org/value> ?a . "
                                                                   f"<{row['count']}> <http://schema.org/value> ?b . BIND(?a * ?b AS ?v) }}")[0]["v"])


# --- the README's counts -------------------------------------------------------------------------

KEYS = {"organisation": "source", "place": "source", "policy": "source", "amount": "source", "person": "source", "post": "source"}


def counts_per_source(project, ontology) -> dict[str, Counter]:
    """For each source id: records of each kind that name it, and the measures its amounts use."""
    records = load_records(project, ontology).records
    out: dict[str, Counter] = {r.id: Counter() for r in records if r.kind.name == "source"}
    measures: dict[str, set] = {source: set() for source in out}
    for record in records:
        sources = record.data.get("source")
        for source in [sources] if isinstance(sources, str) else sources or []:
            out[source][record.kind.name] += 1
            if record.kind.name == "amount":
                measures[source].add(record.data["measure"])
    for source, used in measures.items():
        out[source]["measure"] = len(used)
    return out


def counts_table(project, ontology) -> str:
    columns = ["organisation", "place", "policy", "amount", "measure", "person", "post"]
    heads = ["organisations", "places", "policies", "amounts", "measures used", "people", "posts"]
    counts = counts_per_source(project, ontology)
    lines = ["| source | " + " | ".join(heads) + " |", "| --- |" + " ---: |" * len(heads)]
    for source in sorted(counts):
        lines.append(f"| `{source}` | " + " | ".join(str(counts[source][c]) for c in columns) + " |")
    distinct = Counter(r.kind.name for r in load_records(project, ontology).records)
    lines.append("| all records (each once) | " + " | ".join(str(distinct[c]) for c in columns) + " |")
    return "\n".join(lines)


def test_the_readme_counts_are_the_records_counts(repo, ontology):
    readme = (repo.root / "README.md").read_text(encoding="utf-8")
    table = counts_table(repo, ontology)
    assert table in readme, "README.md's table of curated records per source is out of date; it should read:\n" + table


def test_a_body_a_policy_makes_use_of_is_found_from_its_village(published, repo):
    """上窑新四军纪念林, the education base 马庙村's Party-spirit education makes use of (充分利用…
    教育基地), is linked by dj:uses and found by the catalogue's village profile of 马庙村."""
    _report, store = published
    query = (repo.ontology / "queries" / "village-profile.rq").read_text(encoding="utf-8")
    query = query.replace("place/daping-village>", "place/mamiao-village>")
    found = {(r["relation"], r["thing"]) for r in rows(store, query)}
    assert ("has a policy making use of", f"{BASE}id/organisation/shangyao-new-fourth-army-memorial-forest") in found
