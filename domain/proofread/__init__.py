"""错敏检查 — the pure proofreading checks run on every draft version.

Term lexicons (outdated names, sovereignty wording, newsroom usage, Advertising
Law absolute terms, common typos, a names-and-titles dictionary, the
organisation's allow list) are matched in one Aho-Corasick pass, together with
the anchors of the context rules (:mod:`domain.proofread.context`); personal
data, dates, punctuation and links are small regex-based checks. Everything
returns :class:`Finding` values with exact character offsets. No I/O: the
shipped lexicons are package data read through ``importlib.resources``, and link
fetching happens in another layer.

Typical use::

    checker = Checker.default()          # or Checker([parse_lexicon(toml), ...])
    findings = checker.check(text)
    record(checker.lexicon_versions, [f.to_dict() for f in findings])
"""

from domain.proofread.checker import Checker
from domain.proofread.dates import check_dates
from domain.proofread.lexicon import (
    Lexicon,
    LexiconEntry,
    add_entry,
    add_whitelist,
    bump_version,
    default_lexicon_texts,
    default_lexicons,
    dump_lexicon,
    merge_terms,
    parse_lexicon,
    parse_term_list,
    remove_entry,
    remove_whitelist,
)
from domain.proofread.links import extract_urls, link_finding
from domain.proofread.model import BLOCK, CATEGORIES, INFO, SEVERITIES, WARN, Finding, line_col
from domain.proofread.names import check_name_titles, judge_name_titles
from domain.proofread.personal import (
    check_bank_cards,
    check_id_numbers,
    check_mobile_numbers,
    check_personal_data,
)
from domain.proofread.punctuation import check_punctuation
from domain.proofread.terms import TermIndex, check_terms

__all__ = [
    "BLOCK",
    "CATEGORIES",
    "INFO",
    "SEVERITIES",
    "WARN",
    "Checker",
    "Finding",
    "Lexicon",
    "LexiconEntry",
    "TermIndex",
    "add_entry",
    "add_whitelist",
    "bump_version",
    "check_bank_cards",
    "check_dates",
    "check_id_numbers",
    "check_mobile_numbers",
    "check_name_titles",
    "check_personal_data",
    "check_punctuation",
    "check_terms",
    "default_lexicon_texts",
    "default_lexicons",
    "dump_lexicon",
    "extract_urls",
    "judge_name_titles",
    "line_col",
    "link_finding",
    "merge_terms",
    "parse_lexicon",
    "parse_term_list",
    "remove_entry",
    "remove_whitelist",
]
