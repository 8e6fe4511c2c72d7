"""Finding values, positions and the fast constructor used in hot loops."""

from __future__ import annotations

import dataclasses
import json

import pytest

from domain.proofread import Finding, line_col
from domain.proofread.model import new_finding, sort_key, spans_overlap

ARGS = ("outdated_name", "block", 3, 8, "国家旅游局", "文化和旅游部", "机构名称已变更", "r:1")


def test_to_dict_is_json_ready_with_the_documented_keys() -> None:
    finding = Finding(*ARGS)
    data = finding.to_dict()
    assert list(data) == [
        "category", "severity", "start", "end", "text", "suggestion", "message", "rule",
    ]  # fmt: skip
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["suggestion"] == "文化和旅游部"
    assert finding.blocking


def test_new_finding_builds_the_same_frozen_value() -> None:
    fast, slow = new_finding(*ARGS), Finding(*ARGS)
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.start = 0  # type: ignore[misc]
    assert dataclasses.replace(fast, severity="warn").severity == "warn"


def test_sort_key_orders_by_position_then_category() -> None:
    a = Finding("punctuation", "warn", 5, 6, "x", None, "m", "r")
    b = Finding("date", "warn", 5, 6, "x", None, "m", "r")
    c = Finding("date", "warn", 2, 9, "x", None, "m", "r")
    assert sorted([a, b, c], key=sort_key) == [c, b, a]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, (1, 1)), (2, (1, 3)), (3, (2, 1)), (5, (2, 3)), (6, (3, 1)), (7, (3, 2))],
)
def test_line_col_is_one_based(offset: int, expected: tuple[int, int]) -> None:
    assert line_col("第一\n第二\n三", offset) == expected


def test_line_col_rejects_offsets_outside_the_text() -> None:
    with pytest.raises(ValueError, match="outside"):
        line_col("abc", 4)


def test_spans_overlap_is_half_open() -> None:
    assert spans_overlap(0, 3, 2, 5)
    assert not spans_overlap(0, 3, 3, 5)
