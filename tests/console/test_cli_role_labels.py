"""A role beside a person's name, and a platform beside an account's, read cleanly,
brackets never nested: "editor (1st-review editor)", "editor（初审编辑）", "古城文旅（微信订阅号）",
wherever they stand beside a name (what comes next after a decision, a draft's gate and
targets, the users table) in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from console.i18n import PLATFORMS, ROLES, platform_label, role_label, use_language
from tests.console.conftest import Cli

NESTED = re.compile(r"[(（][^()（）]*[(（]")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_role_and_platform_labels_hold_no_brackets_of_their_own(lang: str) -> None:
    with use_language(lang):
        labels = [role_label(r) for r in ROLES] + [platform_label(p) for p in PLATFORMS]
    for label in labels:
        assert not re.search(r"[()（）]", label), label


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_person_and_their_role_read_without_nested_brackets(
    team: Cli, site: dict[str, Any], lang: str
) -> None:
    team.lang = lang
    said = team.run("review", "approve", site["draft"], "--opinion", "同意",
                    *team.reading(site["draft"], "p1"), as_user="p1").stdout  # fmt: skip
    said += team.run("draft", "show", site["draft"], as_user="p1").stdout
    said += team.run("user", "list", as_user="admin").stdout
    editor = "editor（初审编辑）" if lang == "zh_CN" else "editor (1st-review editor)"
    assert editor in said, said
    assert not NESTED.search(said.replace("\n", " ")), NESTED.findall(said)
