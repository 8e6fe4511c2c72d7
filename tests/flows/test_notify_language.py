"""What the office's WeCom robot hears of the alerts that carry no notice line of their
own (a post failed, an outcome unknown, a package waiting, a queue paused, credentials
running out, an answer arriving late): Chinese, naming the post and the account, never
the English the console translates for its reader."""

from __future__ import annotations

import dataclasses

from console.i18n import alert_kind_label, use_language
from flows import delivery
from sqlmodel_db import alerts as alerts_db
from sqlmodel_db.engine import session_scope
from sqlmodel_db.posts import raise_unknown_alert
from sqlmodel_db.schedule import raise_alert
from tests.console.test_cli_language import CJK, english_runs
from tests.dispatch.helpers import approved_posts
from tests.factories import World
from tests.fakes.wecom import FakeWeCom

# Each kind as its producer words it (sqlmodel_db.alerts, .posts, .schedule, .sending).
OTHERS = {
    "manual_waiting": "post {post}: the manual package for account {account} has been "
    "waiting for a person for 30 hours; post it and run `matrixpub post confirm {post} "
    "--url URL`, or `matrixpub post cancel {post} --reason ...`",
    "queue_paused": "account {account} (古城文旅) paused: 3 deliveries failed in a row; "
    "last: HTTP 500 from the platform",
    "credentials_expiring": "account {account} (古城文旅): its website credentials expire at "
    "2026-12-09 10:00; authorise it again and store the new ones",
    "late_outcome": "post {post} was failed when a success arrived; the post was marked "
    "failed or cancelled: check the platform and settle it",
}


def _raise_each(w: World) -> tuple[int, int, int]:
    account = w.add_account("gucheng", name="古城文旅", responsible="赵六")
    failed, unknown, waiting = approved_posts(w, [account], drafts=3)
    with session_scope(w.engine) as session:
        alerts_db.post_failed(
            session=session, post_id=failed, account_id=account, detail="HTTP 500: busy"
        )
        raise_unknown_alert(session=session, post_id=unknown, account_id=account)
        for kind, message in OTHERS.items():
            post = waiting if kind == "manual_waiting" else failed
            raise_alert(
                session=session,
                kind=kind,
                account_id=account,
                post_id=None if kind in ("queue_paused", "credentials_expiring") else post,
                message=message.format(post=post, account=account),
            )
    return failed, unknown, waiting


def _robot_hears(w: World, **settings: str) -> str:
    ctx = w.ctx
    with FakeWeCom() as robot:
        changed = dataclasses.replace(ctx.settings, notify=robot.webhook, **settings)
        sent = delivery.notify_alerts(dataclasses.replace(ctx, settings=changed))
        assert sent["sent"] == 6, sent
        return "\n".join(m["markdown"]["content"] for m in robot.messages)


def test_alerts_without_a_notice_line_reach_the_robot_in_chinese(w: World) -> None:
    failed, unknown, waiting = _raise_each(w)
    content = _robot_hears(w)
    assert not english_runs(content), english_runs(content)
    with use_language("zh_CN"):  # the console's words for each kind, one table
        for kind in ("post_failed", "unknown_send", "manual_waiting", "queue_paused",
                     "credentials_expiring", "late_outcome"):  # fmt: skip
            assert f"**{alert_kind_label(kind)}**" in content, (kind, content)
    for post in (failed, unknown, waiting):
        assert f"发布 {post}" in content, (post, content)
    assert content.count("古城文旅") == 6 and "赵六" in content
    assert f"matrixpub post retry {failed}" in content  # what to do, as a command


def test_the_robot_speaks_english_when_the_office_says_so(w: World) -> None:
    failed, unknown, waiting = _raise_each(w)
    content = _robot_hears(w, notify_language="en")
    assert not CJK.search(content.replace("古城文旅", "").replace("赵六", "")), content
    with use_language("en"):
        for kind in ("post_failed", "unknown_send", "manual_waiting", "queue_paused",
                     "credentials_expiring", "late_outcome"):  # fmt: skip
            assert f"**{alert_kind_label(kind)}**" in content, (kind, content)
    assert f"post {failed} failed" in content and f"matrixpub post retry {failed}" in content
    assert f"matrixpub post resolve {unknown}" in content
    assert f"matrixpub post confirm {waiting}" in content
    assert content.count("古城文旅") == 6 and "responsible: 赵六" in content
