"""The console says in the chosen language what it used to leave in the other: a role
refusal, an escalation, the record's audit actions, the login error and the words a
preview frame puts around a variant."""

from __future__ import annotations

import re

from console import actions
from tests.console.web.conftest import Console, Person

CJK = re.compile(r"[\u3400-\u9fff]")


def _choose(person: Person, language: str) -> None:
    assert person.post("/me/language", {"language": language, "back": "/"}).status_code == 303


def test_a_role_refusal_on_the_accounts_page_names_the_role_in_chinese(
    console: Console,
) -> None:
    p1 = console.person("p1")
    refused = p1.post(f"/accounts/{console.accounts['web']}/request-close", {"reason": "停更"})
    page = (
        refused.text
        if refused.status_code != 303
        else p1.client.get(refused.headers["location"]).text
    )
    assert "不符合" in page, page[:2000]
    assert "the admin role" not in page and "管理员角色" in page


def test_an_escalation_and_the_record_are_said_in_words(console: Console) -> None:
    admin = console.as_token("admin")
    actions.add_user(admin, name="保密员", roles=["secrecy"])
    draft = console.draft()
    console.wait_flows()
    console.pass_gates(draft, 3)
    chief = console.person("chief")
    sent = chief.post(
        f"/drafts/{draft}/escalate",
        {"check": "check_secrecy", "opinion": "涉及内部安排", "version": "1", "gate": "review_2"},
    )
    page = chief.client.get(sent.headers["location"]).text
    assert "已记录你的决定（送保密审查）" in page, re.findall(r"已记录[^<]*", page)
    assert ">escalate<" not in page
    for language, words in (("zh_CN", "提交"), ("en", "submitted")):
        _choose(chief, language)
        record = chief.client.get(f"/drafts/{draft}/record").text
        for action in ("draft.created", "gate.approve", "draft.in_review", "gate.escalate"):
            assert f">{action}<" not in record, (language, action)
        assert words in record


def test_the_english_login_page_says_its_error_in_english(console: Console) -> None:
    visitor = console.person("nobody", login=False)
    visitor.client.cookies.set("mp_lang", "en")
    answer = visitor.login("not-the-password")
    assert answer.status_code == 401
    assert "wrong user name or password" in answer.text.lower()
    assert "用户名或密码不正确" not in answer.text


def test_an_english_preview_frame_names_the_platform_in_english(console: Console) -> None:
    draft = console.draft(targets=["web", "douyin"])
    console.wait_flows()
    p1 = console.person("p1")
    _choose(p1, "en")
    frame = p1.client.get(f"/drafts/{draft}/versions/1/preview/douyin/").text
    assert "Douyin" in frame and "抖音" not in frame
    _choose(p1, "zh_CN")
    assert "抖音" in p1.client.get(f"/drafts/{draft}/versions/1/preview/douyin/").text
