"""Read and decide in the browser: the draft page, the decision pinned to the version and
gate on the page, refusals in the CLI's words, previews that never run a draft's HTML,
the record and the 审签单."""

from __future__ import annotations

import re

import pytest

from console import actions
from console.i18n import error_text, use_language
from domain.gates import Verdict
from tests.console.web.conftest import BODY, GATES, Console


def _decision(version: int, gate: str, verdict: str = "approve", opinion: str = "同意") -> dict:
    return {"verdict": verdict, "opinion": opinion, "version": version, "gate": gate}


def test_a_reviewer_reads_every_channel_and_decides_on_one_page(console: Console) -> None:
    draft = console.draft(targets=["web", "douyin"])
    console.wait_flows()
    p1 = console.person("p1")
    home = p1.client.get("/")
    assert f'href="/drafts/{draft}"' in home.text and "一校" in home.text and "已等待" in home.text
    page = p1.client.get(f"/drafts/{draft}")
    assert page.status_code == 200
    for channel in ("website", "douyin"):
        src = f"/drafts/{draft}/versions/1/preview/{channel}/"
        assert f'src="{src}"' in page.text
        frame = re.search(rf'<iframe[^>]*src="{re.escape(src)}"[^>]*>', page.text).group(0)
        assert 'sandbox="allow-same-origin"' in frame  # no allow-scripts: nothing runs
    shown = actions.show_draft(console.as_token("p1"), draft)
    for variant in shown["variants"]:
        assert variant["hash"][:16] in page.text
    assert (
        'name="version" value="1"' in page.text and 'name="gate" value="proofread_1"' in page.text
    )

    answer = p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1", opinion="文字规范"))
    assert answer.status_code == 303
    after = actions.show_draft(console.as_token("p1"), draft)
    assert after["gate"]["key"] == "review_1"
    (decided,) = after["decisions"]
    assert (decided["actor"], decided["gate"], decided["opinion"]) == (
        "p1",
        "proofread_1",
        "文字规范",
    )
    assert "已记录你的决定" in p1.client.get(answer.headers["location"]).text


def test_a_decision_on_an_edited_draft_is_refused_and_the_page_says_why(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    p1 = console.person("p1")
    p1.client.get(f"/drafts/{draft}")  # the page p1 read: version 1
    actions.change_draft(
        console.as_token("author"), draft, title="关于举办冬季文旅消费季活动的通知（修订）"
    )
    console.wait_flows()
    answer = p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1", opinion="我的意见"))
    assert answer.status_code == 409
    assert "现在是第 2 版，你看的是第 1 版" in answer.text
    assert "我的意见" in answer.text  # the opinion is kept for the person
    assert actions.show_draft(console.as_token("p1"), draft)["decisions"] == []


def test_a_decision_for_a_gate_someone_else_decided_is_refused(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    p1, p2 = console.person("p1"), console.person("p2")
    # p1 opens the page at 一校; before p1 decides, another proofreader decides it.
    p2_page = p2.client.get(f"/drafts/{draft}")
    assert 'name="gate" value="proofread_1"' in p2_page.text
    assert p2.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1")).status_code == 303
    late = p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1", opinion="晚了"))
    assert late.status_code == 409
    assert "不在一校；" in late.text  # the refusal in the page's language (zh-CN)
    assert len(actions.show_draft(console.as_token("p1"), draft)["decisions"]) == 1


@pytest.mark.parametrize(
    ("who", "words", "status"),
    [
        ("editor", "decided by the proofreader role", 403),
        ("author", "decided by the proofreader role", 403),
    ],
)
def test_refusals_carry_the_clis_message(
    console: Console, who: str, words: str, status: int
) -> None:
    draft = console.draft()
    console.wait_flows()
    person = console.person(who)
    assert person.post("/me/language", {"language": "en"}).status_code == 303  # as the CLI
    answer = person.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1"))
    assert answer.status_code == status and words in answer.text
    with pytest.raises(actions.Refused) as cli:
        actions.decide(console.as_token(who), draft, verdict=Verdict.APPROVE, opinion="同意",
                       version=1, gate="proofread_1")  # fmt: skip
    with use_language("en"):  # as the CLI says it with MATRIXPUB_LANG=en
        said = error_text(cli.value)
    assert said in answer.text


def test_a_reviewer_who_may_not_decide_sees_why_instead_of_a_form(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    leader = console.person("leader")
    page = leader.client.get(f"/drafts/{draft}")
    assert f'action="/drafts/{draft}/decision"' not in page.text
    assert "由 校对 角色决定" in page.text  # why, in the person's language
    assert leader.post("/me/language", {"language": "en"}).status_code == 303
    assert "decided by the proofreader role" in leader.client.get(f"/drafts/{draft}").text


def test_every_state_change_needs_the_csrf_token(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    author, p1 = console.person("author"), console.person("p1")
    attempts = [
        (p1, f"/drafts/{draft}/decision", _decision(1, "proofread_1")),
        (p1, f"/drafts/{draft}/findings/1/override", {"reason": "理由"}),
        (author, f"/drafts/{draft}/edit", {"title": "改", "body": "改。", "action": "save"}),
        (author, f"/drafts/{draft}/submit", {}),
        (author, "/drafts", {"title": "新", "body": "新。", "action": "save"}),
        (author, "/posts/1/cancel", {"reason": "x"}),
        (author, "/posts/1/confirm", {"url": "https://a.example/1"}),
        (author, "/posts/1/retry", {}),
        (author, "/posts/1/resolve", {"outcome": "not_published"}),
        (author, "/drafts/live", {"title": "t", "body": "b"}),
        (p1, "/me/password", {"password": "whatever-123", "again": "whatever-123"}),
        (p1, "/logout", {}),
    ]
    before = actions.audit_log(console.as_token("admin"), limit=1000)
    for person, path, data in attempts:
        missing = person.client.post(path, data=data, follow_redirects=False)
        assert missing.status_code == 403, path
        forged = person.client.post(
            path, data={**data, "csrf_token": "forged"}, follow_redirects=False
        )
        assert forged.status_code == 403, path
        assert "CSRF" in forged.text
    assert actions.audit_log(console.as_token("admin"), limit=1000) == before
    assert p1.client.get("/").status_code == 200  # the logout without a token did nothing


def test_whatever_people_typed_is_escaped(console: Console) -> None:
    hostile = '<script>alert("标题")</script><img src=x onerror=alert(1)>'
    draft = console.draft(title="通知" + hostile[:60], body="正文<b onclick=alert(2)>粗</b>\n")
    console.wait_flows()
    p1 = console.person("p1")
    page = p1.client.get(f"/drafts/{draft}")
    from tests.console.web.conftest import find_raw

    assert find_raw(page.text, "<script>alert") == [] and find_raw(page.text, "<img src=x") == []
    assert "&lt;script&gt;" in page.text
    answer = p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1", "reject", hostile))
    assert answer.status_code == 303
    for path in (
        f"/drafts/{draft}",
        f"/drafts/{draft}/record",
        f"/drafts/{draft}/sheet",
        "/drafts",
    ):
        text = p1.client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    author_home = console.person("author").client.get("/").text
    assert "&lt;script&gt;" in author_home and "<script>alert" not in author_home


def test_previews_forbid_scripts_and_serve_their_pictures(console: Console) -> None:
    draft = console.draft(body="正文<script>alert(1)</script>\n")
    console.wait_flows()
    client = console.person("p1").client
    frame = client.get(f"/drafts/{draft}/versions/1/preview/website/")
    assert frame.status_code == 200
    policy = frame.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "<script>alert" not in frame.text
    assert 'src="cover.jpg"' in frame.text
    picture = client.get(f"/drafts/{draft}/versions/1/preview/website/cover.jpg")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert picture.content.startswith(b"\xff\xd8")
    assert client.get(f"/drafts/{draft}/versions/1/preview/website/nope.jpg").status_code == 404
    assert client.get(f"/drafts/{draft}/versions/1/preview/weibo/").status_code == 404
    assert client.get(f"/drafts/{draft}/versions/9/preview/website/").status_code == 404


def test_the_diff_against_what_this_reviewer_last_decided(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    p1 = console.person("p1")
    p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1", "reject", "时间写错了"))
    actions.change_draft(
        console.as_token("author"), draft,
        body=actions.clean_text_body(BODY.replace("15日", "16日")),
    )  # fmt: skip
    actions.submit_draft(console.as_token("author"), draft)
    console.wait_flows()
    page = p1.client.get(f"/drafts/{draft}").text
    assert "第 1 版 → 第 2 版" in page
    assert '<del class="d">5</del><ins class="d">6</ins>' in page  # one character, not a paragraph
    standalone = p1.client.get(f"/drafts/{draft}/diff")
    assert standalone.status_code == 200 and '<ins class="d">6</ins>' in standalone.text


def test_while_the_new_version_is_checked_the_diff_says_so_and_drops_no_channel(
    console: Console,
) -> None:
    from dataclasses import replace

    draft = console.draft(targets=["web", "douyin"])
    console.wait_flows()
    p1 = console.person("p1")
    p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1", "reject", "时间写错了"))
    author_ws = console.as_token("author")
    actions.change_draft(
        author_ws, draft, body=actions.clean_text_body(BODY.replace("15日", "16日"))
    )
    # Resubmitted; the automatic work has not run yet (no sleep: it is simply not started).
    started: list[str] = []
    held = replace(author_ws, trigger=lambda flow, _parameters: started.append(flow) or {})
    actions.submit_draft(held, draft)
    assert started == ["prepare-versions"]
    author = console.person("author")
    page = author.client.get(f"/drafts/{draft}").text
    assert "第 1 版 → 第 2 版" in page and '<ins class="d">6</ins>' in page  # the text compares
    assert "较早的版本没有渲染稿" not in page
    assert "（不再发布）" not in page, "channels shown as dropped while version 2 is prepared"
    assert "第 2 版正在检查和渲染" in page
    # The work runs (submitting again starts it); then the diff is as usual.
    actions.submit_draft(author_ws, draft)
    console.wait_flows()
    page = author.client.get(f"/drafts/{draft}").text
    assert "第 2 版正在检查和渲染" not in page and "（不再发布）" not in page
    assert "各渠道成稿" in page and "→" in page


def test_the_record_and_the_sign_off_sheet(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    console.pass_gates(draft, 6)
    console.wait_flows()
    author = console.person("author")
    sheet = author.client.get(f"/drafts/{draft}/sheet")
    assert sheet.status_code == 200 and "审 签 单" in sheet.text
    shown = actions.show_draft(console.as_token("author"), draft)
    assert shown["content_hash"] in sheet.text
    for who, _gate in GATES:
        assert f"{who} 同意" in sheet.text
    assert "@page { size: A4" in author.client.get("/static/console.css").text
    record = author.client.get(f"/drafts/{draft}/record")
    assert record.status_code == 200
    for word in ("版本", "审校决定", "错敏检查与放行", "发布", "审计日志", "gate.approve"):
        assert word in record.text


def test_a_signed_draft_shows_what_its_sign_off_pinned(console: Console) -> None:
    from console import reading
    from flows import steps
    from flows.context import get_context
    from sqlmodel_db import drafts as drafts_db

    draft = console.draft(targets=["web", "douyin"])
    console.wait_flows()
    console.pass_gates(draft, 6)
    console.wait_flows()
    signed = {
        v["channel"]: v["hash"]
        for v in reading.sign_off_sheet(console.as_token("p1"), draft)["variants"]
    }
    with console.ws.session() as session:
        row = drafts_db.get_draft(session=session, draft_id=draft)
        version_id = drafts_db.current_version(session=session, draft=row).id
    # The site moves after sign-off: a new rendering of the signed version differs.
    actions.set_setting(console.as_token("admin"), "site_url", "https://new.example.gov.cn")
    steps.render_version(get_context(), version_id)
    with console.ws.session() as session:
        newest = {
            v.channel: v.hash
            for v in drafts_db.variants_for(session=session, version_id=version_id)
        }
    page = console.person("p1").client.get(f"/drafts/{draft}").text
    for channel, pinned in signed.items():
        assert pinned[:16] in page, channel
    assert signed == {
        v["channel"]: v["hash"]
        for v in reading.draft_page(console.as_token("p1"), draft)["variants"]
    }
    assert newest.keys() == signed.keys() and newest["douyin"] != signed["douyin"]


def test_the_website_preview_keeps_a_notices_closing_block(console: Console) -> None:
    body = (
        "请各单位认真落实。\n\n附件：1. 活动安排表\n2. 报名回执\n\n市文化和旅游局\n2026年11月26日\n"
    )
    draft = console.draft(body=body)
    console.wait_flows()
    frame = console.person("p1").client.get(f"/drafts/{draft}/versions/1/preview/website/")
    assert frame.status_code == 200
    assert re.search(
        r'<p class="signature" style="[^"]*text-align: right[^"]*">'
        r"市文化和旅游局<br>2026年11月26日</p>",
        frame.text,
    )
    assert "附件：1. 活动安排表<br>2. 报名回执" in frame.text


def test_after_a_decision_the_page_says_the_next_gate_and_who_decides_it(
    console: Console,
) -> None:
    draft = console.draft()
    console.wait_flows()
    p1 = console.person("p1")
    answer = p1.post(f"/drafts/{draft}/decision", _decision(1, "proofread_1"))
    page = p1.client.get(answer.headers["location"]).text
    flash = re.search(r'<p class="notice ok" role="status">(.*?)</p>', page, re.S).group(1)
    assert "已记录你的决定" in flash and "初审" in flash and "editor" in flash
    # the refusal panel names the gate once, not "初审： 初审 由 …"
    assert "初审： 初审" not in page and "初审：初审" not in page


def test_an_escalation_nobody_can_decide_is_flagged_on_the_page(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    console.pass_gates(draft, 3)
    chief = console.person("chief")
    sent = chief.post(
        f"/drafts/{draft}/escalate",
        {"check": "check_netinfo", "opinion": "请网信审查", "version": 1, "gate": "review_2"},
    )
    assert sent.status_code == 303
    page = chief.client.get(sent.headers["location"]).text
    flash = re.search(r'<p class="notice ok" role="status">(.*?)</p>', page, re.S).group(1)
    assert "目前没有人能审" in flash and "--role netinfo" in flash
