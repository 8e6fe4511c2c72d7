"""领导姓名与职务: a known name next to a wrong or former title.

The organisation keeps a ``name_title`` lexicon (person -> current title, with
former titles). Government style puts the title right before the name
("市文化和旅游局局长张三"), right after it ("张三局长") or in brackets after
it ("张三同志（市文旅局局长）"). A title in one of those places that is not
the person's current title, nor an accepted short form of it, is a finding
(blocking by default): a former title says so, any other title is simply wrong.

Title mentions are found by the same Aho-Corasick pass as every other term
(:mod:`domain.proofread.terms`); this module only judges the mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import ahocorasick_rs

from domain.proofread.lexicon import Lexicon, LexiconEntry
from domain.proofread.model import BLOCK, WARN, Finding

# Common titles, so that a wrong title is recognised even if no one in the
# dictionary holds it. Longer forms win over the shorter ones inside them.
GENERIC_TITLES: tuple[str, ...] = (
    "局长", "副局长", "厅长", "副厅长", "部长", "副部长", "处长", "副处长", "科长", "副科长",
    "主任", "副主任", "书记", "副书记", "党组书记", "党委书记", "党组成员", "市长", "副市长",
    "县长", "副县长", "区长", "副区长", "镇长", "副镇长", "乡长", "副乡长", "省长", "副省长",
    "秘书长", "副秘书长", "馆长", "副馆长", "院长", "副院长", "所长", "副所长", "站长", "副站长",
    "主席", "副主席", "调研员", "一级调研员", "二级调研员", "三级调研员", "四级调研员",
    "巡视员", "副巡视员", "一级巡视员", "二级巡视员", "总经理", "董事长", "队长", "副队长",
    "总工程师", "总经济师", "总会计师", "党组副书记", "纪检监察组组长", "组长", "副组长",
)  # fmt: skip

# A title's short form starts after the name of the unit: "市文化和旅游局局长" -> "局长",
# "市文化和旅游局副局长" -> "副局长" (and never "局长": 副 does not end a unit name).
_UNIT_END = frozenset("局厅部委办院馆会所站室处科队心府市区县省镇乡团司社组")
_AFTER_NAME = re.compile(r"[ \u3000\t]*(?:同志)?[ \u3000\t]*([（(])?")
_CLOSE = {"（": "）", "(": ")"}
_BRACKET_REACH = 24  # how far a bracketed title may extend after the name
# A title told as history: what the person held then ("2024年，时任市文化和旅游局局长张三",
# "张三（曾任市文化馆馆长）"). Looked for in the title's own clause, just before it.
_HISTORY_TITLE = re.compile(r"(?:时任|曾任|历任|原任|曾担任)[^，,。；;！!？?\n]{0,20}$")
_HISTORY_REACH = 24


def short_forms(title: str) -> set[str]:
    """The title itself, each "、"-separated part, and each part minus its unit name."""
    forms = {title}
    for part in title.split("、"):
        part = part.strip()
        if not part:
            continue
        forms.add(part)
        for i in range(1, len(part) - 1):
            if part[i - 1] in _UNIT_END:
                forms.add(part[i:])
    return forms


def _preferred_short_form(title: str) -> str:
    """The form to suggest in place of a short title: last part without its unit."""
    part = title.split("、")[-1].strip() or title
    for i in range(len(part) - 2, 0, -1):  # the last unit boundary: "市人民政府副市长" -> "副市长"
        if part[i - 1] in _UNIT_END:
            return part[i:]
    return part


def title_vocabulary(lexicon: Lexicon) -> set[str]:
    """Every title string worth finding in text for this dictionary."""
    vocab = set(GENERIC_TITLES)
    for entry in lexicon.entries:
        for title in (entry.suggest or "", *entry.former, *entry.aliases):
            if title:
                vocab |= short_forms(title)
    vocab.discard("")
    # A person's name must never also count as a title.
    return vocab - set(lexicon.terms)


def _maximal(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans not strictly inside another span of the same set."""
    result: list[tuple[int, int]] = []
    max_end = -1
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if end <= max_end:
            continue
        result.append((start, end))
        max_end = end
    return result


def judge_name_titles(
    text: str,
    lexicon: Lexicon,
    name_spans: Sequence[tuple[int, int]],
    title_spans: Sequence[tuple[int, int]],
) -> list[Finding]:
    """Findings for name mentions whose adjacent title mention is wrong or former.

    ``name_spans``/``title_spans`` are every (overlapping) occurrence of the
    lexicon's names and of :func:`title_vocabulary` in ``text``.
    """
    if not name_spans or not title_spans:
        return []
    titles = _maximal(title_spans)
    ends_at = {end: (start, end) for start, end in titles}
    starts_at = {start: (start, end) for start, end in titles}
    findings: list[Finding] = []
    for start, end in _maximal(name_spans):
        entry = lexicon.get(text[start:end])
        if entry is None:
            continue
        for span in _adjacent_titles(text, start, end, ends_at, starts_at):
            finding = _judge(text, lexicon, entry, span)
            if finding is not None:
                findings.append(finding)
    return findings


def _adjacent_titles(
    text: str,
    start: int,
    end: int,
    ends_at: dict[int, tuple[int, int]],
    starts_at: dict[int, tuple[int, int]],
) -> list[tuple[int, int]]:
    found = []
    # Before: "市文化和旅游局局长张三" (spaces allowed in between).
    j = start
    while j > 0 and text[j - 1] in " \u3000\t":
        j -= 1
    if j in ends_at:
        found.append(ends_at[j])
    # After: "张三局长", "张三同志（市文旅局局长）", "张三（局长）".
    m = _AFTER_NAME.match(text, end)
    assert m is not None  # the pattern can match the empty string
    if m.group(1):
        close = text.find(_CLOSE[m.group(1)], m.end(), m.end() + _BRACKET_REACH)
        if close != -1 and close in ends_at and ends_at[close][0] >= m.end():
            found.append(ends_at[close])
    elif m.end() in starts_at:
        found.append(starts_at[m.end()])
    return found


def _judge(
    text: str, lexicon: Lexicon, entry: LexiconEntry, span: tuple[int, int]
) -> Finding | None:
    current = entry.suggest or ""
    mention = text[span[0] : span[1]]
    accepted = short_forms(current) | set(entry.aliases)
    if mention in accepted:
        return None
    former = set()
    for title in entry.former:
        former |= short_forms(title)
    # Replace like with like: a bare title ("副局长") by the bare current one ("局长"),
    # a title with its unit by the full current title.
    is_bare = _preferred_short_form(mention) == mention
    suggestion = _preferred_short_form(current) if is_bare else current
    severity = lexicon.severity_of(entry)
    if _HISTORY_TITLE.search(text, max(0, span[0] - _HISTORY_REACH), span[0]):
        if mention in former:
            return None  # the title the person held then: right as history
        severity = WARN if severity == BLOCK else severity
        message = f"职务请核实：{entry.term}现任{current}，“时任{mention}”未见于其原职务"
    elif mention in former:
        message = f"职务已变更：{entry.term}现任{current}，“{mention}”为原职务"
    else:
        message = f"职务有误：{entry.term}现任{current}"
    return Finding(
        category=lexicon.category,
        severity=severity,
        start=span[0],
        end=span[1],
        text=mention,
        suggestion=suggestion,
        message=message,
        rule=f"{lexicon.category}:{entry.term}",
    )


def check_name_titles(text: str, lexicon: Lexicon) -> list[Finding]:
    """Name/title findings of one ``name_title`` lexicon in ``text``.

    Builds a small automaton per call; the :class:`~domain.proofread.checker.Checker`
    gets the same mentions from its shared automaton instead.
    """
    if not lexicon.entries or not text:
        return []
    names = list(lexicon.terms)
    patterns = names + sorted(title_vocabulary(lexicon))
    automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MATCHKIND_STANDARD)
    name_spans, title_spans = [], []
    for i, start, end in automaton.find_matches_as_indexes(
        re.sub("[\ud800-\udfff]", "\ufffd", text), overlapping=True
    ):
        (name_spans if i < len(names) else title_spans).append((start, end))
    return judge_name_titles(text, lexicon, name_spans, title_spans)
