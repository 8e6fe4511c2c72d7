"""错敏词库: one category's term list, its TOML file format, and the edits an admin makes.

A lexicon is a UTF-8 TOML document, one file per category
(``domain/proofread/lexicons/<category>.toml`` for the shipped ones)::

    category = "outdated_name"
    version = "2026.11.1"
    severity = "block"            # default for the entries
    description = "过时的机构名称和提法"
    source = "2018年、2023年党和国家机构改革方案"   # where the facts come from
    date = "2023-03-16"           # the date of that source (or of the compilation)
    whitelist = ["文化部门"]        # longer legitimate terms that suppress hits inside them

    [[entry]]
    term = "文化部"
    suggest = "文化和旅游部"
    note = "2018年机构改革"
    # severity = "warn"           # optional per-entry override
    # unless_quoted = true        # no finding when the term stands inside “…”

A list may also name a generated part shipped beside it (``generated =
"confusable_generated.tsv"``): tens of thousands of entries that a script derives from
a dictionary, too many for TOML to parse at every start. That file is package data in
the compact format of :func:`parse_generated` (header lines, then ``wrong<TAB>right``
a line); its entries belong to the list like the others, with the list's default
severity, but are held in flat columns and become :class:`LexiconEntry` objects only
when someone iterates them. Edits keep the reference and never copy them into TOML.

The ``allow`` category (:data:`ALLOW`) is an organisation's own allow list: its
terms (the organisation's place names, titles of its works) never produce a
finding of any category; each entry's ``note`` says why it was allowed.

The ``name_title`` category (领导姓名与职务) uses ``name``, ``title`` (the
current one), optional ``former = [...]`` (titles the person held before) and
``aliases = [...]`` (accepted short forms such as "局长") instead of
``term``/``suggest``; in :class:`LexiconEntry` the name is kept in ``term``
and the current title in ``suggest``.

Versions are calendar versions ``YYYY.MM.N`` (:func:`bump_version`): every
edit made through :func:`add_entry` / :func:`remove_entry` bumps N within the
month of ``today``, or starts at ``.1`` in a new month. The version is stored
with each check run so an audit can tell which list a decision was made with.
Nothing here reads a clock: callers pass ``today``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from typing import Any

from domain.errors import InvalidInput
from domain.proofread.model import SEVERITIES


class LexiconProblem(InvalidInput, ValueError):
    """A word list that cannot be read or changed so (CLI exit 2; also a ``ValueError``).

    Its message names the list and the offending item in one line; it keeps the message
    as written, with ``{fields}``, and the values apart, so each face says it in its
    person's language."""


NAME_TITLE = "name_title"
ALLOW = "allow"

_CATEGORY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_VERSION_RE = re.compile(r"(\d{4})\.(\d{1,2})\.(\d+)\Z")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")

_TOP_KEYS = frozenset(
    {
        "category", "version", "severity", "description", "source", "date", "whitelist",
        "entry", "generated",
    }
)  # fmt: skip
_GENERATED_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\.tsv\Z")
_GENERATED_HEADERS = ("category", "source", "date", "version")
_HEADER_RE = re.compile(r"# ?([a-z]+): *(.*)\Z")
# A generated data line: a term and its right form, neither with a control character
# or surrounding whitespace (checked for the whole file at once; a line at a time only
# to name the line that fails).
_NOT_TEXT = r"\x00-\x1f\x7f\ud800-\udfff"  # control characters and lone surrogates
_FIELD = rf"[^\s{_NOT_TEXT}](?:[^{_NOT_TEXT}]*[^\s{_NOT_TEXT}])?"
_GENERATED_LINE = rf"(?!#){_FIELD}\t{_FIELD}"
_GENERATED_BLOCK_RE = re.compile(f"(?:{_GENERATED_LINE}\n)*")
_GENERATED_LINE_RE = re.compile(rf"{_GENERATED_LINE}\Z")
_TERM_KEYS = frozenset({"term", "suggest", "severity", "note", "unless_quoted"})
_NAME_KEYS = frozenset({"name", "title", "former", "aliases", "severity", "note"})


@dataclass(frozen=True)
class LexiconEntry:
    """One term of a lexicon.

    For ``name_title`` lexicons ``term`` is the person's name, ``suggest`` the
    current title, ``former`` earlier titles and ``aliases`` accepted short forms.
    """

    term: str
    suggest: str | None = None
    severity: str | None = None  # None: the lexicon's default
    note: str | None = None
    former: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    unless_quoted: bool = False  # inside “…” the term is cited, not used


class GeneratedEntries:
    """The entries of a generated data file, in flat columns (:func:`parse_generated`).

    ``name`` is the file's name in ``lexicons/``; ``category``, ``source``, ``date`` and
    ``version`` come from its header; ``terms[i]``, ``suggests[i]`` and ``notes[i]`` are
    entry i (no severity: the list's default)."""

    __slots__ = (
        "_index",
        "category",
        "date",
        "name",
        "notes",
        "source",
        "suggests",
        "terms",
        "version",
    )

    def __init__(
        self,
        name: str,
        category: str,
        source: str,
        date: str,
        version: str,
        terms: tuple[str, ...],
        suggests: tuple[str, ...],
        notes: tuple[str | None, ...],
    ) -> None:
        self.name, self.category, self.source = name, category, source
        self.date, self.version = date, version
        self.terms, self.suggests, self.notes = terms, suggests, notes
        self._index: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.terms)

    def _key(self) -> tuple:
        return (self.name, self.category, self.version, self.terms, self.suggests, self.notes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GeneratedEntries):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.name, self.version, len(self.terms)))

    @property
    def index(self) -> dict[str, int]:
        """Term -> position, built when first asked."""
        if self._index is None:
            self._index = dict(zip(self.terms, range(len(self.terms)), strict=True))
        return self._index

    def entry(self, i: int) -> LexiconEntry:
        return LexiconEntry(term=self.terms[i], suggest=self.suggests[i], note=self.notes[i])

    def __repr__(self) -> str:
        return f"GeneratedEntries({self.name!r}, {len(self.terms)} entries)"


class Entries(Sequence[LexiconEntry]):
    """A list's entries: its own (``hand``) and, after them, those of a generated file.

    Behaves as the tuple of all of them (equal to it, too); the generated ones are made
    into :class:`LexiconEntry` objects the first time anyone reads them as entries."""

    __slots__ = ("_all", "generated", "hand")

    def __init__(self, hand: tuple[LexiconEntry, ...], generated: GeneratedEntries) -> None:
        self.hand = hand
        self.generated = generated
        self._all: tuple[LexiconEntry, ...] | None = None

    def _materialised(self) -> tuple[LexiconEntry, ...]:
        if self._all is None:
            gen = self.generated
            self._all = self.hand + tuple(map(gen.entry, range(len(gen))))
        return self._all

    def __len__(self) -> int:
        return len(self.hand) + len(self.generated)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]  # int or slice, as a tuple
        return self._materialised()[i]

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self._materialised())

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(e.term for e in self.hand) + self.generated.terms

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entries):
            return self.hand == other.hand and self.generated == other.generated
        if isinstance(other, tuple):
            return len(self) == len(other) and self._materialised() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.hand, self.generated))

    def __repr__(self) -> str:
        return f"Entries({len(self.hand)} entries + {self.generated!r})"


def _extended(
    entries: Sequence[LexiconEntry], new: Iterable[LexiconEntry]
) -> Sequence[LexiconEntry]:
    """``entries`` with ``new`` after them, a generated part kept as it is."""
    if isinstance(entries, Entries):
        return Entries((*entries.hand, *new), entries.generated)
    return (*entries, *new)


@dataclass(frozen=True)
class Lexicon:
    """One category's term list (parsed from TOML by :func:`parse_lexicon`).

    Constructing one validates it, so a ``Lexicon`` in hand is always usable
    by :class:`~domain.proofread.checker.Checker`.
    """

    category: str
    version: str
    default_severity: str
    entries: Sequence[LexiconEntry]  # a tuple, or Entries when a generated file is named
    whitelist: tuple[str, ...] = ()
    description: str = ""
    source: str = ""  # where the list's facts come from
    source_date: str = ""  # the date of that source, YYYY-MM-DD ("date" in TOML)
    _by_term: dict[str, LexiconEntry] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        _validate(self)
        hand = self.entries.hand if isinstance(self.entries, Entries) else self.entries
        object.__setattr__(self, "_by_term", {e.term: e for e in hand})

    @property
    def is_name_title(self) -> bool:
        return self.category == NAME_TITLE

    @property
    def is_allow_list(self) -> bool:
        return self.category == ALLOW

    def severity_of(self, entry: LexiconEntry) -> str:
        """The entry's own severity, or the lexicon default."""
        return entry.severity or self.default_severity

    @property
    def generated(self) -> GeneratedEntries | None:
        """The generated part of the entries, if the list names one."""
        return self.entries.generated if isinstance(self.entries, Entries) else None

    def get(self, term: str) -> LexiconEntry | None:
        found = self._by_term.get(term)
        gen = self.generated
        if found is None and gen is not None:
            i = gen.index.get(term)
            if i is not None:
                return gen.entry(i)
        return found

    @property
    def terms(self) -> tuple[str, ...]:
        if isinstance(self.entries, Entries):
            return self.entries.terms
        return tuple(e.term for e in self.entries)


def _validate(lex: Lexicon) -> None:
    # Every message is one line naming the lexicon and the offending item, because
    # the admin CLI shows it as is.
    if not isinstance(lex.category, str) or not _CATEGORY_RE.match(lex.category):
        raise LexiconProblem(
            "lexicon category must be lower_snake_case, got {category!r}", category=lex.category
        )
    where = f"lexicon {lex.category!r}"
    if not isinstance(lex.version, str) or not lex.version.strip():
        raise LexiconProblem("{where}: version must be a non-empty string", where=where)
    _check_severity(lex.default_severity, where)
    seen: set[str] = set()
    entries = lex.entries
    if isinstance(entries, Entries):
        # The generated part was checked entry by entry when its file was read.
        gen = entries.generated
        if gen.category != lex.category or lex.is_name_title or lex.is_allow_list:
            raise LexiconProblem(
                "{where}: {name} holds entries of {category!r}",
                where=where,
                name=gen.name,
                category=gen.category,
            )
        entries = entries.hand
        seen = set(gen.terms)
    for i, entry in enumerate(entries):
        at = f"{where}, entry {i + 1}"
        _check_term(entry.term, at)
        if entry.term in seen:
            raise LexiconProblem("{where}: duplicate term {term!r}", where=at, term=entry.term)
        seen.add(entry.term)
        if entry.severity is not None:
            _check_severity(entry.severity, f"{at} ({entry.term})")
        for text in (entry.suggest, entry.note, *entry.former, *entry.aliases):
            if text is not None and (not isinstance(text, str) or _has_surrogate(text)):
                raise LexiconProblem(
                    "{where} ({term}): texts must be valid strings", where=at, term=entry.term
                )
        if lex.is_name_title:
            if not entry.suggest:
                raise LexiconProblem(
                    "{where} ({term}): a name_title entry needs a title", where=at, term=entry.term
                )
            for title in (*entry.former, *entry.aliases):
                _check_term(title, f"{at} ({entry.term}) title")
    for text in lex.whitelist:
        _check_term(text, f"{where}, whitelist")
        if text in seen:
            raise LexiconProblem(
                "{where}: {text!r} is both a term and a whitelist entry", where=where, text=text
            )
    if len(set(lex.whitelist)) != len(lex.whitelist):
        raise LexiconProblem("{where}: duplicate whitelist entry", where=where)


def _check_severity(value: object, where: str) -> None:
    if value not in SEVERITIES:
        raise LexiconProblem(
            "{where}: unknown severity {value!r} (expected block, warn or info)",
            where=where,
            value=value,
        )


def _check_term(term: object, where: str) -> None:
    if not isinstance(term, str) or not term:
        raise LexiconProblem("{where}: term must be a non-empty string", where=where)
    if term != term.strip():
        raise LexiconProblem(
            "{where}: term {term!r} has leading or trailing whitespace", where=where, term=term
        )
    if _CONTROL_RE.search(term):
        raise LexiconProblem(
            "{where}: term {term!r} contains a control character", where=where, term=term
        )


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


# --- TOML in and out ---------------------------------------------------------------


def parse_lexicon(text: str) -> Lexicon:
    """Parse a lexicon TOML document; raise a one-line ``ValueError`` if it is unusable.

    A ``Lexicon`` is immutable, so the same text gives the same object: the shipped
    common-miswriting list holds tens of thousands of entries, and a process that builds
    checkers again and again (per organisation, per list version) parses it once."""
    return _parse_lexicon(text)


@functools.lru_cache(maxsize=32)
def _parse_lexicon(text: str) -> Lexicon:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_problem(_one_line(str(exc))) from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise LexiconProblem("lexicon has unknown key(s): {keys}", keys=", ".join(unknown))
    category = data.get("category")
    if not isinstance(category, str) or not _CATEGORY_RE.match(category):
        raise LexiconProblem(
            "lexicon category must be lower_snake_case, got {category!r}", category=category
        )
    where = f"lexicon {category!r}"
    version = _get_str(data, "version", where, required=True)
    severity = data.get("severity", "warn")
    _check_severity(severity, where)
    description = _get_str(data, "description", where) or ""
    source = _get_str(data, "source", where) or ""
    source_date = _get_str(data, "date", where) or ""
    if source_date and not _DATE_RE.match(source_date):
        raise LexiconProblem(
            "{where}: 'date' must be YYYY-MM-DD, got {date!r}", where=where, date=source_date
        )
    whitelist = _get_str_list(data, "whitelist", where)
    raw_entries = data.get("entry", [])
    if not isinstance(raw_entries, list):
        raise LexiconProblem("{where}: 'entry' must be an array of tables ([[entry]])", where=where)
    entries: Sequence[LexiconEntry] = tuple(
        _parse_entry(raw, category, f"{where}, entry {i + 1}") for i, raw in enumerate(raw_entries)
    )
    generated = _get_str(data, "generated", where)
    if generated is not None:
        try:
            entries = Entries(entries, packaged_generated(generated))
        except ValueError as exc:
            raise LexiconProblem("{where}: {problem}", where=where, problem=exc) from None
    return Lexicon(
        category=category,
        version=version or "",
        default_severity=severity,
        entries=entries,
        whitelist=whitelist,
        description=description,
        source=source,
        source_date=source_date,
    )


def _parse_entry(raw: object, category: str, where: str) -> LexiconEntry:
    if not isinstance(raw, dict):
        raise LexiconProblem("{where}: must be a table", where=where)
    if category == NAME_TITLE:
        allowed, key = _NAME_KEYS, "name"
    else:
        allowed, key = _TERM_KEYS, "term"
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise LexiconProblem("{where}: unknown key(s) {keys}", where=where, keys=", ".join(unknown))
    term = raw.get(key)
    if not isinstance(term, str) or not term:
        raise LexiconProblem("{where}: '{key}' must be a non-empty string", where=where, key=key)
    where = f"{where} ({term})"
    if category == NAME_TITLE:
        title = _get_str(raw, "title", where, required=True)
        return LexiconEntry(
            term=term,
            suggest=title,
            severity=_get_str(raw, "severity", where),
            note=_get_str(raw, "note", where),
            former=_get_str_list(raw, "former", where),
            aliases=_get_str_list(raw, "aliases", where),
        )
    unless_quoted = raw.get("unless_quoted", False)
    if not isinstance(unless_quoted, bool):
        raise LexiconProblem("{where}: 'unless_quoted' must be true or false", where=where)
    return LexiconEntry(
        term=term,
        suggest=_get_str(raw, "suggest", where),
        severity=_get_str(raw, "severity", where),
        note=_get_str(raw, "note", where),
        unless_quoted=unless_quoted,
    )


def _get_str(data: Mapping[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise LexiconProblem("{where}: missing '{key}'", where=where, key=key)
        return None
    if not isinstance(value, str):
        raise LexiconProblem("{where}: '{key}' must be a string", where=where, key=key)
    return value


def _get_str_list(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconProblem("{where}: '{key}' must be a list of strings", where=where, key=key)
    return tuple(value)


# tomllib says where a problem is after what it is: "Invalid value (at line 3, column 9)".
_TOML_WHERE = re.compile(
    r"(?P<problem>.+) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)\Z"
)


def _toml_problem(detail: str) -> LexiconProblem:
    """tomllib's message as a template with its values apart: where the problem is, and
    tomllib's own words for what it is (a face translates those, ``console.stored``)."""
    found = _TOML_WHERE.match(detail)
    if found is None:
        return LexiconProblem("lexicon is not valid TOML: {problem}", problem=detail)
    if found["line"] is None:
        return LexiconProblem(
            "lexicon is not valid TOML at the end of the file: {problem}",
            problem=found["problem"],
        )
    return LexiconProblem(
        "lexicon is not valid TOML at line {line}, column {column}: {problem}",
        line=int(found["line"]),
        column=int(found["column"]),
        problem=found["problem"],
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def dump_lexicon(lexicon: Lexicon) -> str:
    """Serialise to the TOML format :func:`parse_lexicon` reads (exact round trip)."""
    out = [
        f"category = {_toml_str(lexicon.category)}",
        f"version = {_toml_str(lexicon.version)}",
        f"severity = {_toml_str(lexicon.default_severity)}",
    ]
    if lexicon.description:
        out.append(f"description = {_toml_str(lexicon.description)}")
    if lexicon.source:
        out.append(f"source = {_toml_str(lexicon.source)}")
    if lexicon.source_date:
        out.append(f"date = {_toml_str(lexicon.source_date)}")
    out.append(_toml_list("whitelist", lexicon.whitelist))
    entries = lexicon.entries
    if isinstance(entries, Entries):
        out.append(f"generated = {_toml_str(entries.generated.name)}")
        entries = entries.hand
    name_title = lexicon.is_name_title
    for entry in entries:
        out.append("")
        out.append("[[entry]]")
        if name_title:
            out.append(f"name = {_toml_str(entry.term)}")
            out.append(f"title = {_toml_str(entry.suggest or '')}")
            if entry.former:
                out.append(_toml_list("former", entry.former, inline=True))
            if entry.aliases:
                out.append(_toml_list("aliases", entry.aliases, inline=True))
        else:
            out.append(f"term = {_toml_str(entry.term)}")
            if entry.suggest is not None:
                out.append(f"suggest = {_toml_str(entry.suggest)}")
        if entry.severity is not None:
            out.append(f"severity = {_toml_str(entry.severity)}")
        if entry.note is not None:
            out.append(f"note = {_toml_str(entry.note)}")
        if entry.unless_quoted:
            out.append("unless_quoted = true")
    return "\n".join(out) + "\n"


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n"}
_TOML_ESCAPES.update({"\f": "\\f", "\r": "\\r"})
_TOML_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def _toml_str(value: str) -> str:
    """A TOML basic string (control characters and DEL must be escaped in TOML)."""

    def esc(m: re.Match[str]) -> str:
        ch = m.group()
        return _TOML_ESCAPES.get(ch) or f"\\u{ord(ch):04X}"

    return '"' + _TOML_NEEDS_ESCAPE.sub(esc, value) + '"'


def _toml_list(key: str, values: Sequence[str], inline: bool = False) -> str:
    if inline or not values:
        return f"{key} = [" + ", ".join(_toml_str(v) for v in values) + "]"
    return f"{key} = [\n" + "".join(f"    {_toml_str(v)},\n" for v in values) + "]"


# --- generated entries: the compact format ------------------------------------------


def parse_generated(text: str, name: str) -> GeneratedEntries:
    """Parse a generated data file ``name``; a one-line ``ValueError`` naming the file and
    the line if it is unusable.

    The format: header lines ``# key: value`` giving ``category``, ``source``, ``date``
    (YYYY-MM-DD) and ``version``, then one entry a line, ``wrong<TAB>right``. A line
    ``# note: 同音误输入`` gives the note of the entries after it; other lines starting
    with ``#`` and empty lines are comments. Each wrong form is listed once."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header: dict[str, str] = {}
    terms: list[str] = []
    suggests: list[str] = []
    notes: list[str | None] = []
    note: str | None = None
    number = 0

    while number < len(lines):
        line = lines[number]
        if line.startswith("#") or not line:
            m = _HEADER_RE.match(line)
            if m and m.group(1) in (*_GENERATED_HEADERS, "note"):
                value = m.group(2).strip()
                if not value:
                    raise LexiconProblem(
                        "{name}, line {line}: empty {key!r}",
                        name=name,
                        line=number + 1,
                        key=m.group(1),
                    )
                if m.group(1) == "note":
                    note = value
                else:
                    header[m.group(1)] = value
            number += 1
            continue
        # A block of data lines, checked at once; one at a time only to name a bad one.
        end = number
        while end < len(lines) and lines[end] and not lines[end].startswith("#"):
            end += 1
        block = lines[number:end]
        joined = "\n".join(block) + "\n"
        if not _GENERATED_BLOCK_RE.fullmatch(joined):
            for offset, data in enumerate(block):
                if not _GENERATED_LINE_RE.match(data):
                    raise LexiconProblem(
                        "{name}, line {line}: expected 'wrong<TAB>right' (two texts without "
                        "control characters or surrounding spaces), got {data!r}",
                        name=name,
                        line=number + offset + 1,
                        data=data,
                    )
        fields = joined[:-1].replace("\n", "\t").split("\t")
        terms += fields[0::2]
        suggests += fields[1::2]
        notes += [note] * len(block)
        number = end
    for key in _GENERATED_HEADERS:
        if key not in header:
            raise LexiconProblem("{name}: missing header line '# {key}: ...'", name=name, key=key)
    if not _DATE_RE.match(header["date"]):
        raise LexiconProblem(
            "{name}: 'date' must be YYYY-MM-DD, got {date!r}", name=name, date=header["date"]
        )
    if len(set(terms)) != len(terms):
        seen: set[str] = set()
        for term in terms:
            if term in seen:
                raise LexiconProblem("{name}: duplicate term {term!r}", name=name, term=term)
            seen.add(term)
    return GeneratedEntries(
        name,
        header["category"],
        header["source"],
        header["date"],
        header["version"],
        tuple(terms),
        tuple(suggests),
        tuple(notes),
    )


@functools.lru_cache(maxsize=8)
def packaged_generated(name: str) -> GeneratedEntries:
    """The generated data file ``name`` shipped in ``lexicons/``, parsed (once a process)."""
    if not _GENERATED_NAME_RE.match(name):
        raise LexiconProblem(
            "'generated' must name a .tsv file of the package, got {name!r}", name=name
        )
    item = resources.files("domain.proofread").joinpath("lexicons", name)
    if not item.is_file():
        raise LexiconProblem("no generated list {name!r} in the package", name=name)
    return parse_generated(item.read_text(encoding="utf-8"), name)


# --- versions and edits ---------------------------------------------------------------


def bump_version(version: str, today: date) -> str:
    """Next calendar version ``YYYY.MM.N``.

    Same month as ``today`` (or a later one, so a version never goes backwards
    if a clock was off): N + 1. Older month, or a version in another format:
    ``today``'s ``YYYY.MM.1``.
    """
    m = _VERSION_RE.match(version)
    if m:
        year, month, n = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if (year, month) >= (today.year, today.month):
            return f"{year}.{month:02d}.{n + 1}"
    return f"{today.year}.{today.month:02d}.1"


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key for ``YYYY.MM.N`` versions ((0, 0, 0) for anything else)."""
    m = _VERSION_RE.match(version)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (0, 0, 0)


def add_entry(
    lexicon: Lexicon,
    term: str,
    suggest: str | None = None,
    severity: str | None = None,
    *,
    today: date,
    note: str | None = None,
    former: Iterable[str] = (),
    aliases: Iterable[str] = (),
) -> Lexicon:
    """A copy of ``lexicon`` with one more entry and a bumped version.

    Raises ``ValueError`` if the term is already present (remove it first) or
    the new entry is invalid (unknown severity, empty term, ...).
    """
    if lexicon.get(term) is not None:
        raise LexiconProblem(
            "lexicon {category!r}: term {term!r} already present",
            category=lexicon.category,
            term=term,
        )
    entry = LexiconEntry(
        term=term,
        suggest=suggest,
        severity=severity,
        note=note,
        former=tuple(former),
        aliases=tuple(aliases),
    )
    return replace(
        lexicon,
        entries=_extended(lexicon.entries, (entry,)),
        version=bump_version(lexicon.version, today),
    )


def remove_entry(lexicon: Lexicon, term: str, *, today: date) -> Lexicon:
    """A copy of ``lexicon`` without ``term``, version bumped; ``ValueError`` if absent."""
    if lexicon.get(term) is None:
        raise LexiconProblem(
            "lexicon {category!r}: no term {term!r}", category=lexicon.category, term=term
        )
    entries = lexicon.entries
    if isinstance(entries, Entries) and term in lexicon._by_term:
        kept: Sequence[LexiconEntry] = Entries(
            tuple(e for e in entries.hand if e.term != term), entries.generated
        )
    else:  # a generated entry: the list keeps the others as entries of its own
        kept = tuple(e for e in entries if e.term != term)
    return replace(lexicon, entries=kept, version=bump_version(lexicon.version, today))


def parse_term_list(text: str) -> tuple[str, ...]:
    """The terms of a plain list, one a line, as a superior office hands one down.

    Blank lines and lines starting with ``#`` are skipped, a byte-order mark and the
    whitespace around each term are dropped, and a term given twice counts once.
    Raises a one-line ``ValueError`` naming the line of an unusable term.
    """
    terms: dict[str, None] = {}
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        _check_term(term, f"line {number}")
        terms.setdefault(term, None)
    if not terms:
        raise LexiconProblem("the list holds no term (one term a line; # starts a comment)")
    return tuple(terms)


def merge_terms(
    lexicon: Lexicon, terms: Iterable[str], *, today: date, note: str | None = None
) -> tuple[Lexicon, tuple[str, ...]]:
    """A copy of ``lexicon`` with each term it lacks added (with ``note``), and those terms.

    Terms already in the list keep their entries; the version moves forward once, and
    only when something was added.
    """
    added = tuple(t for t in dict.fromkeys(terms) if lexicon.get(t) is None)
    if not added:
        return lexicon, ()
    entries = tuple(LexiconEntry(term=t, note=note) for t in added)
    updated = replace(
        lexicon,
        entries=_extended(lexicon.entries, entries),
        version=bump_version(lexicon.version, today),
    )
    return updated, added


def add_whitelist(lexicon: Lexicon, text: str, *, today: date) -> Lexicon:
    """A copy with ``text`` added to the whitelist, version bumped."""
    if text in lexicon.whitelist:
        raise LexiconProblem(
            "lexicon {category!r}: {text!r} already whitelisted",
            category=lexicon.category,
            text=text,
        )
    return replace(
        lexicon,
        whitelist=(*lexicon.whitelist, text),
        version=bump_version(lexicon.version, today),
    )


def remove_whitelist(lexicon: Lexicon, text: str, *, today: date) -> Lexicon:
    """A copy without ``text`` in the whitelist, version bumped; ``ValueError`` if absent."""
    if text not in lexicon.whitelist:
        raise LexiconProblem(
            "lexicon {category!r}: {text!r} is not whitelisted",
            category=lexicon.category,
            text=text,
        )
    return replace(
        lexicon,
        whitelist=tuple(w for w in lexicon.whitelist if w != text),
        version=bump_version(lexicon.version, today),
    )


# --- the shipped lexicons (package data) ---------------------------------------------


def default_lexicon_texts() -> dict[str, str]:
    """Category (file stem) -> TOML text of the lexicons shipped in ``lexicons/``."""
    folder = resources.files("domain.proofread").joinpath("lexicons")
    texts = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            texts[item.name.removesuffix(".toml")] = item.read_text(encoding="utf-8")
    return texts


def default_lexicons() -> list[Lexicon]:
    """The shipped lexicons, parsed, in category order."""
    return [parse_lexicon(text) for text in default_lexicon_texts().values()]
