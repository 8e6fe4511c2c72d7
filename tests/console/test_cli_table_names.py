"""A narrow table keeps a short quoted or bracketed Chinese name whole: a person's name
(“刘管理”) or a term beside its translation ((责任人)) is not cut between its characters."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.console.test_cli_tables import cells, on_a_terminal


def test_a_quoted_name_is_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = ["seq", "when", "who", "action", "subject", "details"]
    rows = [
        (n, "2026-12-03 20:08", "刘管理", "user added", f"user {n} “{name}”", "")
        for n, name in enumerate(["刘管理", "王小文", "欧阳文静"], 1)
    ] + [(4, "2026-12-03 20:09", "王小文", "draft written", "draft 1 “关于举办冬季文旅消费季"
          "活动的通知”", "version 1")]  # fmt: skip
    shown = on_a_terminal(monkeypatch, columns, rows)
    lines = shown.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), shown
    for name in ("“刘管理”", "“王小文”", "“欧阳文静”"):
        assert any(name in cell for line in lines for cell in cells(line)), (name, shown)


def test_a_bracketed_term_is_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = ["action", "roles", "also"]
    also = "the draft's author or the account's responsible person (责任人)"
    shown = on_a_terminal(monkeypatch, columns, [
        ("post confirm", "admin", also),
        ("review approve/reject --gate 保密审查", "secrecy reviewer (保密审查)", "the extra check"),
    ])  # fmt: skip
    lines = shown.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), shown
    for term in ("(责任人)", "(保密审查)"):
        assert any(term in cell for line in lines for cell in cells(line)), (term, shown)


def test_references_are_numbered_in_the_order_they_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Commands too long for a narrow column become references: [1] is the first one read,
    not the longest."""
    alert = (
        "post 2 failed: the WeChat account has no credentials. `matrixpub post retry 2` "
        "sends it again; `matrixpub post resolve 2 --published URL` if it is live after all; "
        "`matrixpub post cancel 2 --reason ...` closes it"
    )
    columns = ["id", "when", "kind", "account", "message", "resolved"]
    shown = on_a_terminal(monkeypatch, columns, [
        (1, "2026-12-03 20:14", "post failed", "古城文旅 (#2)", alert, ""),
    ])  # fmt: skip
    table = shown[: shown.index("\n[1] ")]
    found = [int(n) for n in re.findall(r"\[(\d+)\]", table)]
    assert found == sorted(found) and found[0] == 1, shown
    notes = dict(re.findall(r"^\[(\d+)\] (.*)$", shown, re.M))
    read_in_order = [alert.index(notes[str(n)]) for n in found]
    assert read_in_order == sorted(read_in_order), shown
