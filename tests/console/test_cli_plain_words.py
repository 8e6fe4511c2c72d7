"""What a person reads is in their language through and through: a post refused at send
time for the separation of duties says the rule and its gates in words; the audit log
names the audit key's event; ``schedule show`` names the organisation's time zone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.console.conftest import Cli

ENGLISH = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(params=["zh_CN", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _signed_by_one_proofreader(team: Cli, site: dict[str, Any]) -> str:
    """A draft whose three proofreads p1 passed while the rules allowed it; the rules are
    strict again before it is sent, so the send-time check finds the approvals break them."""
    draft = site["draft"]
    team.json("settings", "set", "distinct_proofreaders", "false", as_user="admin")
    team.json("settings", "set", "one_gate_per_person", "false", as_user="admin")
    for who in ("p1", "editor", "p1", "chief", "p1", "leader"):
        team.approve(draft, who)
    team.json("settings", "set", "distinct_proofreaders", "true", as_user="admin")
    team.json("settings", "set", "one_gate_per_person", "true", as_user="admin")
    return draft


def test_a_post_refused_for_the_separation_of_duties_says_the_rule_in_words(
    team: Cli, site: dict[str, Any], lang: str
) -> None:
    draft = _signed_by_one_proofreader(team, site)
    team.lang = lang
    shown = team.run("dispatch", "--once", as_user="admin").stdout
    shown += team.run("post", "list", "--draft", draft, as_user="admin").stdout
    shown += team.run("alerts", as_user="admin").stdout
    if lang == "zh_CN":
        assert "二校的审批" in shown and "一校" in shown and "三校须由三个不同" in shown, shown
        assert "you already" not in shown and "proofread_" not in shown, shown
        assert "你" not in shown, shown  # said of the approver, to whoever reads it
    else:
        assert (
            "the 2nd proofread approval was given by the person who passed 1st proofread of "
            "this version; the three proofreads need three different people" in shown
        ), shown
        assert "proofread_" not in shown and "一校" not in shown, shown


def test_the_audit_log_names_the_audit_key(team: Cli, lang: str) -> None:
    team.lang = lang
    shown = team.run("audit", "log", as_user="admin").stdout
    assert "audit:key" not in shown, shown
    zh, en = r"设定审计密钥\s*│\s*审计密钥\s", r"audit key set\s*│\s*the audit log's"
    said = zh if lang == "zh_CN" else en
    assert re.search(said, shown), shown


def test_schedule_show_names_the_time_zone_in_words(team: Cli, lang: str) -> None:
    team.lang = lang
    shown = team.run("schedule", "show", "--day", "2026-12-15", as_user="admin").stdout
    if lang == "zh_CN":
        assert "北京时间（Asia/Shanghai）" in shown, shown
        assert not ENGLISH.search(shown.replace("Asia/Shanghai", "")), shown
    else:
        assert "Beijing time (Asia/Shanghai)" in shown, shown
