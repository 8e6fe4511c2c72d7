"""Alerts about an account's filing (备案), its keeping alive and a 集中转载 read in the
language of whoever looks at them; ``--json`` keeps each as stored (English made from a
template, then the notice's Chinese line), and the office's WeCom robot hears Chinese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from console.i18n import alert_kind_label, use_language
from tests.console.conftest import Cli
from tests.console.test_cli_alerts import db_exec
from tests.console.test_cli_language import CJK, TERMS, english_runs
from tests.fakes.wecom import FakeWeCom

TYPED = ["文旅微博", "区文旅局", "政策文件", "动态要闻", "古城转载", "关于举办文旅活动的通知",
         "赵六", "开展文旅宣传", "同意开设", "栏目"]  # fmt: skip
KINDS = {"filing_due", "stale_account", "update_due", "repost_at_risk"}


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


def chinese_left(text: str) -> list[str]:
    for said in sorted(TYPED + TERMS, key=len, reverse=True):
        text = text.replace(said, " ")
    return [line for line in text.splitlines() if CJK.search(line)]


def website(cli: Cli, name: str, ident: str, days_quiet: int, *extra: str) -> int:
    made = cli.json(
        "account", "register", "--platform", "website", "--name", name, "--unit", "区文旅局",
        "--platform-id", ident, "--responsible", "赵六", "--column-kind", "news", *extra,
        as_user="admin",
    )  # fmt: skip
    db_exec(cli, "UPDATE accounts SET created_at = datetime('now', ?) WHERE id = ?",
            f"-{days_quiet} days", made["id"])  # fmt: skip
    return int(made["id"])


@pytest.fixture
def raised(team: Cli, tmp_path: Any) -> Cli:
    """One alert of each kind: a filing due, an account past its limit, one nearly there,
    and an account of a 集中转载 with no post planned before the deadline."""
    cli = team
    cli.add_user("赵六", "author")
    asked = cli.json(
        "account", "request", "open", "--platform", "weibo", "--name", "文旅微博",
        "--unit", "区文旅局", "--responsible", "赵六", "--reason", "开展文旅宣传",
        as_user="赵六",
    )  # fmt: skip
    cli.json("account", "approve", asked["id"], "--opinion", "同意开设", as_user="leader")
    website(cli, "政策文件", "policy", 20)
    website(cli, "动态要闻", "news", 8, "--duplicate-reason", "栏目")
    website(cli, "古城转载", "gucheng", 0, "--group", "culture", "--duplicate-reason", "栏目")
    body = tmp_path / "body.md"
    body.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    draft = cli.json(
        "draft", "new", "--title", "关于举办文旅活动的通知", "--body-file", body,
        "--target", str(asked["account_id"]), as_user="赵六",
    )  # fmt: skip
    deadline = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    db_exec(cli, "UPDATE drafts SET fanout_group = 'culture', fanout_deadline = ? WHERE id = ?",
            deadline, draft["id"])  # fmt: skip
    return cli


def test_in_english_the_alerts_say_no_chinese_but_names(raised: Cli) -> None:
    listed = raised.json("alerts", as_user="admin")
    assert {a["kind"] for a in listed} == KINDS
    said = raised.run("alerts", as_user="admin").stdout
    assert chinese_left(said) == [], said
    assert "has published nothing for 20 days" in said and "by 20" in said


def test_in_chinese_the_alerts_say_no_english(raised: Cli) -> None:
    raised.lang = None
    said = raised.run("alerts", as_user="admin").stdout
    assert not english_runs(said), english_runs(said)
    assert "已 20 天未更新" in said and "集中转载" in said and "备案" in said


def test_json_keeps_each_alert_as_stored_and_the_robot_hears_chinese(raised: Cli) -> None:
    with FakeWeCom() as robot:
        raised.json("settings", "set", "notify", robot.webhook, as_user="admin")
        listed = raised.json("alerts", as_user="admin")
        content = "\n".join(m["markdown"]["content"] for m in robot.messages)
    for alert in listed:  # an English line made from a template, then the notice's line
        english, notice = alert["message"].split("\n")
        assert english_runs(english) and chinese_left(english) == [], english
        assert not english_runs(notice) and notice in content, (notice, content)
    assert not english_runs(content), english_runs(content)
    assert "已 20 天未更新" in content and "集中转载《关于举办文旅活动的通知》" in content
    assert "全国政务新媒体信息报送系统备案" in content


@pytest.mark.parametrize(
    ("status", "post_id", "due", "published"),
    [
        ("late", 7, None, 1),
        ("missing", 7, None, None),
        ("at_risk", None, None, None),  # no post planned
        ("at_risk", 7, 2, None),  # planned after the deadline
        ("at_risk", 7, -1, None),
    ],
)
def test_each_repost_alert_reads_in_either_language(
    status: str, post_id: int | None, due: int | None, published: int | None
) -> None:
    from console.i18n import use_language
    from console.stored import alert_text
    from domain.reposts import RepostStatus
    from sqlmodel_db.reposts import RepostRow, _message

    deadline = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    row = RepostRow(
        draft_id=3, title="关于举办文旅活动的通知", group="culture", deadline=deadline,
        account_id=4, account="古城转载", platform="website", responsible=None,
        post_id=post_id, post_state=None,
        due_at=deadline + timedelta(hours=due) if due is not None else None,
        published_at=deadline + timedelta(hours=published) if published else None,
        url=None, status=RepostStatus(status),
    )  # fmt: skip
    message = "\n".join(_message(row, UTC))
    with use_language("zh_CN"):
        said = alert_text("repost_late", message)
        assert not english_runs(said) and "未登记" in said, said
    with use_language("en"):
        assert alert_text("repost_late", message) == message.split("\n")[0]


def test_alerts_stored_before_keep_their_words() -> None:
    """A filing reminder stored in Chinese only is shown as stored; a keep-alive alert
    stored with both lines reads by its first, in the reader's language."""
    from console.i18n import use_language
    from console.stored import alert_text

    filing = "账号 1（文旅微博）已批准开设，请于 2026-12-17 前在全国政务新媒体信息报送系统备案"
    quiet = (
        "account 2 (政策文件) has published nothing for 20 days; its limit is 14.\n"
        "账号「政策文件」已 20 天未更新（上限 14 天），责任人：赵六"
    )
    for lang in ("zh_CN", "en"):
        with use_language(lang):
            assert alert_text("filing_due", filing) == filing
    with use_language("zh_CN"):
        assert (
            alert_text("stale_account", quiet) == "账号 2（政策文件）已 20 天未更新（上限 14 天）。"
        )
    with use_language("en"):
        assert alert_text("stale_account", quiet) == quiet.split("\n")[0]


def test_each_filing_and_keepalive_line_reads_in_chinese() -> None:
    from console.i18n import use_language
    from console.stored import alert_text
    from sqlmodel_db import alerts, governance

    values = {"account_id": 2, "name": "政策文件", "due": "2026-12-17", "closed_on": "2026-12-01",
              "days": 20, "days_left": 3, "limit": 14, "stage": 3}  # fmt: skip
    for kind, template in (
        ("filing_due", governance.OPENED), ("filing_due", governance.CLOSED),
        ("stale_account", alerts.STALE), ("update_due", alerts.DUE),
    ):  # fmt: skip
        with use_language("zh_CN"):
            said = alert_text(kind, template.format(**values) + "\n账号「政策文件」")
        assert not english_runs(said) and "政策文件" in said and "账号「" not in said, said


def test_an_office_may_have_the_robot_speak_english(raised: Cli) -> None:
    """``notify_language en``: the robot's labels, headings and lines come from the same
    catalog as the console's, in English; names stay as typed."""
    raised.json("settings", "set", "notify_language", "en", as_user="admin")
    with FakeWeCom() as robot:
        raised.json("settings", "set", "notify", robot.webhook, as_user="admin")
        listed = raised.json("alerts", as_user="admin")
        content = "\n".join(m["markdown"]["content"] for m in robot.messages)
    assert {a["kind"] for a in listed} == KINDS
    assert chinese_left(content) == [], chinese_left(content)
    with use_language("en"):
        for kind in KINDS:  # the console's own words for each kind
            assert f"**{alert_kind_label(kind)}**" in content, (kind, content)
    assert "matrixpub alerts (4 in all)" in content
    assert "has published nothing for 20 days" in content and "responsible: 赵六" in content


def test_an_unknown_robot_language_is_refused_in_one_line(
    raised: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = raised.run("settings", "set", "notify_language", "fr", as_user="admin", expect=2)
    (line,) = refused.stderr.strip().splitlines()
    assert "notify_language" in line and "zh_CN" in line and "en" in line, line
    shown = {r["key"]: r for r in raised.json("settings", "show", as_user="admin")}
    assert (shown["notify_language"]["value"], shown["notify_language"]["source"]) == (
        "zh_CN",
        "default",
    )
    subject = "setting:notify_language"  # nothing on record
    nothing = raised.run("audit", "log", "--subject", subject, as_user="admin", expect=1)
    assert "no audit events" in nothing.stderr
    monkeypatch.setenv("MATRIXPUB_NOTIFY_LANGUAGE", "klingon")
    refused = raised.run("alerts", as_user="admin", expect=2)
    (line,) = refused.stderr.strip().splitlines()
    assert "MATRIXPUB_NOTIFY_LANGUAGE" in line and "zh_CN" in line, line
