"""Posts in the browser (manual packages, live URLs, cancelling) and the JSON API under
/api/v1 with personal tokens."""

from __future__ import annotations

import base64
import html
import io
import zipfile

import pytest

from console import actions
from domain.errors import Refused
from domain.gates import Verdict
from tests.console.web.conftest import BODY, Console, shown
from tests.factories import jpeg


def _signed_and_dispatched(console: Console, targets: list[str]) -> int:
    draft = console.draft(targets=targets)
    console.wait_flows()
    console.pass_gates(draft, 6)
    console.wait_flows()
    actions.dispatch_once(console.as_token("admin"))
    return draft


def test_a_manual_package_is_downloaded_and_its_live_url_recorded(console: Console) -> None:
    draft = _signed_and_dispatched(console, ["douyin"])
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    assert post["state"] == "manual"
    author = console.person("author")
    home = author.client.get("/").text
    assert "需要人手的发布" in home and "待人工发布" in home
    page = author.client.get("/posts").text
    assert f'id="post-{post["id"]}"' in page and "下载发布包" in page
    package = author.client.get(f"/posts/{post['id']}/package.zip")
    assert package.status_code == 200 and package.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert any(n.endswith(".txt") for n in names) and any(n.endswith(".jpg") for n in names)

    assert author.post("/me/language", {"language": "en"}).status_code == 303  # as the CLI
    bad = author.post(f"/posts/{post['id']}/confirm", {"url": "not a url"})
    assert bad.status_code == 400 and "must start with http" in bad.text
    done = author.post(f"/posts/{post['id']}/confirm", {"url": "https://www.douyin.com/note/7"})
    assert done.status_code == 303
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    assert post["state"] == "published" and post["url"] == "https://www.douyin.com/note/7"
    assert "需要人手的发布" not in author.client.get("/").text


def test_posts_are_acted_on_by_the_same_people_as_in_the_cli(console: Console) -> None:
    draft = _signed_and_dispatched(console, ["douyin"])
    (post,) = actions.list_posts(console.as_token("author"), draft_id=draft)
    p1 = console.person("p1")
    refused = p1.post(f"/posts/{post['id']}/confirm", {"url": "https://www.douyin.com/note/8"})
    with pytest.raises(Refused) as cli:
        actions.confirm_post(
            console.as_token("p1"), post["id"], url="https://www.douyin.com/note/8"
        )
    assert refused.status_code == 403 and shown(cli.value) in html.unescape(refused.text)
    assert actions.list_posts(console.as_token("p1"), draft_id=draft)[0]["state"] == "manual"


def test_the_api_needs_a_personal_token(console: Console) -> None:
    client = console.person("p1", login=False).client
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer mpt_nope"}).status_code == 401
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {console.tokens['p1']}"})
    assert me.status_code == 200 and me.json()["name"] == "p1"
    # A browser session does not open the API: only a token does.
    browser = console.person("p1")
    assert browser.client.get("/api/v1/me").status_code == 401


def test_the_api_documents_itself(console: Console) -> None:
    spec = console.person("p1", login=False).client.get("/api/v1/openapi.json").json()
    for path in ("/drafts", "/drafts/{draft_id}", "/drafts/{draft_id}/submit",
                 "/drafts/{draft_id}/decision", "/posts", "/posts/{post_id}/confirm",
                 "/accounts", "/accounts/{account_id}", "/work"):  # fmt: skip
        assert path in spec["paths"], path
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_a_draft_written_submitted_and_decided_through_the_api(console: Console) -> None:
    client = console.person("api", login=False).client
    # Error texts follow each token owner's language: these people chose English, the
    # language the CLI's messages are compared in below.
    for name in ("author", "p1", "editor", "p2", "chief"):
        assert console.person(name).post("/me/language", {"language": "en"}).status_code == 303

    def call(who: str, method: str, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {console.tokens[who]}"}
        return client.request(method, f"/api/v1{path}", headers=headers, **kwargs)

    def approve(gate: str) -> dict:
        return {"verdict": "approve", "opinion": "同意", "version": 1, "gate": gate}

    made = call("author", "POST", "/drafts", json={
        "title": "关于举办冬季文旅消费季活动的通知",
        "body": BODY + "\n![地图](map.jpg)\n",
        "targets": [console.accounts["web"]],
        "cover_base64": base64.b64encode(jpeg(1600, 900)).decode(),
        "pictures_base64": {"map.jpg": base64.b64encode(jpeg(600, 400)).decode()},
    })  # fmt: skip
    assert made.status_code == 201, made.text
    draft = made.json()["id"]
    patched = call("author", "PATCH", f"/drafts/{draft}", json={"summary": "十二月开幕"})
    assert patched.status_code == 200 and patched.json()["version"] == 1  # the working copy
    assert call("author", "POST", f"/drafts/{draft}/submit").status_code == 200
    console.wait_flows()
    assert call("p1", "GET", f"/drafts/{draft}").json()["state"] == "in_review"

    wrong_gate = call("p1", "POST", f"/drafts/{draft}/decision", json=approve("复审"))
    assert wrong_gate.status_code == 409 and "not at 2nd review" in wrong_gate.json()["error"]
    decided = call("p1", "POST", f"/drafts/{draft}/decision", json=approve("一校"))
    assert decided.status_code == 200 and decided.json()["gate"]["key"] == "review_1"

    refused = call("author", "POST", f"/drafts/{draft}/decision", json=approve("初审"))
    with pytest.raises(Refused) as cli:
        actions.decide(console.as_token("author"), draft, verdict=Verdict.APPROVE,
                       opinion="同意", version=1, gate="初审")  # fmt: skip
    assert refused.status_code == 403 and refused.json() == {"error": shown(cli.value, "en")}
    bad = call("author", "POST", "/drafts", json={"title": "", "body": "x"})
    assert bad.status_code == 400 and bad.json() == {"error": "the title is empty"}
    work = call("editor", "GET", "/work").json()
    assert [d["id"] for d in work["to_decide"]] == [draft]
    assert call("admin", "GET", "/accounts").json()[0]["name"] == "通知公告"
