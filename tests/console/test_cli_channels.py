"""One draft to every platform of the matrix, through the CLI: per-channel previews
before anyone signs, credentials in Prefect Secret blocks, real delivery to the fake
WeChat, Weibo and webhook servers, the website, and manual packages confirmed by hand."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import GATES, Cli
from tests.factories import jpeg
from tests.fakes import FakeWebhook, FakeWeChat, FakeWeibo

PLATFORMS = [
    "wechat_oa",
    "wechat_service",
    "weibo",
    "douyin",
    "xiaohongshu",
    "toutiao",
    "kuaishou",
    "bilibili",
    "wechat_channels",
    "website",
    "webhook",
]
MANUAL = ["douyin", "xiaohongshu", "toutiao", "kuaishou", "bilibili", "wechat_channels"]


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Any:
    with (
        FakeWeChat() as wechat,
        FakeWeibo(safe_domain="www.example.gov.cn") as weibo,
        FakeWebhook(signing_secret="whsec-e2e-5151") as hook,
    ):
        monkeypatch.setenv("MATRIXPUB_SITE_URL", "https://www.example.gov.cn")
        monkeypatch.setenv("MATRIXPUB_WEIBO_RIP", "203.0.113.10")
        monkeypatch.setenv(
            "MATRIXPUB_API_HOSTS",
            f"wechat_oa={wechat.url},wechat_service={wechat.url},weibo={weibo.url}",
        )
        yield {"wechat": wechat, "weibo": weibo, "webhook": hook}


def test_one_draft_to_every_platform(team: Cli, fakes: dict[str, Any], tmp_path: Path) -> None:
    cli = team
    ids: dict[str, int] = {}
    for platform in PLATFORMS:
        extra = ["--url", fakes["webhook"].endpoint] if platform == "webhook" else []
        ids[platform] = cli.json(
            "account",
            "register",
            "--platform",
            platform,
            "--name",
            f"文旅{platform}",
            "--unit",
            "市文化和旅游局",
            "--platform-id",
            platform.replace("_", "-"),
            *extra,
            as_user="admin",
        )["id"]
    creds = tmp_path / "wechat.json"
    creds.write_text(json.dumps(fakes["wechat"].secret), "utf-8")
    for platform in ("wechat_oa", "wechat_service"):
        stored = cli.json(
            "account",
            "credentials",
            ids[platform],
            "--secret-block",
            "wx-culture",
            "--from-file",
            creds,
            as_user="admin",
        )
        assert stored["secret_block"] == "wx-culture"
        assert stored["stored_fields"] == ["appid", "appsecret"]
    cli.json(
        "account",
        "credentials",
        ids["weibo"],
        "--secret-block",
        "weibo-culture",
        "--value",
        f"access_token={fakes['weibo'].access_token}",
        as_user="admin",
    )
    cli.json(
        "account",
        "credentials",
        ids["webhook"],
        "--secret-block",
        "hook-culture",
        "--value",
        "signing_secret=whsec-e2e-5151",
        as_user="admin",
    )

    body = tmp_path / "body.md"
    body.write_text(
        "各区县文化和旅游局：\n\n冬季文旅消费季将于12月15日开幕。#冬游古城#\n\n"
        "![活动地图](map.jpg)\n",
        "utf-8",
    )
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(2000, 1200))
    picture = tmp_path / "map.jpg"
    picture.write_bytes(jpeg(1200, 800))
    draft = cli.json(
        "draft",
        "new",
        "--title",
        "关于举办冬季文旅消费季活动的通知",
        "--summary",
        "冬季文旅消费季12月15日开幕，发放文旅消费券。",
        "--body-file",
        body,
        "--cover",
        cover,
        "--image",
        picture,
        *[a for p in PLATFORMS for a in ("--target", str(ids[p]))],
        as_user="author",
    )
    draft_id = str(draft["id"])
    submitted = cli.json("draft", "submit", draft_id, as_user="author")
    assert submitted["state"] == "in_review", submitted["prepare"]

    out = tmp_path / "previews"
    preview = cli.json("draft", "preview", draft_id, "--out", out, as_user="p1")
    assert sorted(c["channel"] for c in preview["channels"]) == sorted(PLATFORMS)
    for platform in PLATFORMS:
        folder = out / platform
        variant = json.loads((folder / "variant.json").read_text("utf-8"))
        assert variant["channel"] == platform and variant["violations"] == []
        for image in variant["images"]:
            assert (folder / image["filename"]).stat().st_size == image["bytes"]
        assert (folder / "preview.html").read_text("utf-8").startswith(("<", "{"))
    index = (out / "index.html").read_text("utf-8")  # every channel side by side
    for platform in PLATFORMS:
        assert f'src="{platform}/preview.html"' in index
    wechat = (out / "wechat_oa" / "preview.html").read_text("utf-8")
    assert f'<h1 class="title">{draft["title"]}</h1>' in wechat  # the title shows
    website = (out / "website" / "preview.html").read_text("utf-8")
    assert website.count('src="cover.jpg"') == 1  # the site's own page: one cover
    assert website.count('class="article-summary"') == 1  # and one summary
    weibo_text = json.loads((out / "weibo" / "variant.json").read_text())["fields"]["status"]
    assert "https://www.example.gov.cn/website/" in weibo_text  # the website article link
    lengths = {(r["channel"], r["field"]): r for r in preview["rows"]}
    assert lengths[("xiaohongshu", "title")]["limit"] == 20
    assert lengths[("wechat_oa", "title")]["limit"] == 32
    human = cli.run(
        "draft", "preview", draft_id, "--channel", "douyin", "--out", tmp_path / "one", as_user="p1"
    )
    assert "Douyin" in human.stdout and not (tmp_path / "one" / "weibo").exists()

    for who in GATES:
        cli.approve(draft_id, who)
    report = cli.json("dispatch", "--once", as_user="admin")
    posts = {p["channel"]: p for p in cli.json("post", "list", as_user="admin")}
    assert {c: posts[c]["state"] for c in PLATFORMS} == {
        **{c: "manual" for c in MANUAL},
        "wechat_oa": "published",
        "wechat_service": "published",
        "weibo": "published",
        "website": "published",
        "webhook": "published",
    }, report
    assert fakes["wechat"].delivery_count("关于举办冬季文旅消费季活动的通知") == 2
    # The body picture given with --image went through uploadimg, once per account, and
    # its WeChat URL is what the article shows; the website article carries it too.
    assert len(fakes["wechat"].body_images) == 1
    for article in fakes["wechat"].published:
        assert article["external_images"] == []
        assert html.escape(next(iter(fakes["wechat"].body_images))) in article["content"]
    site_page = (cli.home / "site").rglob("index.html")
    assert any('alt="活动地图"' in p.read_text("utf-8") for p in site_page)
    assert len(fakes["weibo"].statuses) == 1
    (hook_call,) = fakes["webhook"].calls("/hooks/matrixpub")
    assert hook_call.extra["signature_valid"] is True
    assert hook_call.json["approved"]["fields"]["title"] == "关于举办冬季文旅消费季活动的通知"

    douyin = posts["douyin"]
    assert douyin["url"] is None  # no live URL until a person confirms it
    packages = list((cli.home / "packages" / str(ids["douyin"])).iterdir())
    assert any(p.suffix == ".zip" for p in packages)
    folder = next(p for p in packages if p.is_dir())
    assert f"matrixpub post confirm {douyin['id']} --url URL" in (
        folder / "checklist.md"
    ).read_text("utf-8")
    confirmed = cli.json(
        "post",
        "confirm",
        douyin["id"],
        "--url",
        "https://www.douyin.com/note/7300000000000000000",
        as_user="author",
    )
    assert confirmed["state"] == "published"

    db_bytes = (cli.home / "matrixpub.db").read_bytes()
    logs = "".join(p.read_text("utf-8", "replace") for p in (cli.home / "logs").glob("*"))
    for secret in (fakes["wechat"].appsecret, fakes["weibo"].access_token, "whsec-e2e-5151"):
        assert secret.encode() not in db_bytes
        assert secret not in logs
