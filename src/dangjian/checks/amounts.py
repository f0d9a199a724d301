"""Check that the amount in a record agrees with the amount in its quote.

The Chinese amount reader (:mod:`dangjian.text.amounts`) reads the quote; the mention it finds
written as the record's ``as_written`` (or the quote's only amount, when there is no
``as_written``) must state what the record says:

- the number: ``value``, or ``min`` and ``max`` for a range (七八万元), or ``parts`` for a ratio or
  fraction (1∶0.8∶0.7, 三分之一), compared as numbers (16300 = 16300.00);
- the currency (元 is CNY) or the unit;
- the bound (不低于 at-least, 以下 at-most, 余 more-than, 近 nearly, 约 approximately …);
- the period: a record gives ``period`` exactly when its quote states one (年平均, 元/月, 每年);
- the allocation unit and the year, where the quote states them (每村 per village, 2012年的3.1万元);
- for 由A提高到B, the newer amount names the older with ``previous``.

Each disagreement is reported at the record's key (or, for a key the record lacks, at its
``as_written``), saying what the quote states. Records with problems of their own are left to
those problems.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..pipeline.mapper import Mapped
from ..model.namespaces import SCHEMA
from ..model.ontology import Ontology
from ..model.problems import Problem
from ..text.amounts import read_amounts
from ..pipeline.quotes import squeeze
from .sources import texts_of

CURRENCY_UNITS = {"CNY"}  # reader unit codes that are currencies, not units


def number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def shown(value: Decimal | None) -> str:
    if value is None:
        return "nothing"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class AmountChecker:
    def __init__(self, mapped: Mapped, ontology: Ontology, troubled: set[str]):
        self.mapped, self.ontology, self.troubled = mapped, ontology, troubled
        dj = ontology.vocabulary_iri
        key = ontology.key_for
        self.k = {name: key(iri) for name, iri in {
            "quote": dj + "quote", "as_written": dj + "asWritten", "value": SCHEMA + "value",
            "min": SCHEMA + "minValue", "max": SCHEMA + "maxValue", "parts": dj + "parts",
            "currency": SCHEMA + "currency", "unit": dj + "unit", "bound": dj + "bound", "period": dj + "period",
            "per": dj + "per", "year": dj + "year", "previous": dj + "previousValue"}.items()}
        self.problems: list[Problem] = []

    def add(self, record, key: str, message: str) -> None:
        """A problem under ``key``, at its line; at as_written's (or the quote's) when the record lacks it."""
        where = next((w for w in (key, self.k["as_written"], self.k["quote"]) if w in record.data), key)
        mark = record.value_mark(where)
        self.problems.append(Problem(record.shown_path, mark.line, mark.column, key, message, "amount"))

    def mention(self, record):
        """The mention of the quote the record is about, or None (with a problem said)."""
        data, k = record.data, self.k
        quotes = texts_of(data.get(k["quote"]), self.ontology.default_language)
        if not quotes:
            return None
        quote = quotes[0][2]
        mentions = read_amounts(quote)
        written = texts_of(data.get(k["as_written"]), self.ontology.default_language)
        read = "; ".join(m.text for m in mentions) or "nothing"
        if written:
            wanted = squeeze(written[0][2])
            found = [m for m in mentions if squeeze(m.as_written) == wanted or squeeze(m.text) == wanted]
            found = found or [m for m in mentions if wanted in squeeze(m.text)]
            if not found:
                self.add(record, k["as_written"], f"the amount reader finds no amount written “{written[0][2]}” in the quote "
                                                  f"(it reads: {read}); write the amount as the reader sees it")
                return None
            return found[0]
        if len(mentions) == 1:
            return mentions[0]
        if not mentions:
            self.add(record, k["quote"], "the amount reader finds no amount in the quote; quote the clause that states it")
        else:
            self.add(record, k["quote"], f"the quote states {len(mentions)} amounts ({read}); say which with as_written")
        return None

    def check(self, record) -> None:
        data, k = record.data, self.k
        m = self.mention(record)
        if m is None:
            return
        said = f"(read from “{m.text}”)"
        # the number
        if m.parts is not None:
            parts = data.get(k["parts"])
            mine = [number(p) for p in parts] if isinstance(parts, list) else None
            if mine != list(m.parts):
                stated = ":".join(shown(p) for p in m.parts)
                self.add(record, k["parts"], f"the quote states the parts {stated} {said}; write parts: [{', '.join(shown(p) for p in m.parts)}]")
        elif m.value is None:
            for name, theirs in (("min", m.low), ("max", m.high)):
                mine = number(data.get(k[name]))
                if mine != theirs:
                    self.add(record, k[name], f"the quote states a range of {shown(m.low)} to {shown(m.high)} {said}, "
                                              f"so {k[name]}: {shown(theirs)}, not {shown(mine)}")
        else:
            mine = number(data.get(k["value"]))
            if mine != m.value:
                self.add(record, k["value"], f"the quote states {shown(m.value)} {said}, not {shown(mine)}")
        # what it is counted in
        if m.unit in CURRENCY_UNITS:
            if data.get(k["currency"]) != m.unit:
                self.add(record, k["currency"], f"the quote states an amount in {m.unit} {said}; write currency: {m.unit}")
        elif data.get(k["unit"]) != m.unit:
            self.add(record, k["unit"], f"the quote states an amount in {m.unit} {said}; write unit: {m.unit}")
        # bound, period, per, year
        if data.get(k["bound"]) != m.bound:
            self.add(record, k["bound"], f"the quote states the bound {m.bound} {said}, not {data.get(k['bound'])}")
        if data.get(k["period"]) != m.period:
            if m.period is None:
                self.add(record, k["period"], f"the quote states no period {said}; remove period, or quote the words that give it")
            else:
                self.add(record, k["period"], f"the quote states the period {m.period} {said}; write period: {m.period}")
        if m.per is not None and data.get(k["per"]) != m.per:
            self.add(record, k["per"], f"the quote states an amount per {m.per} {said}; write per: {m.per}")
        if m.year is not None and number(data.get(k["year"])) != m.year:
            self.add(record, k["year"], f"the quote ties the amount to {m.year} {said}; write year: {m.year}")
        if m.change is not None and m.change[1] == m.start and m.change[0] != m.start and k["previous"] not in data:
            self.add(record, k["previous"], f"the quote states a change to this amount from an earlier one (由A提高到B) "
                                            f"{said}; name the earlier amount's record with previous")

    def run(self) -> list[Problem]:
        quote_key = self.k["quote"]
        checked = self.mapped.checked  # made beforehand, where each record was read (see checks.run.record_check)
        for subject, record in self.mapped.records.items():
            if quote_key in record.data and record.shown_path not in self.troubled and not self.ontology.is_tombstone(record.data):
                found = checked.get(subject)
                if found is None:
                    self.check(record)
                else:
                    self.problems += found
        return self.problems


def amount_problems(record, checker: AmountChecker) -> list[Problem] | None:
    """The amount check of one record, made where it is read (it depends on nothing else); None
    when the check does not apply. The record's own file must still be at hand for positions."""
    if checker.k["quote"] not in record.data or checker.ontology.is_tombstone(record.data):
        return None
    checker.problems = []
    checker.check(record)
    return checker.problems


def check_amounts(mapped: Mapped, ontology: Ontology, troubled: set[str]) -> list[Problem]:
    """Disagreements between amount records and the amounts their quotes state; records in
    ``troubled`` (paths) have problems of their own and are not read."""
    return AmountChecker(mapped, ontology, troubled).run()
