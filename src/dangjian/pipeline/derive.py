"""Statements the build adds to what records say, each computed from the records alone (and,
for quotes, from the cleaned text of the source they quote).

- Every amount is also a schema:MonetaryAmount (it has a currency) or a
  schema:QuantitativeValue (it has a unit), so that schema.org consumers read it.
- Every quote is also a Web Annotation: an oa:SpecificResource on the source whose
  oa:TextQuoteSelector holds the exact text, at ``{amount}#quote`` and ``{amount}#quote-selector``;
  where the source's cleaned text is at hand, the selector also gets the text right before and
  after the quote (oa:prefix, oa:suffix, within its paragraph), which tells apart two places
  that say the same words.
- Every monthly amount gets a yearly figure beside it, for comparing places that state pay per
  month with places that state it per year: ``{amount}#annual``, a dj:DerivedAmount twelve times
  the stated value, prov:wasDerivedFrom the stated amount, with dj:derivation saying how. It
  never replaces the stated amount, and carries no measure of its own: queries reach it from the
  stated amount through dj:annualEquivalent. Percentages, fractions and ratios are not summed.
- A tombstone replaced by another record is owl:sameAs it (the old IRI names the same thing);
  a withdrawn one is owl:deprecated true.
- Every code from a code list (a place's division code, wdt:P442) is also a schema:identifier, a
  schema:PropertyValue at ``{record}#{key}`` (``#division-code``) naming the property as its
  schema:propertyID and the code list as its dcterms:source, for schema.org consumers; the code
  list (its vintage) is described once, in the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from ..divisions.codelist import code_lists
from ..model import namespaces
from ..model.namespaces import DCTERMS, OA, SCHEMA, XSD
from ..model.ontology import Ontology
from ..model.terms import Triple, iri, nt_literal, split_literal
from .quotes import locate

RDF_TYPE = iri(namespaces.RDF_TYPE)
PROV_DERIVED_FROM = iri(namespaces.PROV_DERIVED_FROM)
IS_REPLACED_BY = iri(namespaces.DCTERMS_IS_REPLACED_BY)
OWL_SAME_AS = iri(namespaces.OWL_SAME_AS)
OWL_DEPRECATED = iri(namespaces.OWL_DEPRECATED)
DCTERMS_SOURCE = iri(DCTERMS + "source")
TRUE = f'"true"^^<{XSD}boolean>'

CONTEXT_CHARACTERS = 20  # of oa:prefix and oa:suffix, at most
MONTHS_A_YEAR = 12
NOT_SUMMED = ("percent", "fraction", "ratio")  # units whose monthly figures do not add up to a year's


def derive(triples: list[Triple], ontology: Ontology, texts: dict[str, str] | None = None) -> list[Triple]:
    """``texts``: the cleaned text of each source, by source id (for oa:prefix and oa:suffix)."""
    dj = ontology.vocabulary_iri
    amount_class = f"<{dj}Amount>"
    currency, quote_predicate = f"<{SCHEMA}currency>", f"<{dj}quote>"
    amounts = {s for s, p, o in triples if p == RDF_TYPE and o == amount_class}
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if s in amounts:
            by_subject[s][p].append(o)
    added = tombstone_statements(triples, ontology) + identifier_statements(triples, ontology)
    for subject in sorted(amounts):
        predicates = by_subject[subject]
        schema_type = "MonetaryAmount" if predicates.get(currency) else "QuantitativeValue"
        added.append((subject, RDF_TYPE, f"<{SCHEMA}{schema_type}>"))
        sources = predicates.get(PROV_DERIVED_FROM, [])
        for quote in predicates.get(quote_predicate, [])[:1]:
            evidence = subject[:-1] + "#quote>"
            selector = subject[:-1] + "#quote-selector>"
            added += [
                (subject, f"<{dj}evidence>", evidence),
                (evidence, RDF_TYPE, f"<{OA}SpecificResource>"),
                (evidence, f"<{OA}hasSelector>", selector),
                (selector, RDF_TYPE, f"<{OA}TextQuoteSelector>"),
                (selector, f"<{OA}exact>", quote),
            ]
            added += [(evidence, f"<{OA}hasSource>", source) for source in sources]
            added += quote_context(selector, quote, sources, ontology, texts or {})
        added += annual_equivalent(subject, predicates, ontology, schema_type)
    return added


# --- the quote in its source ---------------------------------------------------------------


def quote_context(selector: str, quote: str, sources: list[str], ontology: Ontology, texts: dict[str, str]) -> list[Triple]:
    """oa:prefix and oa:suffix: the text before and after the quote's first place in its source,
    within its paragraph."""
    for source in sources:
        split = ontology.split_record_iri(source[1:-1])
        text = texts.get(split[1]) if split else None
        if text is None:
            continue
        _body, exact, language, _datatype = split_literal(quote)
        where = locate(exact, text)
        if where is None:
            return []
        start, end = where
        before = text[max(0, start - CONTEXT_CHARACTERS):start].rpartition("\n")[2]
        after = text[end:end + CONTEXT_CHARACTERS].partition("\n")[0]
        out = []
        if before.strip():
            out.append((selector, f"<{OA}prefix>", nt_literal(before, language=language)))
        if after.strip():
            out.append((selector, f"<{OA}suffix>", nt_literal(after, language=language)))
        return out
    return []


# --- a yearly figure beside a monthly one ------------------------------------------------------


def _number(term: str) -> Decimal | None:
    if term[0] != '"':
        return None
    try:
        return Decimal(split_literal(term)[1])
    except (InvalidOperation, ValueError):
        return None


def _plain(number: Decimal) -> str:
    """A decimal as xsd:decimal writes it, without exponent or trailing zeros: 13200, 90.5."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _counted(noun: str, number: str) -> str:
    """A unit's English name as a count of it reads: 1 occurrence, 12 occurrences, 2 entries."""
    if not noun or number == "1":
        return noun
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def annual_equivalent(subject: str, predicates: dict, ontology: Ontology, schema_type: str) -> list[Triple]:
    dj = ontology.vocabulary_iri
    if predicates.get(f"<{dj}period>") != [f"<{dj}period-month>"]:
        return []
    units = predicates.get(f"<{dj}unit>", [])
    if any(unit == f"<{dj}unit-{name}>" for unit in units for name in NOT_SUMMED):
        return []
    numbers = {}
    for key, predicate in (("value", "value"), ("min", "minValue"), ("max", "maxValue")):
        found = predicates.get(f"<{SCHEMA}{predicate}>", [])
        if len(found) == 1 and _number(found[0]) is not None:
            numbers[predicate] = _number(found[0])
    if "value" not in numbers and not ("minValue" in numbers and "maxValue" in numbers):
        return []
    annual = subject[:-1] + "#annual>"
    decimal = XSD + "decimal"
    out = [
        (subject, f"<{dj}annualEquivalent>", annual),
        (annual, RDF_TYPE, f"<{dj}DerivedAmount>"),
        (annual, RDF_TYPE, f"<{SCHEMA}{schema_type}>"),
        (annual, f"<{dj}period>", f"<{dj}period-year>"),
        (annual, PROV_DERIVED_FROM, subject),
    ]
    for predicate, number in numbers.items():
        out.append((annual, f"<{SCHEMA}{predicate}>", nt_literal(_plain(number * MONTHS_A_YEAR), datatype=decimal)))
    for predicate in (f"<{SCHEMA}currency>", f"<{dj}unit>", f"<{dj}bound>", f"<{dj}per>"):
        out += [(annual, predicate, o) for o in predicates.get(predicate, [])]
    def written(key: str, factor: int = 1) -> str:
        if key == "value":
            return _plain(numbers["value"] * factor)
        return f"{_plain(numbers['minValue'] * factor)}–{_plain(numbers['maxValue'] * factor)}"

    key = "value" if "value" in numbers else "range"
    currencies = [split_literal(c)[1] for c in predicates.get(f"<{SCHEMA}currency>", []) if c[0] == '"']
    unit_en = currencies[0] if currencies else units[0][len(dj) + 1:-1].replace("unit-", "") if units else ""
    unit_zh = "元" if currencies == ["CNY"] else ontology.labels.get(units[0][1:-1], {}).get("zh-Hans", "") if units else ""
    once, yearly = written(key), written(key, MONTHS_A_YEAR)
    each, all_year = (unit_en, unit_en) if currencies else (_counted(unit_en, once), _counted(unit_en, yearly))
    out += [
        (annual, f"<{dj}derivation>", nt_literal(
            f"{once} {each} per month × {MONTHS_A_YEAR} months = {yearly} {all_year} per year".replace("  ", " "), language="en")),
        (annual, f"<{dj}derivation>", nt_literal(
            f"每月{once}{unit_zh}×{MONTHS_A_YEAR}个月 = 每年{yearly}{unit_zh}", language="zh-Hans")),
    ]
    return out


def tombstone_statements(triples: list[Triple], ontology: Ontology) -> list[Triple]:
    withdrawn = f"<{ontology.vocabulary_iri}withdrawalReason>"
    added = [(s, OWL_SAME_AS, o) for s, p, o in triples if p == IS_REPLACED_BY]
    added += [(s, OWL_DEPRECATED, TRUE) for s in sorted({s for s, p, _o in triples if p == withdrawn})]
    return added


def identifier_statements(triples: list[Triple], ontology: Ontology) -> list[Triple]:
    lists = {f"<{c.predicate}>": c for c in code_lists(ontology)}
    added = []
    for s, p, o in triples:
        code_list = lists.get(p)
        if code_list is None or s[0] != "<":
            continue
        value = s[:-1] + "#" + code_list.key.replace("_", "-") + ">"
        added += [(s, f"<{SCHEMA}identifier>", value),
                  (value, RDF_TYPE, f"<{SCHEMA}PropertyValue>"),
                  (value, f"<{SCHEMA}propertyID>", p),
                  (value, f"<{SCHEMA}value>", o),
                  (value, DCTERMS_SOURCE, f"<{code_list.iri}>")]
    return added
