"""Write in the browser: the editor's form, the working copy, submitting, and the live
check as the author types."""

from __future__ import annotations

import html

from console import actions
from sqlmodel_db.models import DraftVersion
from tests.console.web.conftest import BODY, Console
from tests.factories import jpeg


def _form(console: Console, **fields: object) -> dict:
    return {
        "title": "关于举办冬季文旅消费季活动的通知",
        "summary": "冬季文旅消费季12月15日开幕",
        "body": BODY + "\n![活动地图](map.jpg)\n",
        "targets": [str(console.accounts["web"]), str(console.accounts["douyin"])],
        "action": "save",
        **fields,
    }


def _versions(console: Console, draft: int) -> list[DraftVersion]:
    from sqlmodel import select

    with console.ws.session() as session:
        return list(
            session.exec(
                select(DraftVersion)
                .where(DraftVersion.draft_id == draft)
                .order_by(DraftVersion.number)
            )
        )


def test_an_author_writes_saves_and_submits_with_pictures(console: Console) -> None:
    author = console.person("author")
    files = [
        ("cover", ("封面.jpg", jpeg(1600, 900), "image/jpeg")),
        ("pictures", ("map.jpg", jpeg(800, 600, (200, 40, 40)), "image/jpeg")),
        ("pictures", ("路线图.jpg", jpeg(640, 480, (40, 200, 40)), "image/jpeg")),
    ]
    created = author.post("/drafts", _form(console), files=files)
    assert created.status_code == 303
    location = created.headers["location"]
    assert location.endswith("/edit?saved=1")
    draft = int(location.split("/")[2])
    (v1,) = _versions(console, draft)
    assert v1.submitted_at is None and v1.cover_sha256
    names = sorted(v1.images)
    assert names[0] == "map.jpg" and names[1].endswith(".jpg") and names[1] != "路线图.jpg"
    assert v1.targets == [console.accounts["web"], console.accounts["douyin"]]

    edit = author.client.get(location)
    assert "已保存" in edit.text and "还没有提交审校" in edit.text
    saved = author.post(
        f"/drafts/{draft}/edit", _form(console, title="关于举办冬季文旅消费季的通知")
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("saved=1")
    (still,) = _versions(console, draft)  # the working copy changed in place
    assert still.number == 1 and still.title == "关于举办冬季文旅消费季的通知"
    assert still.images == v1.images and still.cover_sha256 == v1.cover_sha256
    unchanged = author.post(
        f"/drafts/{draft}/edit", _form(console, title="关于举办冬季文旅消费季的通知")
    )
    assert unchanged.headers["location"].endswith("saved=0")

    submitted = author.post(
        f"/drafts/{draft}/edit",
        _form(console, title="关于举办冬季文旅消费季的通知", action="submit"),
    )
    assert submitted.status_code == 303 and submitted.headers["location"] == f"/drafts/{draft}"
    console.wait_flows()
    shown = actions.show_draft(console.as_token("author"), draft)
    assert shown["state"] == "in_review" and shown["version"] == 1
    (cut,) = _versions(console, draft)
    assert cut.submitted_at is not None
    assert sorted(v["channel"] for v in shown["variants"]) == ["douyin", "website"]
    website = next(v for v in shown["variants"] if v["channel"] == "website")
    assert [i["role"] for i in website["images"]] == ["cover", "image-1"]  # map.jpg placed


def test_a_returned_draft_is_edited_as_one_working_copy(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    p1 = console.person("p1")
    rejection = {"verdict": "reject", "opinion": "请补充时间", "version": 1, "gate": "proofread_1"}
    p1.post(f"/drafts/{draft}/decision", rejection)
    author = console.person("author")
    home = author.client.get("/").text
    assert "退回给我修改" in home and "请补充时间" in home and "p1" in home
    for title in (
        "关于举办冬季文旅消费季活动的通知（一）",
        "关于举办冬季文旅消费季活动的通知（二）",
    ):
        assert author.post(f"/drafts/{draft}/edit", _form(console, title=title)).status_code == 303
    assert [v.number for v in _versions(console, draft)] == [1, 2]
    assert _versions(console, draft)[1].submitted_at is None
    assert actions.show_draft(console.as_token("author"), draft)["state"] == "returned"


def test_editing_a_draft_in_review_makes_a_new_version_at_once(console: Console) -> None:
    draft = console.draft()
    console.wait_flows()
    console.pass_gates(draft, 2)
    author = console.person("author")
    page = author.client.get(f"/drafts/{draft}/edit").text
    assert "保存修改会生成第 2 版" in page
    answer = author.post(
        f"/drafts/{draft}/edit", _form(console, title="新标题的通知", body=BODY, action="submit")
    )
    assert answer.status_code == 303
    console.wait_flows()
    shown = actions.show_draft(console.as_token("author"), draft)
    assert shown["version"] == 2 and shown["gate"]["key"] == "proofread_1"


def test_each_channel_gets_its_own_wording_from_the_form(console: Console) -> None:
    author = console.person("author")
    created = author.post("/drafts", _form(console, **{"w.douyin.title": "冬游古城｜消费季开幕"}))
    draft = int(created.headers["location"].split("/")[2])
    (v1,) = _versions(console, draft)
    assert v1.overrides == {"douyin": {"title": "冬游古城｜消费季开幕"}}
    page = author.client.get(f"/drafts/{draft}/edit").text
    assert 'value="冬游古城｜消费季开幕"' in page


def test_bad_input_is_refused_with_what_was_typed_kept(console: Console) -> None:
    author = console.person("author")
    empty = author.post("/drafts", _form(console, title="  ", body="我写的正文。"))
    assert empty.status_code == 400 and "标题为空" in empty.text
    assert "我写的正文。" in empty.text
    not_a_picture = author.post(
        "/drafts", _form(console), files=[("cover", ("cover.jpg", b"GIF? no", "image/jpeg"))]
    )
    assert (
        not_a_picture.status_code == 400
        and "不是 JPEG、PNG、GIF 或 WebP 图片" in not_a_picture.text
    )
    assert actions.list_drafts(console.as_token("author")) == []


def test_only_the_author_edits(console: Console) -> None:
    draft = console.draft(submit=False)
    p1 = console.person("p1")
    assert p1.client.get(f"/drafts/{draft}/edit", follow_redirects=False).headers["location"] == (
        f"/drafts/{draft}"
    )
    refused = p1.post(f"/drafts/{draft}/edit", _form(console, title="别人改的"))
    assert refused.status_code == 403
    assert "draft edit / submit 需要草稿的作者" in html.unescape(refused.text)
    assert 'id="editor"' not in refused.text
    assert _versions(console, draft)[0].title == "关于举办冬季文旅消费季活动的通知"


def test_the_live_check_marks_findings_and_each_channels_limits(console: Console) -> None:
    author = console.person("author")
    live = author.post(
        "/drafts/live",
        {
            "title": "长" * 21,
            "summary": "",
            "body": "根据国家旅游局的部署，现将有关事项通知如下。\n",
            "targets": [str(console.accounts["web"]), str(console.accounts["douyin"])],
        },
    )
    assert live.status_code == 200
    assert '<mark class="f block"' in live.text and ">国家旅游局</mark>" in live.text
    assert "文化和旅游部" in live.text  # the suggestion
    assert "抖音" in live.text and "21 / 20" in live.text and "超出 1" in live.text
    assert "门户网站" in live.text
    assert "<p>根据国家旅游局的部署" in live.text  # the body, rendered
    assert actions.list_drafts(console.as_token("author")) == []  # nothing stored


def test_submitting_without_targets_keeps_the_words_and_says_why(console: Console) -> None:
    author = console.person("author")
    assert author.post("/me/language", {"language": "en"}).status_code == 303
    answer = author.post("/drafts", _form(console, targets=[], action="submit"))
    assert answer.status_code == 403
    assert "choose at least one target account" in answer.text
    (draft,) = actions.list_drafts(console.as_token("author"))
    assert draft["state"] == "draft" and f"/drafts/{draft['id']}/edit" in answer.text
