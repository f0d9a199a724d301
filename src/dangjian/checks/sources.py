"""Check that each fact matches its source: the capture is the one recorded, the cleaned text is
the cleaning of the capture, and every quote stands in its source's text.

- A source's capture (``{id}.capture.txt``) has the SHA-256 its record gives (``capture_sha256``);
- its cleaned text (``{id}.txt``) is exactly what :func:`dangjian.text.capture.clean` makes of the
  capture, so a hand edit is caught, at the first line and column that differs;
- every quote occurs verbatim in the cleaned text of its source (whitespace ignored), written in
  the source's own script: the quote's language tag is the source's ``language``;
- ``as_written`` occurs in the quote.

Records with problems of their own are left to those problems: a quote is checked once its
record is otherwise valid, so one mistake gives one message.
"""

from __future__ import annotations

from ..text.capture import UnknownLayout, clean_file, sha256
from ..records.companions import RecordFiles, capture_path, source_kind, text_path
from ..pipeline.mapper import Mapped
from ..pipeline.quotes import squeeze, stands_in
from ..model.namespaces import DCTERMS_LANGUAGE, PROV_DERIVED_FROM
from ..model.ontology import Ontology
from ..model.problems import Problem
from ..settings import Project

SHOWN = 12  # characters of text shown around a disagreement


def texts_of(value, default_language: str) -> list[tuple[tuple, str, str]]:
    """(path under the key, language, text) of a text value: a string or a language map."""
    if isinstance(value, str):
        return [((), default_language, value)]
    if isinstance(value, dict):
        return [((tag,), tag, text) for tag, text in value.items() if isinstance(text, str)]
    return []


class SourceChecker:
    def __init__(self, project: Project, mapped: Mapped, ontology: Ontology, troubled: set[str]):
        self.project, self.mapped, self.ontology, self.troubled = project, mapped, ontology, troubled
        dj = ontology.vocabulary_iri
        key = ontology.key_for
        self.keys = {name: key(iri) for name, iri in {
            "quote": dj + "quote", "as_written": dj + "asWritten", "source": PROV_DERIVED_FROM,
            "language": DCTERMS_LANGUAGE, "sha": dj + "captureSha256"}.items()}
        self.source_kind = source_kind(ontology)
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}  # cleaned text by source id, as committed
        self.languages: dict[str, str] = {}  # by source id
        self.squeezed: dict[str, str] = {}  # cleaned text without whitespace, by source id
        self.files = RecordFiles(project, ontology, mapped.records.values())

    def source(self, source_id: str) -> None:
        """The language and text of a source no record at hand is (a quick rebuild's), from its files."""
        if source_id in self.languages or source_id in self.texts:
            return
        record = self.files.get(self.source_kind, source_id)
        if record is not None and isinstance(record.data.get(self.keys["language"]), str):
            self.languages[source_id] = record.data[self.keys["language"]]
        text_file = text_path(self.project, self.ontology, source_id)
        if text_file.is_file():
            try:
                self.texts[source_id] = text_file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                pass

    def live(self):
        for record in self.mapped.records.values():
            if not self.ontology.is_tombstone(record.data):
                yield record

    def add(self, record, key_path: tuple, message: str, rule: str = "source") -> None:
        mark = record.value_mark(*key_path)
        self.problems.append(Problem(record.shown_path, mark.line, mark.column, ".".join(map(str, key_path)), message, rule))

    # --- sources ---------------------------------------------------------------------------

    def check_source(self, record) -> None:
        sha_key, language_key = self.keys["sha"], self.keys["language"]
        if isinstance(record.data.get(language_key), str):
            self.languages[record.id] = record.data[language_key]
        capture = capture_path(self.project, self.ontology, record.id)
        shown_capture = self.project.relative(capture)
        text_file = text_path(self.project, self.ontology, record.id)
        if text_file.is_file():
            try:
                self.texts[record.id] = text_file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                self.problems.append(Problem(self.project.relative(text_file), 1, 1, "", "not UTF-8; regenerate it from the capture", "source"))
        if record.shown_path in self.troubled:
            return
        if not capture.is_file():
            self.add(record, (sha_key,), f"no capture beside this record: keep the page as captured, byte for byte, in {shown_capture}")
            return
        raw = capture.read_bytes()
        recorded = record.data.get(sha_key)
        actual = sha256(raw)
        if recorded != actual:
            self.add(record, (sha_key,), f"{shown_capture} has SHA-256 {actual}, not the one recorded here: "
                                         "the capture changed, or this is not its hash")
        try:
            expected = clean_file(raw)
        except (UnknownLayout, UnicodeDecodeError) as error:
            self.add(record, (sha_key,), f"{shown_capture} cannot be cleaned: {error}")
            return
        command = f"`dangjian capture clean --write {shown_capture}`"
        if record.id not in self.texts:
            if not text_file.is_file():
                self.add(record, (sha_key,), f"no cleaned text beside this record: make {self.project.relative(text_file)} with {command}")
            return
        committed = self.texts[record.id]
        if committed != expected:
            self.texts[record.id] = expected  # quotes are checked against what the text should be
            line, column, found, wanted = first_difference(committed, expected)
            self.problems.append(Problem(
                self.project.relative(text_file), line, column, "",
                f"differs from the cleaning of {capture.name} from here on (the file has “{found}”, the cleaning "
                f"gives “{wanted}”): the cleaned text is made, not edited; run {command}", "source"))

    # --- quotes ----------------------------------------------------------------------------

    def check_quotes(self, record) -> None:
        data = record.data
        quote_key, source_key = self.keys["quote"], self.keys["source"]
        if quote_key not in data or record.shown_path in self.troubled:
            return
        sources = data.get(source_key)
        sources = [sources] if isinstance(sources, str) else [s for s in sources or [] if isinstance(s, str)]
        default = self.ontology.default_language
        for path, language, quote in texts_of(data[quote_key], default):
            for source_id in sources:
                self.source(source_id)
                where = (quote_key, *path)
                written_in = self.languages.get(source_id)
                if written_in and language != written_in:
                    self.add(record, where, f"tagged {language}, but source `{source_id}` is written in {written_in}: "
                                            f"copy the quote in the source's own script and tag it {written_in}")
                    return
                text = self.texts.get(source_id)
                if text is None:
                    continue  # the source's own problems say why it has no text
                if source_id not in self.squeezed:
                    self.squeezed[source_id] = squeeze(text)
                if not stands_in(quote, self.squeezed[source_id]):
                    shown = self.project.relative(text_path(self.project, self.ontology, source_id))
                    self.add(record, where, f"not in {shown}, the text of source `{source_id}`, even with whitespace "
                                            f"ignored: {near_miss(squeeze(quote), self.squeezed[source_id])}; copy the clause verbatim")
                    return  # what the quote holds is moot until it is the source's
            self.check_as_written(record, quote)

    def check_as_written(self, record, quote: str) -> None:
        key = self.keys["as_written"]
        for path, _language, written in texts_of(record.data.get(key), self.ontology.default_language):
            if squeeze(written) not in squeeze(quote):
                self.add(record, (key, *path), f"“{written}” is not in the quote; write the amount as the quote writes it")

    def run(self) -> list[Problem]:
        records = list(self.live())
        for record in records:
            if record.kind.name == self.source_kind:
                self.check_source(record)
        for record in records:
            self.check_quotes(record)
        return self.problems


def first_difference(found: str, wanted: str) -> tuple[int, int, str, str]:
    """1-based line and column where two texts first differ, and a little of each from there."""
    at = next((i for i, (a, b) in enumerate(zip(found, wanted)) if a != b), min(len(found), len(wanted)))
    line = found.count("\n", 0, at) + 1
    column = at - (found.rfind("\n", 0, at) + 1) + 1
    show = lambda text: text[at:at + SHOWN].replace("\n", "⏎") or "(the end)"  # noqa: E731
    return line, column, show(found), show(wanted)


def near_miss(quote: str, text: str) -> str:
    """Where a quote that is not in a text parts from it: the longest start of the quote that is."""
    low, high = 0, len(quote)
    while low < high:  # the longest prefix found (if a prefix occurs, every shorter one does)
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        return f"its first character “{quote[:1]}” is nowhere in it"
    at = text.find(quote[:low])
    agreed = quote[max(0, low - SHOWN):low]
    return (f"it agrees up to “{agreed}”, then has “{quote[low:low + 1]}” where the text has "
            f"“{text[at + low:at + low + 1] or '(the end)'}”")


def check_sources(project: Project, mapped: Mapped, ontology: Ontology, troubled: set[str]) -> list[Problem]:
    """Problems of captures, cleaned texts and quotes; records in ``troubled`` (paths) have problems
    of their own and are not checked against their sources."""
    return SourceChecker(project, mapped, ontology, troubled).run()

