"""Term lexicons in one pass: outdated names, sovereignty wording, absolute terms, typos.

Every term, whitelist entry, dictionary name and title of every lexicon goes
into ONE Aho-Corasick automaton (``ahocorasick_rs``, Rust) that is built once
and reports overlapping matches, so a single scan of the text finds them all.

Suppression is per category: a term hit strictly inside a whitelist hit or a
longer term hit *of the same category* is dropped. That is how "文化部" stays
quiet inside "文化部门" (whitelisted), "国家级" inside
"国家级非物质文化遗产", and how "台湾总统" gives way to "台湾总统府". A hit
of another category is never suppressed: a typo inside an outdated name is
still a typo.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ahocorasick_rs

from domain.proofread.lexicon import Lexicon, LexiconEntry
from domain.proofread.model import Finding, new_finding
from domain.proofread.names import judge_name_titles, title_vocabulary

# Roles a pattern plays; one pattern string may play several (in several lexicons).
TERM, WHITE, NAME, TITLE = 0, 1, 2, 3

_SURROGATE = re.compile("[\ud800-\udfff]")

# None lets the crate choose: a DFA for small pattern sets, else a contiguous NFA.
# A forced DFA was ~20 % faster on one big text but took 70 MB for 20,000 terms and
# lost its edge on document-sized texts, where it no longer stays in the CPU cache.
_IMPLEMENTATION: ahocorasick_rs.Implementation | None = None

# category, severity, suggestion, message, rule
_Fields = tuple[str, str, str | None, str, str]

_MESSAGES = {
    "outdated_name": "机构名称或提法已变更：{term}",
    "sovereignty": "涉国家主权、领土的表述不规范：{term}",
    "absolute_term": "广告法禁用的绝对化用语：{term}",
    "confusable": "疑似错别字：{term}",
    "punctuation": "疑似多字：{term}",
}


def term_message(lexicon: Lexicon, entry: LexiconEntry) -> str:
    """The one-sentence message of a term finding."""
    template = _MESSAGES.get(lexicon.category)
    if template is None:
        label = lexicon.description or lexicon.category
        template = label + "：{term}"
    message = template.format(term=entry.term)
    if entry.suggest:
        message += f" → {entry.suggest}"
    if entry.note:
        message += f"（{entry.note}）"
    return message


class TermIndex:
    """The single automaton over all lexicons, and the findings built from its hits."""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons = tuple(lexicons)
        patterns: dict[str, int] = {}
        # roles[pattern index] = [(role, lexicon index, finding fields or None), ...];
        # the fields of a term's findings are computed here, once, not per hit.
        roles: list[list[tuple[int, int, _Fields | None]]] = []

        def add(text: str, role: int, lex_i: int, entry: LexiconEntry | None) -> None:
            i = patterns.setdefault(text, len(patterns))
            if i == len(roles):
                roles.append([])
            fields = None
            if role == TERM and entry is not None:
                lex = self.lexicons[lex_i]
                fields = (
                    lex.category,
                    lex.severity_of(entry),
                    entry.suggest,
                    term_message(lex, entry),
                    f"{lex.category}:{entry.term}",
                )
            roles[i].append((role, lex_i, fields))

        for lex_i, lex in enumerate(self.lexicons):
            if lex.is_name_title:
                if not lex.entries:
                    continue  # no titles to look for either: keep the automaton small
                for entry in lex.entries:
                    add(entry.term, NAME, lex_i, entry)
                for title in sorted(title_vocabulary(lex)):
                    add(title, TITLE, lex_i, None)
                continue
            for entry in lex.entries:
                add(entry.term, TERM, lex_i, entry)
            for text in lex.whitelist:
                add(text, WHITE, lex_i, None)
        self._roles = roles
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                list(patterns),
                matchkind=ahocorasick_rs.MATCHKIND_STANDARD,  # needed for overlapping
                implementation=_IMPLEMENTATION,
                store_patterns=False,
            )
            if patterns
            else None
        )
        self.pattern_count = len(patterns)

    def scan(self, text: str) -> list[tuple[int, int, int]]:
        """All (pattern index, start, end) matches, overlapping, in str offsets."""
        if self._automaton is None or not text:
            return []
        try:
            return self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:
            # Lone surrogates cannot cross into Rust as UTF-8; U+FFFD keeps every offset.
            clean = _SURROGATE.sub("\ufffd", text)
            return self._automaton.find_matches_as_indexes(clean, overlapping=True)

    def findings(self, text: str, hits: Sequence[tuple[int, int, int]]) -> list[Finding]:
        """Term and name/title findings for the hits of :meth:`scan` over ``text``."""
        if not hits:
            return []
        events = []  # (start, -end, role, lexicon index, finding fields)
        names: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        for pattern, start, end in hits:
            for role, lex_i, fields in self._roles[pattern]:
                if role <= WHITE:  # TERM or WHITE
                    events.append((start, -end, role, lex_i, fields))
                else:
                    name_spans, title_spans = names.setdefault(lex_i, ([], []))
                    (name_spans if role == NAME else title_spans).append((start, end))
        findings = self._term_findings(text, events)
        for lex_i, (name_spans, title_spans) in names.items():
            findings.extend(judge_name_titles(text, self.lexicons[lex_i], name_spans, title_spans))
        return findings

    def _term_findings(self, text: str, events: list) -> list[Finding]:
        # Sorted by (start, -end): every span that contains a later one comes first,
        # so a hit is suppressed iff an earlier hit of its lexicon reaches its end.
        # Plain tuple order: (start, -end, role, lexicon) never ties, since a span
        # fixes the pattern, so the fields are never compared.
        events.sort()
        reach: dict[int, int] = {}
        findings = []
        for start, neg_end, role, lex_i, fields in events:
            end = -neg_end
            reached = reach.get(lex_i, -1)
            if end > reached:
                reach[lex_i] = end
            if role != TERM or reached >= end:
                continue
            category, severity, suggestion, message, rule = fields
            findings.append(
                new_finding(
                    category, severity, start, end, text[start:end], suggestion, message, rule
                )
            )
        return findings


def check_terms(text: str, lexicons: Sequence[Lexicon]) -> list[Finding]:
    """Term (and name/title) findings of ``lexicons`` in ``text``.

    Builds the automaton on every call: fine for a one-off; use
    :class:`~domain.proofread.checker.Checker` to check many texts.
    """
    index = TermIndex(lexicons)
    return index.findings(text, index.scan(text))
