"""One language at a time in the CLI: a refusal's role, the gates table, an account
request's state, a decision to escalate, a credentials error, a diff's fields and an
error about the gate or check a person named are all said in the chosen language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.console.conftest import Cli

CJK = re.compile(r"[\u3400-\u9fff]")


def _err(result: object) -> str:
    return result.stderr + result.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_role_refusal_names_the_role_in_the_chosen_language(
    team: Cli, tmp_path: Path, lang: str
) -> None:
    team.lang = lang
    body = tmp_path / "body.md"
    body.write_text("正文。\n", "utf-8")
    refusals = [
        _err(team.run("draft", "new", "--title", "标题", "--body-file", body,
                      as_user="p1", expect=1)),
        _err(team.run("user", "add", "新人", "--role", "author", as_user="p1", expect=1)),
        _err(team.run("post", "retry", "1", as_user="p1", expect=1)),
    ]  # fmt: skip
    for refusal in refusals:
        if lang == "zh_CN":
            assert "role" not in refusal and "the " not in refusal, refusal
            assert "角色" in refusal and "p1 不符合" in refusal, refusal
        else:
            assert "the author role" in refusals[0] and "does not qualify" in refusal
            assert not CJK.search(refusal), refusal


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_gates_table_is_in_the_chosen_language(cli: Cli, lang: str) -> None:
    cli.lang = lang
    shown = cli.run("review", "gates").stdout
    if lang == "zh_CN":
        for english in ("pins variants", "extra check", "proofreader", "editor", "leader"):
            assert english not in shown, (english, shown)
        assert "一校" in shown and "校对" in shown and "审批人" in shown
    else:
        assert "1st proofread" in shown and "decided by" in shown and "extra check" in shown
    # the keys stay as they are typed (--gate proofread_1)
    assert "proofread_1" in shown and "check_netinfo" in shown
    assert cli.json("review", "gates")[0]["role"] == "proofreader"


def test_an_account_requests_state_is_in_words(team: Cli) -> None:
    team.lang = "zh_CN"
    asked = team.json(
        "account", "request", "open", "--platform", "weibo", "--name", "文旅微博",
        "--unit", "市文化和旅游局", "--reason", "发布活动信息", as_user="admin",
    )  # fmt: skip
    approved = team.run(
        "account", "approve", asked["id"], "--opinion", "同意开设", as_user="leader"
    ).stdout
    assert "approved" not in approved and "通过" in approved, approved
    listed = team.run("account", "requests", as_user="admin").stdout
    assert "approved" not in listed and "通过" in listed, listed
    assert team.json("account", "requests", as_user="admin")[0]["state"] == "approved"


def test_an_escalation_is_said_as_a_person_would(team: Cli, site: dict) -> None:
    draft = site["draft"]
    team.add_user("cac", "netinfo")
    team.lang = "zh_CN"
    team.approve(draft, "p1")
    sent = team.run("review", "escalate", draft, "--check", "网信", "--opinion", "请网信把关",
                    "--version", "1", "--gate", "初审", as_user="editor").stdout  # fmt: skip
    assert "escalate" not in sent and "送网信审核" in sent, sent
    shown = team.run("draft", "show", draft, as_user="editor").stdout
    assert "escalate" not in shown and "送网信审核" in shown, shown
    team.lang = "en"
    shown = team.run("draft", "show", draft, as_user="editor").stdout
    assert "escalate" not in shown and "sent to the cyberspace office's check" in shown, shown
    # the check is named once, not "the extra check the ... check (网信) (... (网信))"
    assert shown.count("(网信)") == 2 and "extra check the" not in shown, shown
    assert team.json("draft", "show", draft, as_user="editor")["decisions"][-1]["verdict"] == (
        "escalate"
    )


def test_the_next_gate_names_its_deciders_in_good_english(team: Cli, site: dict) -> None:
    decided = team.run(
        "review", "approve", site["draft"], "--opinion", "同意",
        *team.reading(site["draft"], "p1"), as_user="p1",
    ).stdout  # fmt: skip
    assert "a editor" not in decided and "editor" in decided, decided


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_credentials_error_is_in_one_language_and_unreachable_is_not_refused(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.init()
    cli.lang = "zh_CN"
    wechat = cli.json("account", "register", "--platform", "wechat_oa", "--name", "文旅公众号",
                      "--unit", "市文化和旅游局", as_user="admin")["id"]  # fmt: skip
    typo = cli.run("account", "credentials", wechat, "--secret-block", "wx", "--value",
                   "appid=wx1", "--value", "app_secret=s", as_user="admin", expect=2)  # fmt: skip
    said = _err(typo)
    assert "did you mean" not in said and "appsecret" in said and "是不是" in said, said
    monkeypatch.setenv("MATRIXPUB_API_HOSTS", f"wechat_oa=http://127.0.0.1:{_closed_port()}")
    offline = cli.run("account", "credentials", wechat, "--secret-block", "wx", "--value",
                      "appid=wx1", "--value", "appsecret=s", "--test", as_user="admin",
                      expect=1)  # fmt: skip
    said = _err(offline)
    assert "不接受" not in said and "无法连接" in said and "未测试" in said, said
    cli.lang = "en"
    offline = cli.run("account", "credentials", wechat, "--secret-block", "wx", "--value",
                      "appid=wx1", "--value", "appsecret=s", "--test", as_user="admin",
                      expect=1)  # fmt: skip
    said = _err(offline)
    assert "did not accept" not in said and "could not be reached" in said, said
    assert cli.json("account", "show", wechat, as_user="admin")["secret_block"] is None


def test_a_diff_names_fields_in_words_and_a_crop_change_in_a_sentence(
    team: Cli, tmp_path: Path
) -> None:
    from tests.factories import jpeg

    team.json("settings", "set", "site_url", "https://wlj.example.gov.cn", as_user="admin")
    site = team.json("account", "register", "--platform", "website", "--name", "通知公告",
                     "--unit", "市文化和旅游局", "--platform-id", "notices", "--main",
                     as_user="admin")["id"]  # fmt: skip
    wechat = team.json("account", "register", "--platform", "wechat_oa", "--name", "文旅公众号",
                       "--unit", "市文化和旅游局", as_user="admin")["id"]  # fmt: skip
    body = tmp_path / "body.md"
    body.write_text("第一段。\n\n第二段。\n", "utf-8")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(1600, 900))
    made = team.json("draft", "new", "--title", "关于举办活动的通知", "--body-file", body,
                     "--cover", cover, "--target", site, "--target", wechat,
                     as_user="author")  # fmt: skip
    draft = str(made["id"])
    team.json("draft", "submit", draft, as_user="author")
    team.json("review", "reject", draft, "--opinion", "换封面", "--gate", "一校", as_user="p1")
    cover.write_bytes(jpeg(2400, 900))
    body.write_text("第一段。\n\n第二段（已修改）。\n", "utf-8")
    team.json(
        "draft",
        "edit",
        draft,
        "--cover",
        cover,
        "--focus",
        "0.1,0.5",
        "--body-file",
        body,
        as_user="author",
    )
    team.json("draft", "submit", draft, as_user="author")
    team.lang = "zh_CN"
    zh = team.run("draft", "diff", draft, as_user="p1").stdout
    for raw in ("(body)", "（website）", "article_html", "content:", "pic_crop", "cover"):
        assert raw not in zh, (raw, zh)
    assert "正文：" in zh and "封面：更换图片" in zh and "门户网站：排版" in zh, zh
    team.lang = "en"
    en = team.run("draft", "diff", draft, as_user="p1").stdout
    assert not CJK.sub("", en).count("pic_crop") and "封面" not in en, en
    assert "cover: picture replaced" in en and "Portal website: rendered" in en, en
    diff = team.json("draft", "diff", draft, as_user="p1")
    assert {p["role"] for p in diff["pictures"]} == {"cover"}  # an identifier, not 封面


@pytest.mark.parametrize(
    ("lang", "said"), [("zh_CN", "封面 1:1 裁切位置已改"), ("en", "the cover's 1:1 crop changed")]
)
def test_a_crop_change_is_said_without_its_values(lang: str, said: str) -> None:
    from console.i18n import use_language
    from console.reading import _variant_field
    from domain.diff import FieldDiff, char_diff

    with use_language(lang):
        crop = tuple(char_diff("", "0.287222_0_0.712778_1"))
        shown = _variant_field(FieldDiff("pic_crop_1_1", crop))
    assert shown["said"] == said and shown["field"] == "pic_crop_1_1"


def test_naming_another_gate_says_where_the_draft_is_and_a_typo_is_echoed(
    team: Cli, site: dict
) -> None:
    draft = site["draft"]
    early = _err(team.run("review", "approve", draft, "--opinion", "同意", "--version", "1",
                          "--gate", "初审", as_user="editor", expect=1))  # fmt: skip
    assert "someone decided" not in early, early
    assert "is at 1st proofread" in early and "not at 1st review" in early, early
    team.approve(draft, "p1")
    team.approve(draft, "editor")
    late = _err(team.run("review", "approve", draft, "--opinion", "同意", "--version", "1",
                         "--gate", "一校", as_user="p1", expect=1))  # fmt: skip
    assert "someone decided it since" in late, late  # it really moved on since
    typo = _err(team.run("review", "escalate", draft, "--check", "bogus", "--opinion", "请审",
                         "--version", "1", "--gate", "二校", as_user="p2", expect=2))  # fmt: skip
    assert "'bogus'" in typo and "check_secrecy" in typo and "check_netinfo" in typo, typo
    team.add_user("cac", "netinfo")
    sent = team.json("review", "escalate", draft, "--check", "netinfo", "--opinion", "请网信把关",
                     "--version", "1", "--gate", "二校", as_user="p2")  # fmt: skip
    assert sent["gate"]["check"]["key"] == "check_netinfo"
