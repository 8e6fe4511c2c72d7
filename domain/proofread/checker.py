"""The 错敏 checker: every check over one text, with the lexicon versions it used."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from itertools import compress, islice
from operator import attrgetter, eq

from domain.proofread.context import ANCHORS, GENERATED_NOTES
from domain.proofread.controls import CONTROL_ANCHORS
from domain.proofread.dates import DATE_ANCHORS, check_dates
from domain.proofread.festivals import FESTIVAL_ANCHORS
from domain.proofread.lexicon import Lexicon, default_lexicons
from domain.proofread.links import url_spans
from domain.proofread.model import BLOCK, WARN, Finding, sort_key
from domain.proofread.norms import NORM_ANCHORS
from domain.proofread.numbers import NUMBER_ANCHORS, check_short_years
from domain.proofread.personal import PERSONAL_ANCHORS, check_personal_data
from domain.proofread.punctuation import (
    DOUBLED_LEXICON,
    PUNCTUATION_ANCHORS,
    check_empty_headings,
    check_half_width,
    check_pairs,
)
from domain.proofread.regions import REGION_ANCHORS
from domain.proofread.scan import digit_shape
from domain.proofread.slips import SLIP_ANCHORS
from domain.proofread.terms import TermIndex, outside

_start = attrgetter("start")


def merge_anchors(*groups: dict) -> dict:
    """The anchored rules of every check, for the one automaton; an anchor has one rule."""
    merged: dict = {}
    for rules in groups:
        shared = merged.keys() & rules.keys()
        if shared:
            raise ValueError(f"anchor(s) with two rules: {', '.join(sorted(shared))}")
        merged.update(rules)
    return merged


ALL_ANCHORS = merge_anchors(
    ANCHORS,
    PUNCTUATION_ANCHORS,
    PERSONAL_ANCHORS,
    DATE_ANCHORS,
    REGION_ANCHORS,
    NUMBER_ANCHORS,
    NORM_ANCHORS,
    SLIP_ANCHORS,
    FESTIVAL_ANCHORS,
    CONTROL_ANCHORS,
)


def regex_checks(text: str) -> list[Finding]:
    """Every check that is not a term: personal data, dates, punctuation and headings
    (control characters are anchors of the automaton, :data:`ALL_ANCHORS`)."""
    # Digits inside links are article ids and path dates, not ID numbers or dates.
    urls = url_spans(text)
    shape = digit_shape(text)  # shared by the digit-based checks
    # Dates and closing marks are read backwards (literal-led scans, see dates.py).
    reversed_text = text[::-1]
    findings = check_personal_data(text, urls, shape)
    findings.extend(check_dates(text, urls, shape, reversed_text))
    findings.extend(check_pairs(text, reversed_text))
    findings.extend(check_short_years(text, reversed_text))
    findings.extend(check_half_width(text))
    findings.extend(check_empty_headings(text))
    return findings


class Checker:
    """All automatic proofreading checks, built once and reused for many texts.

    The constructor builds ONE Aho-Corasick automaton over every term and
    whitelist entry (and the names and titles of a ``name_title`` dictionary)
    of all lexicons; :meth:`check` scans a text once with it and runs the
    regex-based checks (personal data, dates, punctuation; doubled characters are
    a built-in lexicon in the automaton). ``lexicon_versions``
    is what a check run records so an audit knows which lists a decision used.
    The link check needs HTTP and is completed elsewhere with
    :func:`~domain.proofread.links.link_finding`.
    """

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        categories = [lex.category for lex in lexicons]
        duplicates = sorted({c for c in categories if categories.count(c) > 1})
        if duplicates:
            raise ValueError(f"more than one lexicon for category {', '.join(duplicates)}")
        self.lexicons: tuple[Lexicon, ...] = tuple(lexicons)
        self.lexicon_versions: dict[str, str] = {lex.category: lex.version for lex in lexicons}
        # The built-in doubled-character list rides in the same automaton; it is code,
        # versioned with the package, so it is not listed in lexicon_versions.
        # So do the anchors of the context rules (截止 + a date, 罪犯 before a verdict...).
        self._terms = TermIndex(
            (*self.lexicons, DOUBLED_LEXICON),
            ALL_ANCHORS,
        )

    @classmethod
    def default(cls) -> Checker:
        """A checker over the lexicons shipped with the package."""
        return cls(default_lexicons())

    def check(self, text: str) -> list[Finding]:
        """Every finding in ``text``, sorted by (start, end, category).

        A long text yields tens of thousands of small objects, none of them in a
        reference cycle: the cyclic garbage collector is held off meanwhile, as each of
        its passes would walk the whole heap (the lexicons included) for nothing."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._check(text)
        finally:
            if collecting:
                gc.enable()

    def _check(self, text: str) -> list[Finding]:
        findings, allowed = self._terms.judge(text, self._terms.scan(text))
        findings.extend(regex_checks(text))
        if allowed:  # the organisation's allow list holds for every check
            findings = outside(findings, allowed)
        return once_each(in_order(findings))


_RANK = {BLOCK: 2, WARN: 1}
# The categories whose findings mark a word of a list (or read like one): a claim marked
# inside a longer claim (全市第一 in 全市第一家) is the same claim.
_WORD_CATEGORIES = frozenset(
    ("outdated_name", "sovereignty", "usage", "absolute_term", "confusable")
)


def _says_again(outer: Finding, inner: Finding) -> bool:
    """Whether ``inner``, inside ``outer``, asks for the same correction as ``outer`` does
    (招聘启示 → 招聘启事 and, inside it, 启示 → 启事), or marks the same words with no
    correction (全市第一 in 全市第一家), no more urgently."""
    if _RANK.get(inner.severity, 0) > _RANK.get(outer.severity, 0):
        return False
    if outer.suggestion is None and inner.suggestion is None:
        same_span = outer.start == inner.start and outer.end == inner.end
        return same_span or outer.category in _WORD_CATEGORIES
    if outer.suggestion is None or inner.suggestion is None:
        return False
    head = outer.text[: inner.start - outer.start]
    tail = outer.text[len(outer.text) - (outer.end - inner.end) :]
    return head + inner.suggestion + tail == outer.suggestion


def _corrects_the_same(g: Finding, f: Finding) -> bool:
    """Whether ``f``, starting inside ``g`` and reaching past it, corrects only what ``g``
    corrects of the characters they share, the same way (a slip read in two phrases:
    追究行事 → 追究刑事 and 行事责任 → 刑事责任), no more urgently."""
    fixed, said = f.suggestion, g.suggestion
    if not g.start < f.start < g.end < f.end or fixed is None or said is None:
        return False
    if len(fixed) != len(f.text) or len(said) != len(g.text):
        return False
    if _RANK.get(f.severity, 0) > _RANK.get(g.severity, 0):
        return False
    shared = g.end - f.start
    return (
        said[len(said) - shared :] == fixed[:shared] != f.text[:shared]
        and fixed[shared:] == f.text[shared:]
    )


def _only_shared(g: Finding, f: Finding) -> bool:
    """Whether ``g`` corrects nothing before the characters it shares with ``f``."""
    alone = f.start - g.start
    return g.suggestion is not None and g.suggestion[:alone] == g.text[:alone]


_GENERATED_ENDINGS = tuple(f"（{note}）" for note in sorted(GENERATED_NOTES))


def _generated(f: Finding) -> bool:
    """Whether ``f`` is a generated slip's (its message ends with the list's note)."""
    return f.message.endswith(_GENERATED_ENDINGS)


def _fuller(f: Finding, g: Finding) -> bool:
    """Of two findings of one span that say the same: whether ``f`` says it more urgently
    or at more length (with the source it cites) than ``g``."""
    return (_RANK.get(f.severity, 0), len(f.message)) > (_RANK.get(g.severity, 0), len(g.message))


def once_each(findings: list[Finding]) -> list[Finding]:
    """``findings`` (in order) without those that say again what a finding of the same
    category around them says: a slip found both as a phrase of a list and as a word read
    by its neighbours (招聘启示 and 启示) is one finding, the longer, for a person to read;
    of two that mark the same words alike, the one that says more."""
    reach: dict[str, int] = {}  # by category: the kept finding that reaches furthest
    dropped: set[int] = set()
    for i, f in enumerate(findings):
        j = reach.get(f.category)
        if j is not None:
            g = findings[j]
            if f.start < g.end:
                if f.end <= g.end and _says_again(g, f):
                    if (f.start, f.end) == (g.start, g.end) and _fuller(f, g):
                        dropped.add(j)
                        reach[f.category] = i
                    else:
                        dropped.add(i)
                    continue
                if f.start == g.start and _says_again(f, g):  # g, shorter, came first
                    dropped.add(j)
                    reach[f.category] = i
                    continue
                if _corrects_the_same(g, f):  # 追究行事 → 追究刑事, then 行事责任 → 刑事责任
                    if _generated(g) and not _generated(f) and _only_shared(g, f):
                        # the hand-made entry's stays, where the generated one says no more
                        dropped.add(j)
                        reach[f.category] = i
                    else:
                        dropped.add(i)
                    continue
            if f.end <= g.end:
                continue
        reach[f.category] = i
    if not dropped:
        return findings
    return [f for i, f in enumerate(findings) if i not in dropped]


def in_order(findings: list[Finding]) -> list[Finding]:
    """``sorted(findings, key=sort_key)``, reading each finding's start once.

    A text's findings rarely share a start: they are sorted by start alone (integer
    keys, every step in C), and only each run of findings with one start is sorted
    again by the whole key. Both sorts are stable, so the order is the same."""
    starts = list(map(_start, findings))
    order = sorted(range(len(findings)), key=starts.__getitem__)
    findings = list(map(findings.__getitem__, order))
    starts = list(map(starts.__getitem__, order))
    ties = list(compress(range(1, len(starts)), map(eq, starts, islice(starts, 1, None))))
    i = 0
    while i < len(ties):
        lo = hi = ties[i]  # findings[lo - 1 : hi + 1] share a start
        while i + 1 < len(ties) and ties[i + 1] == hi + 1:
            i, hi = i + 1, hi + 1
        findings[lo - 1 : hi + 1] = sorted(findings[lo - 1 : hi + 1], key=sort_key)
        i += 1
    return findings
