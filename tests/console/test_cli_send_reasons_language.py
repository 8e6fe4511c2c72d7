"""Why the dispatcher did not send a post now — a closed posting window, a used-up quota, a
freeze, bytes that differ from what was signed — is stored in English (``--json`` shows it
so) and read in the person's language wherever the CLI shows it: ``dispatch --once``,
``post list``, ``draft show``, ``alerts``."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from tests.console.conftest import Cli
from tests.console.test_cli_language import english_runs
from tests.console.test_cli_schedule import TZ, _due_now, account, local, posts_of, signed
from tests.factories import tamper


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    from console import output

    monkeypatch.setattr(output.out, "_width", 400)


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("各区县文化和旅游局：\n\n现将有关事项通知如下。\n", "utf-8")
    return path


def _said(cli: Cli, *args: Any, as_user: str = "admin") -> str:
    result = cli.run(*map(str, args), as_user=as_user)
    return result.stdout + result.stderr


def _chinese(said: str) -> None:
    """No English sentence is left, nor an English word of a reason between the ids."""
    assert not english_runs(said), english_runs(said)
    left = re.findall(r"\b(?:rescheduled|refused|cancelled|frozen|quota)\b", said)
    assert not left, (left, said)


def _both(cli: Cli, *args: Any) -> tuple[str, str]:
    """What a command says in Chinese and in English."""
    cli.lang = None
    zh = _said(cli, *args)
    cli.lang = "en"
    return zh, _said(cli, *args)


def test_a_quota_and_a_closed_window_read_in_chinese(team: Cli, body: Path) -> None:
    cli = team
    daily = account(cli, "Daily")
    zh, en = _both(cli, "account", "policy", daily, "--quota", "1/day")
    assert "每天 1 条" in zh and "1 a day" in en and "1/day" not in zh + en, (zh, en)
    shut = account(cli, "Shut")
    later = datetime.now(TZ) + timedelta(hours=3)
    if later.hour == 23:  # a window closed now that does not end at midnight (shown 24:00)
        later -= timedelta(hours=1)
    window = f"{later:%H}:00-{later + timedelta(hours=1):%H}:00"
    cli.json("account", "policy", shut, "--windows", window, as_user="admin")
    first = signed(cli, body, "--target", daily, "--target", shut)
    second = signed(cli, body, "--target", daily, title="第二则通知")
    posts = posts_of(cli, first) + posts_of(cli, second)
    _due_now(cli, [p["id"] for p in posts])
    cli.lang = None
    report = _said(cli, "dispatch", "--once")
    _chinese(report)
    assert "每天 1 条" in report and window in report, report
    stored = {p["id"]: p["last_error"] for p in cli.json("post", "list", as_user="admin")}
    held = sorted(text for text in stored.values() if text)
    assert len(held) == 2 and all(english_runs(text) for text in held), stored
    assert "1 a day" in held[1] and window in held[0], held
    for args in (("post", "list"), ("draft", "show", first), ("draft", "show", second)):
        zh, en = _both(cli, *args)
        _chinese(zh)
        assert "rescheduled" in en, en
    zh, en = _both(cli, "post", "list")
    assert "每天 1 条" in zh and all(text in en for text in held), en
    # --json keeps what was stored, in English
    assert {p["id"]: p["last_error"] for p in cli.json("post", "list", as_user="admin")} == stored


def test_a_freeze_reads_in_chinese(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Frozen")
    now = datetime.now(TZ)
    cli.json(
        "freeze", "add", "--from", local(now - timedelta(hours=1)),
        "--to", local(now + timedelta(hours=3)), "--reason", "重要会议期间", as_user="admin",
    )  # fmt: skip
    draft = signed(cli, body, "--target", col)
    _due_now(cli, [p["id"] for p in posts_of(cli, draft)])
    cli.lang = None
    report = _said(cli, "dispatch", "--once")
    _chinese(report)
    assert "重要会议期间" in report and "冻结期至" in report, report
    (held,) = posts_of(cli, draft)
    assert held["last_error"].startswith("rescheduled: frozen until "), held
    for args in (("post", "list"), ("draft", "show", draft)):
        zh, en = _both(cli, *args)
        _chinese(zh)
        assert "冻结期至" in zh and held["last_error"] in en, (zh, en)


def test_changed_bytes_read_in_chinese(team: Cli, body: Path) -> None:
    cli = team
    col = account(cli, "Altered")
    draft = signed(cli, body, "--target", col)
    (post,) = posts_of(cli, draft)
    engine = create_engine(f"sqlite:///{cli.home / 'matrixpub.db'}")
    tamper(engine, "UPDATE variants SET payload = replace(payload, '现将', '现在将')")
    engine.dispose()
    _due_now(cli, [post["id"]])
    cli.lang = None
    report = _said(cli, "dispatch", "--once")
    _chinese(report)
    assert "哈希不符" in report, report
    (failed,) = posts_of(cli, draft)
    assert failed["state"] == "failed" and english_runs(failed["last_error"]), failed
    for args in (("post", "list"), ("draft", "show", draft), ("alerts",)):
        zh, en = _both(cli, *args)
        _chinese(zh)
        assert "哈希不符" in zh and "altered after sign-off (hash mismatch)" in en, (zh, en)


def test_every_reason_reads_in_chinese_and_in_english() -> None:
    from console.i18n import use_language
    from console.stored import stored_text
    from domain.reasons import REASONS, reason

    why = reason("window", windows="07:30-22:00")
    values: dict[str, Any] = {
        "state": "suspended", "account_id": 3, "draft_id": 2, "version": 2,
        "when": "2026-12-01 08:00", "lifts": "2026-12-02 08:00", "until": "2026-12-01 23:00",
        "count": 1, "period": "2026-12-01", "n": 45, "windows": "07:30-22:00",
        "gates": "三校 proofread_3", "gate": "一校 proofread_1", "channel": "website",
        "passed": "二校 proofread_2",
        "problem": "the author passes no gate on their own draft", "notes": why,
        "first": why, "then": reason("quota_day", count=1, period="2026-12-01"),
        "reason": reason("paused"),
    }  # fmt: skip
    for key in REASONS:
        text = reason(key, **values)
        with use_language("zh_CN"):
            shown = stored_text(text)
        assert shown != text and not english_runs(shown), (key, shown)
        with use_language("en"):
            english = stored_text(text).replace("一校", "").replace("三校", "")
        assert english and not re.search(r"[\u4e00-\u9fff]", english), (key, english)
    with use_language("zh_CN"):
        assert "每天 1 条" in stored_text(reason("rescheduled", reason=values["then"]))
        frozen = reason("freeze", until="2026-12-01 23:00", reason="重要会议")
        assert stored_text(frozen) == "冻结期至 2026-12-01 23:00：重要会议"


def test_what_became_of_a_post_reads_in_chinese(team: Cli, body: Path, tmp_path: Path) -> None:
    """A WeChat account without its credentials, and a post a person cancelled."""
    from tests.factories import jpeg

    cli = team
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(900, 500))
    cli.run("settings", "set", "site_url", "https://www.example.gov.cn", as_user="admin")
    wechat = account(cli, "公众号", "wechat_oa")
    column = account(cli, "Column")
    draft = signed(cli, body, "--target", wechat, "--target", column, "--cover", cover)
    posts = {p["account_id"]: p for p in posts_of(cli, draft)}
    cli.run("post", "cancel", posts[column]["id"], "--reason", "通知撤回", as_user="admin")
    _due_now(cli, [posts[wechat]["id"]])
    cli.lang = None
    _chinese(_said(cli, "dispatch", "--once"))
    stored = {p["account_id"]: p["last_error"] for p in posts_of(cli, draft)}
    assert stored[column] == "cancelled by admin: 通知撤回", stored
    assert stored[wechat].startswith("the WeChat account has no credentials"), stored
    for args in (("post", "list"), ("draft", "show", draft), ("alerts",)):
        zh, en = _both(cli, *args)
        _chinese(zh)
        assert "通知撤回" in zh or args == ("alerts",), zh
        assert "WeChat account has no credentials" in en, en


@pytest.mark.parametrize(
    "note",
    [
        "the dispatcher stopped during the send; whether the platform received it is unknown",
        "void: expired before it was posted",
        "expired: withdrawn from the website",
        "resolved by 郑局长: not published, sending again",
        "not sent: the webhook account has no signing_secret",
        "account 3 suspended: 账号整改",
        "void: account 3 closed: 机构职能调整",
    ],
)
def test_a_posts_last_note_reads_in_chinese(note: str) -> None:
    from console.i18n import use_language
    from console.stored import stored_text

    with use_language("zh_CN"):
        shown = stored_text(note)
    assert shown != note and not english_runs(shown), shown
    with use_language("en"):
        assert stored_text(note) == note


# As the send-time check wrote a separation reason before the rules were kept apart: the
# rule as the refusal said it to the approver, after the old template's words.
OLD = "the {gate} approval breaks the separation of duties: {problem}"
OLD_SEPARATION = [
    (
        OLD.format(
            gate="二校 proofread_2",
            problem="you already passed 一校 proofread_1 of this version; the three "
            "proofreads need three different people (三校)",
        ),
        ("separation_proofreads", "二校 proofread_2", "一校 proofread_1"),
    ),
    (
        OLD.format(
            gate="复审 review_2",
            problem="you already passed 初审 review_1 of this version; the three reviews "
            "need three different people",
        ),
        ("separation_reviews", "复审 review_2", "初审 review_1"),
    ),
    (
        OLD.format(
            gate="初审 review_1",
            problem="you already passed 一校 proofread_1 of this version; nobody passes two "
            "gates of the same version",
        ),
        ("separation_one_gate", "初审 review_1", "一校 proofread_1"),
    ),
    (
        OLD.format(gate="一校 proofread_1", problem="the author passes no gate on their own draft"),
        ("separation_author", "一校 proofread_1", None),
    ),
]


@pytest.mark.parametrize(
    ("stored", "now"), OLD_SEPARATION, ids=["proofreads", "reviews", "one_gate", "author"]
)
def test_a_separation_reason_stored_in_the_old_words_reads_as_the_rule_now(
    stored: str, now: tuple[str, str, str | None]
) -> None:
    """Kept as stored (no migration); shown as the reason the check writes today."""
    from console.i18n import use_language
    from console.stored import stored_text
    from domain.reasons import reason

    key, gate, passed = now
    today = reason(key, gate=gate, passed=passed)
    for wrapped in (stored, reason("refused", reason=stored)):
        expected = today if wrapped == stored else reason("refused", reason=today)
        for language in ("zh_CN", "en"):
            with use_language(language):
                shown, meant = stored_text(wrapped), stored_text(expected)
            assert shown == meant, (language, shown, meant)
        with use_language("zh_CN"):
            zh = stored_text(wrapped)
        assert not english_runs(zh) and "你" not in zh and "_" not in zh, zh
