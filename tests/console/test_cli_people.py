"""People and the gates through the CLI: roles and tokens changed by an admin on record; a
decision that names no gate or another gate is refused; the separation rules hold by
default and relax only through the organisation's settings, on record; an extra check
(保密审查) inserted by a reviewer."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from tests.console.conftest import Cli
from tests.console.test_cli_refusals import refused


def decisions(cli: Cli) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(cli.home / "matrixpub.db")
    try:
        return db.execute("SELECT gate, verdict, actor_id FROM decisions ORDER BY id").fetchall()
    finally:
        db.close()


def actions_on_record(cli: Cli, subject: str) -> list[dict[str, Any]]:
    events = cli.json("audit", "log", "--subject", subject, as_user="admin")
    return [{**e, "data": json.loads(e["data"]) if isinstance(e["data"], str) else e["data"]}
            for e in events]  # fmt: skip


# -- item: users ------------------------------------------------------------------------------
def test_an_admin_changes_roles_on_record(team: Cli) -> None:
    changed = team.json("user", "roles", "p1", "--role", "proofreader", "--role", "editor",
                        as_user="admin")  # fmt: skip
    assert changed["roles"] == ["proofreader", "editor"] and changed["before"] == ["proofreader"]
    assert team.json("whoami", as_user="p1")["roles"] == ["proofreader", "editor"]
    (event,) = [e for e in actions_on_record(team, f"user:{changed['id']}")
                if e["action"] == "user.roles_changed"]  # fmt: skip
    assert event["data"] == {"from": ["proofreader"], "to": ["proofreader", "editor"]}
    refused(team, "user", "roles", "p2", "--role", "leader", as_user="chief", match="admin role")
    refused(team, "user", "roles", "admin", "--role", "author", as_user="admin",
            match="nobody else active holds the admin role")  # fmt: skip


def test_a_reissued_token_replaces_the_old_one_at_once(team: Cli) -> None:
    old = team.tokens["p1"]
    refused(team, "user", "add", "p1", "--role", "proofreader", as_user="admin",
            match="already exists")  # fmt: skip
    refused(team, "user", "token", "p1", as_user="p2", match="admin role")
    fresh = team.json("user", "token", "p1", as_user="admin")
    assert fresh["token"].startswith("mpt_") and fresh["token"] != old
    team.tokens["p1"] = fresh["token"]
    assert team.json("whoami", as_user="p1")["name"] == "p1"
    team.tokens["old"] = old
    refused(team, "whoami", as_user="old", match="token is not valid")
    events = [e["action"] for e in actions_on_record(team, f"user:{fresh['id']}")]
    assert "user.token_reissued" in events
    assert fresh["token"] not in str(actions_on_record(team, f"user:{fresh['id']}"))


def test_deactivating_stops_the_token_and_activating_needs_no_reason(team: Cli) -> None:
    refused(team, "user", "deactivate", "editor", "--reason", "调岗", as_user="chief",
            match="admin role")  # fmt: skip
    team.json("user", "deactivate", "editor", "--reason", "调岗", as_user="admin")
    refused(team, "review", "queue", as_user="editor", match="token is not valid")
    again = team.json("user", "activate", "editor", as_user="admin")
    assert again["active"] is True
    assert team.json("review", "queue", as_user="editor") == []
    events = [e["action"] for e in actions_on_record(team, f"user:{again['id']}")]
    assert events[-2:] == ["user.deactivated", "user.activated"]


# -- item: a decision names its gate ---------------------------------------------------------
def test_the_multi_role_approval_that_slipped_to_the_next_gate_is_refused(
    team: Cli, site: dict[str, Any]
) -> None:
    """The reported case: a chief who also proofreads means to approve 复审 after someone
    else decided it; without naming the gate, it would have been recorded as 三校."""
    draft = site["draft"]
    team.add_user("multi", "chief", "proofreader")
    for who in ("p1", "editor", "p2", "chief"):
        team.approve(draft, who)
    before = decisions(team)
    refused(team, "review", "approve", draft, "--version", "1", "--opinion", "我同意复审",
            as_user="multi", match="name the gate you decide")  # fmt: skip
    refused(team, "review", "approve", draft, "--version", "1", "--opinion", "我同意复审",
            "--gate", "复审", as_user="multi",
            match="is 3rd proofread now, not at 2nd review")  # fmt: skip
    refused(team, "review", "approve", draft, "--opinion", "同意", "--gate", "三校",
            as_user="multi", match="name the version you read")  # fmt: skip
    assert decisions(team) == before
    shown = team.json("draft", "show", draft, as_user="multi")
    assert shown["gate"]["key"] == "proofread_3"
    # Named rightly, the same person passes the gate they meant.
    passed = team.json("review", "approve", draft, "--version", "1", "--opinion", "校对无误",
                       "--gate", "proofread_3", as_user="multi")  # fmt: skip
    assert passed["decision"]["gate"] == "proofread_3"


# -- item: separation rules as data ----------------------------------------------------------
def test_one_proofreader_cannot_pass_all_three_until_the_organisation_relaxes_it(
    team: Cli, site: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = site["draft"]
    team.approve(draft, "p1")
    team.approve(draft, "editor")
    args = ["review", "approve", draft, "--opinion", "同意", "--version", "1", "--gate", "二校"]
    refused(team, *args, as_user="p1", match="three proofreads need three different people")
    # A person's own environment does not relax the rules their decisions obey.
    monkeypatch.setenv("MATRIXPUB_DISTINCT_PROOFREADERS", "false")
    monkeypatch.setenv("MATRIXPUB_ONE_GATE_PER_PERSON", "false")
    refused(team, *args, as_user="p1", match="three proofreads need three different people")
    refused(team, "settings", "set", "distinct_proofreaders", "false", as_user="chief",
            match="admin role")  # fmt: skip
    team.json("settings", "set", "distinct_proofreaders", "false", as_user="admin")
    refused(team, *args, as_user="p1", match="nobody passes two gates")
    team.json("settings", "set", "one_gate_per_person", "false", as_user="admin")
    assert team.json(*args, as_user="p1")["decision"]["gate"] == "proofread_2"
    log = actions_on_record(team, "setting:distinct_proofreaders")
    assert [(e["action"], e["data"]["to"]) for e in log] == [("settings.set", "false")]


# -- item: escalation to an extra check --------------------------------------------------------
def test_a_reviewer_sends_a_draft_to_the_secrecy_check_before_deciding(
    team: Cli, site: dict[str, Any]
) -> None:
    draft = site["draft"]
    team.add_user("sec", "secrecy")
    for who in ("p1", "editor", "p2"):
        team.approve(draft, who)
    refused(team, "review", "escalate", draft, "--check", "保密审查", "--opinion", "涉及工作秘密",
            "--version", "1", "--gate", "复审", as_user="p3",
            match="2nd-review section chief role")  # fmt: skip
    sent = team.json("review", "escalate", draft, "--check", "保密审查", "--opinion",
                     "涉及工作秘密，请保密审查", "--version", "1", "--gate", "复审",
                     as_user="chief")  # fmt: skip
    assert sent["gate"]["key"] == "review_2" and sent["gate"]["check"]["key"] == "check_secrecy"
    assert sent["decision"]["verdict"] == "escalate"
    # The draft waits for the check: its gate is not decided meanwhile.
    refused(team, "review", "approve", draft, "--opinion", "同意", "--version", "1", "--gate",
            "复审", as_user="chief", match="not at 2nd review")  # fmt: skip
    assert team.json("review", "queue", as_user="chief") == []
    (waiting,) = team.json("review", "queue", as_user="sec")
    assert waiting["id"] == int(draft)
    checked = team.approve(draft, "sec", "不涉密，同意")
    assert checked["decision"]["gate"] == "check_secrecy"
    assert checked["gate"]["key"] == "review_2" and checked["gate"]["check"] is None
    for who in ("chief", "p3", "leader"):
        last = team.approve(draft, who)
    assert last["state"] == "approved"
    report = team.json("dispatch", "--once", as_user="admin")
    (post,) = team.json("post", "list", "--draft", draft, as_user="admin")
    assert post["state"] == "published", report
    on_record = [e["action"] for e in actions_on_record(team, f"draft:{draft}")]
    assert "gate.escalate" in on_record
    assert [d[:2] for d in decisions(team)][3:5] == [
        ("check_secrecy", "escalate"),
        ("check_secrecy", "approve"),
    ]


def test_a_check_that_is_rejected_returns_the_draft_to_its_author(
    team: Cli, site: dict[str, Any]
) -> None:
    draft = site["draft"]
    team.add_user("cac", "netinfo")
    team.approve(draft, "p1")
    team.json("review", "escalate", draft, "--check", "网信", "--opinion", "请网信把关",
              "--version", "1", "--gate", "初审", as_user="editor")  # fmt: skip
    back = team.json("review", "reject", draft, "--opinion", "涉及敏感表述", "--gate", "网信",
                     as_user="cac")  # fmt: skip
    assert back["state"] == "returned"
