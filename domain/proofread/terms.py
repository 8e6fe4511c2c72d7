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

Three more roles ride in the same automaton: the terms of an organisation's
allow list (no finding of any category inside them), the anchors of the context
rules (:mod:`domain.proofread.context`), and the hits of the categories those
rules judge (an old name told as history, an absolute term inside a title).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from operator import itemgetter

import ahocorasick_rs

from domain.proofread.context import (
    GENERATED_NOTES,
    HISTORY_NOTE,
    HISTORY_WORDS,
    JOINED,
    JUDGED,
    OF_ITS_TIME,
    OF_ITS_TIME_UNTIL,
    QUOTED,
    joins_neighbours,
    judge,
)
from domain.proofread.lexicon import Entries, GeneratedEntries, Lexicon, LexiconEntry
from domain.proofread.model import Finding
from domain.proofread.names import judge_name_titles, title_vocabulary

# Roles a pattern plays; one pattern string may play several (in several lexicons).
TERM, WHITE, NAME, TITLE, ALLOWED, ANCHOR = 0, 1, 2, 3, 4, 5

Rule = Callable[[str, int, int], Finding | None]

_PATTERN, _START, _END = itemgetter(0), itemgetter(1), itemgetter(2)  # of a hit

_SURROGATE = re.compile("[\ud800-\udfff]")

# None lets the crate choose: a DFA for small pattern sets, else a contiguous NFA.
# A forced DFA was ~20 % faster on one big text but took 70 MB for 20,000 terms and
# lost its edge on document-sized texts, where it no longer stays in the CPU cache.
_IMPLEMENTATION: ahocorasick_rs.Implementation | None = None

_new_object = object.__new__

# The kinds of pattern judge() tells apart: with a term, whitelist, name, title or allowed
# role (an anchor's rule too, maybe); an anchor of a rule alone; a word of a reform alone.
_JUDGED, _ANCHOR_ONLY, _NO_ROLE = 0, 1, 2

# The roles of a pattern of a generated list, until a hit first asks for them: tens of
# thousands of terms, of which a text hits a handful, need no finding fields made ahead.
_LAZY: tuple = ((-1, -1, None),)  # compared by identity

_MESSAGES = {
    "outdated_name": "机构名称或提法已变更：{term}",
    "sovereignty": "涉国家主权、领土的表述不规范：{term}",
    "absolute_term": "广告法禁用的绝对化用语：{term}",
    "confusable": "疑似错别字：{term}",
    "usage": "不规范表述：{term}",
    "punctuation": "疑似多字：{term}",
}


def _fresh_str(text: str) -> str:
    """A new string object equal to ``text`` (str() and slices return the same one)."""
    return (text + " ")[:-1]


def _fresh(fields: tuple) -> tuple:
    """A new tuple of a term's finding fields, with new objects for the strings of its
    own (suggestion, message, rule), allocated together; category and severity stay
    the strings every term of the lexicon shares."""
    category, severity, suggestion, message, rule, what = fields
    if suggestion is not None:
        suggestion = _fresh_str(suggestion)
    return (category, severity, suggestion, _fresh_str(message), _fresh_str(rule), what)


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


def _term_fields(lex: Lexicon, entry: LexiconEntry) -> tuple:
    """The fields the findings of a term share (category, severity, suggestion, message,
    rule) and what the context rules judge of it (0: nothing)."""
    what = JUDGED.get(lex.category, 0) | (QUOTED if entry.unless_quoted else 0)
    if entry.term in OF_ITS_TIME_UNTIL:
        what |= OF_ITS_TIME
    if entry.note in GENERATED_NOTES:
        what |= JOINED
    return (
        lex.category,
        lex.severity_of(entry),
        entry.suggest,
        term_message(lex, entry),
        f"{lex.category}:{entry.term}",
        what,
    )


class TermIndex:
    """The single automaton over all lexicons, and the findings built from its hits.

    ``anchors`` maps an anchor text to a context rule that turns each of its hits
    into a finding or nothing (:data:`domain.proofread.context.ANCHORS`).
    """

    def __init__(
        self, lexicons: Sequence[Lexicon], anchors: Mapping[str, Rule] | None = None
    ) -> None:
        self.lexicons = tuple(lexicons)
        patterns: dict[str, int] = {}
        # roles[pattern index] = [(role, lexicon index, payload), ...]: for a term, the
        # fields its findings share (category, severity, suggestion, message, rule) and
        # what the context rules judge (0: nothing), computed here, once, not per hit;
        # for an anchor, its rule.
        roles: list[list[tuple]] = []

        def add(text: str, role: int, lex_i: int, entry: LexiconEntry | None) -> None:
            i = patterns.setdefault(text, len(patterns))
            if i == len(roles):
                roles.append([])
            elif roles[i] is _LAZY:  # a generated term is a pattern of another list too
                roles[i] = list(self._lazy_roles(i))
            fields = None
            if role == TERM and entry is not None:
                fields = _term_fields(self.lexicons[lex_i], entry)
            roles[i].append((role, lex_i, fields))

        for text, rule in (anchors or {}).items():
            i = patterns.setdefault(text, len(patterns))
            if i == len(roles):
                roles.append([])
            roles[i].append((ANCHOR, -1, rule))
        # The words that tell of a reform, for the judged categories that ask for them:
        # patterns of their own, with no role, so that only judge() looks at them.
        judged = any(JUDGED.get(lex.category) for lex in self.lexicons)
        reform: set[int] = set()
        for text in HISTORY_WORDS if judged else ():
            i = patterns.setdefault(text, len(patterns))
            if i == len(roles):
                roles.append([])
            reform.add(i)
        self._reform_patterns = frozenset(reform)
        # The patterns of generated lists, whose roles are made on their first hit:
        # (first pattern, end, lexicon index, the list, entry of each pattern or None).
        self._lazy_runs: list[tuple[int, int, int, GeneratedEntries, list[int] | None]] = []
        for lex_i, lex in enumerate(self.lexicons):
            if lex.is_allow_list:
                for entry in lex.entries:
                    add(entry.term, ALLOWED, lex_i, None)
                continue
            if lex.is_name_title:
                if not lex.entries:
                    continue  # no titles to look for either: keep the automaton small
                for entry in lex.entries:
                    add(entry.term, NAME, lex_i, entry)
                for title in sorted(title_vocabulary(lex)):
                    add(title, TITLE, lex_i, None)
                continue
            entries = lex.entries
            generated = None
            if isinstance(entries, Entries):
                entries, generated = entries.hand, entries.generated
            for entry in entries:
                add(entry.term, TERM, lex_i, entry)
            if generated is not None:
                # New patterns in one go, their roles made on the first hit; a term that
                # is a pattern already (of another list) gets its role now, in order.
                gen_terms = generated.terms
                first = len(patterns)
                if patterns.keys().isdisjoint(gen_terms):
                    patterns.update(
                        zip(gen_terms, range(first, first + len(gen_terms)), strict=True)
                    )
                    roles.extend([_LAZY] * len(gen_terms))
                    positions = None  # pattern first + k is entry k
                else:
                    positions = []  # pattern first + j is entry positions[j]
                    for k, text in enumerate(gen_terms):
                        if text in patterns:
                            add(text, TERM, lex_i, generated.entry(k))
                        else:
                            patterns[text] = len(patterns)
                            roles.append(_LAZY)
                            positions.append(k)
                self._lazy_runs.append((first, len(patterns), lex_i, generated, positions))
            for text in lex.whitelist:
                add(text, WHITE, lex_i, None)
        # Read for every hit: fresh tuples, allocated one after another in pattern order,
        # wherever the lexicons were built. Scattered among the garbage of a caller's
        # other work they made the whole check a tenth slower.
        self._roles = [
            r
            if r is _LAZY
            else tuple((role, lex_i, _fresh(p) if type(p) is tuple else p) for role, lex_i, p in r)
            for r in roles
        ]
        # A term hit's text is its pattern, one shared string instead of a slice per hit:
        # the scan only sees U+FFFD where the text has a lone surrogate, so this holds
        # unless a pattern holds U+FFFD.
        texts = [_fresh_str(t) for t in patterns]
        self._texts = None if any("\ufffd" in t for t in texts) else texts
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
        # Half the hits of a text are anchors of a rule and nothing else: they are judged
        # apart, in the order they are found, and only the others are sorted and walked
        # for the reach of each lexicon. By pattern: the rule of an anchor and nothing
        # else, or None; and the kind of the pattern (see :meth:`judge`).
        self._rules: list[Rule | None] = [
            r[0][2] if r is not _LAZY and len(r) == 1 and r[0][0] == ANCHOR else None
            for r in self._roles
        ]
        self._kinds = bytes(
            _NO_ROLE if r is not _LAZY and not r else _ANCHOR_ONLY if rule else _JUDGED
            for r, rule in zip(self._roles, self._rules, strict=True)
        )

    def _lazy_roles(self, pattern: int) -> tuple[tuple[int, int, tuple], ...]:
        """The roles of a generated term's pattern (one: a term of its list)."""
        for first, end, lex_i, generated, positions in self._lazy_runs:
            if first <= pattern < end:
                k = pattern - first if positions is None else positions[pattern - first]
                fields = _term_fields(self.lexicons[lex_i], generated.entry(k))
                return ((TERM, lex_i, _fresh(fields)),)
        raise IndexError(pattern)

    def _roles_of(self, pattern: int) -> tuple:
        """The roles of a pattern whose roles were left to its first hit, made now."""
        made = self._roles[pattern] = self._lazy_roles(pattern)
        return made

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

    def _reform_offsets(self, hits: Sequence[tuple[int, int, int]]) -> list[int]:
        """The sorted start offsets of the hits of :data:`HISTORY_WORDS` (filtered in C)."""
        reform = self._reform_patterns.__contains__
        return sorted(map(_START, compress(hits, map(reform, map(_PATTERN, hits)))))

    def findings(self, text: str, hits: Sequence[tuple[int, int, int]]) -> list[Finding]:
        """Term, name/title and anchored findings for the hits of :meth:`scan` over ``text``,
        none inside an allowed term."""
        return self.judge(text, hits)[0]

    def judge(
        self, text: str, hits: Sequence[tuple[int, int, int]]
    ) -> tuple[list[Finding], list[tuple[int, int]]]:
        """:meth:`findings`, and the spans of the allowed terms in ``text``, so that the
        caller can drop the findings of its other checks inside them too."""
        if not hits:
            return [], []
        # The kind of each hit's pattern, sorted out in C: the anchors of a rule alone
        # (judged last, where they stand); the words of a reform, read only by judge();
        # the rest.
        kinds = list(map(self._kinds.__getitem__, map(_PATTERN, hits)))
        # The rest in (start, -end) order: every span that contains a later one comes
        # first, so a term hit is suppressed iff an earlier hit of its lexicon reaches its
        # end. The scan reports hits by their end (its matches are found as it reads),
        # so reversed they are by end, longest first, and one stable sort by start does.
        order = list(compress(hits, map(_JUDGED.__eq__, kinds)))
        order.reverse()
        order.sort(key=_START)
        roles = self._roles
        texts = self._texts
        reform_words: list[int] | None = None  # offsets of HISTORY_WORDS, when first asked
        reach = [-1] * len(self.lexicons)  # per lexicon, the furthest end of its hits so far
        findings: list[Finding] = []
        append = findings.append
        others = []  # the hits of names, titles and allowed terms, in text order
        for pattern, start, end in order:
            pattern_roles = roles[pattern]
            if pattern_roles is _LAZY:
                pattern_roles = self._roles_of(pattern)
            for role, lex_i, payload in pattern_roles:
                if role > WHITE:
                    if role == ANCHOR:  # a context rule, judged where it stands
                        found = payload(text, start, end)
                        if found is not None:
                            append(found)
                    else:
                        others.append((role, lex_i, payload, start, end))
                    continue
                reached = reach[lex_i]
                if end > reached:
                    reach[lex_i] = end
                if role or reached >= end:  # a whitelist hit, or a term inside a longer one
                    continue
                category, severity, suggestion, message, rule, what = payload
                if what == JOINED:  # a generated slip (most judged hits): judged at once
                    if joins_neighbours(text, start, end, suggestion):
                        # Two words side by side, not a slip: it hides no term inside it
                        # (可拔打 read as 可 + 拔打 still holds the slip 拔打).
                        reach[lex_i] = reached
                        continue
                elif what:
                    if reform_words is None:
                        reform_words = self._reform_offsets(hits)
                    kept = judge(text, start, end, what, severity, reform_words, suggestion)
                    if kept is None:
                        continue
                    if kept != severity:
                        severity, message = kept, message + HISTORY_NOTE
                # new_finding(), inlined (this loop makes most of the findings of a text):
                # the fields in the order of the class, so the instance dicts share keys.
                finding = _new_object(Finding)
                fields = finding.__dict__
                fields["category"] = category
                fields["severity"] = severity
                fields["start"] = start
                fields["end"] = end
                fields["text"] = text[start:end] if texts is None else texts[pattern]
                fields["suggestion"] = suggestion
                fields["message"] = message
                fields["rule"] = rule
                append(finding)
        # After the terms: of a term's finding and a rule's of the same span and category,
        # the term's comes first (both are kept, in this order, when they say different
        # things: 港澳台游客来华 as a listed phrase, and by the rule of 来华).
        rules = self._rules
        for pattern, start, end in compress(hits, map(_ANCHOR_ONLY.__eq__, kinds)):
            found = rules[pattern](text, start, end)  # type: ignore[misc]
            if found is not None:
                append(found)
        allowed: list[tuple[int, int]] = []
        if others:
            names: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
            for role, lex_i, _, start, end in others:
                if role == ALLOWED:
                    allowed.append((start, end))
                else:
                    name_spans, title_spans = names.setdefault(lex_i, ([], []))
                    (name_spans if role == NAME else title_spans).append((start, end))
            for lex_i, (name_spans, title_spans) in names.items():
                findings.extend(
                    judge_name_titles(text, self.lexicons[lex_i], name_spans, title_spans)
                )
            if allowed:
                findings = outside(findings, allowed)
        return findings, allowed


def outside(findings: list[Finding], allowed: Sequence[tuple[int, int]]) -> list[Finding]:
    """The findings that do not lie inside any of the ``allowed`` spans."""
    return [f for f in findings if not any(lo <= f.start and f.end <= hi for lo, hi in allowed)]


def check_terms(text: str, lexicons: Sequence[Lexicon]) -> list[Finding]:
    """Term (and name/title) findings of ``lexicons`` in ``text``.

    Builds the automaton on every call: fine for a one-off; use
    :class:`~domain.proofread.checker.Checker` to check many texts.
    """
    index = TermIndex(lexicons)
    return index.findings(text, index.scan(text))
