"""The value types every check returns: :class:`Finding`, plus severities and positions."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

BLOCK = "block"  # must be fixed, or overridden by a named reviewer with a reason
WARN = "warn"  # shown to the proofreader (校对), does not stop the gate
INFO = "info"
SEVERITIES: tuple[str, ...] = (BLOCK, WARN, INFO)

# The categories the built-in checks produce. Lexicon files may add their own.
CATEGORIES: tuple[str, ...] = (
    "outdated_name",  # 过时的机构名称和提法
    "sovereignty",  # 国家主权、领土和港澳台表述
    "usage",  # 规范表述：新闻报道中的禁用词和慎用词（民族宗教、法律、国际关系……）
    "absolute_term",  # 广告法极限词
    "confusable",  # 常见错别字
    "name_title",  # 领导姓名与职务
    "personal_data",  # 身份证号、手机号、银行卡号
    "date",  # 日期、星期
    "punctuation",  # 标点、叠字、空标题
    "link",  # 链接可访问性
    "control",  # 控制字符与双向文本控制字符
)


@dataclass(frozen=True)
class Finding:
    """One problem found in a text, located by exact character offsets.

    ``start``/``end`` are Python ``str`` indices into the checked text (end
    exclusive), so ``checked_text[start:end] == text`` always holds.
    ``rule`` is a stable id (``"outdated_name:国家旅游局"``) so a reviewer's
    override can be matched against the same finding in the next version.
    """

    category: str
    severity: str
    start: int
    end: int
    text: str
    suggestion: str | None
    message: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the keys of the dataclass fields."""
        return {
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "suggestion": self.suggestion,
            "message": self.message,
            "rule": self.rule,
        }

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCK


_new_object = object.__new__


def new_finding(
    category: str,
    severity: str,
    start: int,
    end: int,
    text: str,
    suggestion: str | None,
    message: str,
    rule: str,
) -> Finding:
    """``Finding(...)`` for hot loops: the same (equal, hashable, frozen) object, built
    about three times faster. A frozen dataclass's ``__init__`` pays one
    ``object.__setattr__`` call per field; filling the instance dict directly does not,
    and on text with many findings that was a tenth of the whole check time. The
    fields go in in the order of the class, so that every instance dict shares one
    table of keys (in another order each dict is twice the size).
    """
    finding = _new_object(Finding)
    fields = finding.__dict__
    fields["category"] = category
    fields["severity"] = severity
    fields["start"] = start
    fields["end"] = end
    fields["text"] = text
    fields["suggestion"] = suggestion
    fields["message"] = message
    fields["rule"] = rule
    return finding


# The order of Checker.check results: by position, then category (a C-level key).
sort_key = attrgetter("start", "end", "category")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset, for people reading a report.

    Columns count characters (not bytes); an offset equal to ``len(text)`` is
    the position just after the last character.
    """
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside text of length {len(text)}")
    line = text.count("\n", 0, offset) + 1
    last_newline = text.rfind("\n", 0, offset)
    return line, offset - last_newline


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """True when two half-open spans share at least one character."""
    return a_start < b_end and b_start < a_end
