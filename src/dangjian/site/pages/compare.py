"""Comparisons of amounts across places (pages/comparisons.yaml), on a yearly footing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

import yaml
from pyoxigraph import NamedNode

from .chart import Bar
from ...model.namespaces import RDF_TYPE, SCHEMA, SKOS
from .view import Views, doc_path, group_digits, relative

MONTHS_A_YEAR = Decimal(12)


@dataclass(frozen=True)
class Comparison:
    slug: str
    title_zh: str
    title_en: str
    about_zh: str
    about_en: str
    measures: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"compare/{self.slug}.html"


def load_comparisons() -> list[Comparison]:
    data = yaml.safe_load(resources.files(__package__).joinpath("comparisons.yaml").read_text(encoding="utf-8"))
    return [Comparison(c["slug"], c["title"]["zh-Hans"], c["title"]["en"], c["about"]["zh-Hans"], c["about"]["en"], tuple(c["measures"]))
            for c in data]


def measures_under(views: Views, roots: tuple[str, ...]) -> list[str]:
    """The named measures that have records, and every measure narrower than them, as IRIs."""
    wanted = [iri for iri in (views.ontology.record_iri("measure", m) for m in roots) if iri in views.records]
    found, queue = set(wanted), list(wanted)
    while queue:
        for triple in views.graph.pointing_to(queue.pop(), SKOS + "broader"):
            if triple.subject.value not in found:
                found.add(triple.subject.value)
                queue.append(triple.subject.value)
    return sorted(found)


def yearly(views: Views, amount: str) -> tuple[Decimal | None, Decimal | None, bool, str]:
    """(low, high, computed, how) of an amount per year; (None, None, ...) when it has no yearly footing."""
    dj = views.dj
    annual = views.graph.value(amount, dj + "annualEquivalent")
    node = annual if annual is not None else NamedNode(amount)
    value = views.graph.value(node, SCHEMA + "value")
    low, high = views.graph.value(node, SCHEMA + "minValue"), views.graph.value(node, SCHEMA + "maxValue")
    if value is not None:
        low = high = value
    if low is None or high is None:
        return None, None, False, ""
    low_n, high_n = Decimal(low.value), Decimal(high.value)
    if annual is not None:
        return low_n, high_n, True, "annual equivalent"
    period = views.graph.value(amount, dj + "period")
    if period is not None and period.value == dj + "period-year":
        return low_n, high_n, False, "stated yearly"
    if period is not None and period.value == dj + "period-month":
        return low_n * MONTHS_A_YEAR, high_n * MONTHS_A_YEAR, True, "monthly × 12"
    return None, None, False, ""


def comparison_data(views: Views, comparison: Comparison, page: str | None = None) -> dict:
    """The amounts of a comparison's measures, with a bar for each that has a yearly footing;
    links relative to ``page`` (the comparison's own page unless told)."""
    page = page or comparison.path
    measures = measures_under(views, comparison.measures)
    amount_class = NamedNode(views.dj + "Amount")
    amounts = sorted({t.subject.value for m in measures for t in views.graph.pointing_to(m, views.dj + "measure")
                      if amount_class in views.graph.values(t.subject, RDF_TYPE)})
    rows, bars = [], []
    for amount in amounts:
        row = views.amount_row(amount, page)
        low, high, computed, how = yearly(views, amount)
        row["yearly"] = None
        if low is not None and views.graph.value(amount, SCHEMA + "currency") is not None:
            shown = group_digits(str(low)) if low == high else f"{group_digits(str(low))}–{group_digits(str(high))}"
            row["yearly"] = {"text": f"{shown} 元", "computed": computed, "how": how}
            place = row["place"].text if row["place"] else "?"
            year = views.graph.value(amount, views.dj + "year")
            measure = row["measure"].text if row["measure"] else ""
            label = f"{place} {year.value if year else ''} {measure}".strip()
            bars.append(Bar(label, low, high, row["yearly"]["text"], relative(doc_path("amount", amount.rsplit("/", 1)[1]), page), computed))
        rows.append(row)
    bars.sort(key=lambda b: (-b.high, b.label))
    missing = [m for m in comparison.measures if views.ontology.record_iri("measure", m) not in views.records]
    return {"comparison": comparison, "rows": rows, "bars": bars, "missing": missing,
            "measures": [views.value(NamedNode(m), page) for m in measures]}
