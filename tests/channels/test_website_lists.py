"""The website's lists (each column's index and Atom feed, the site's front page): rebuilt
once per column when a batch ends, correct after it, and never seen half-written."""

from __future__ import annotations

import contextvars
import fcntl
import json
import os
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from channels.base import ChannelConfig, RenderInput, Target
from channels.website import JOURNAL, WebsiteChannel
from domain.content import Content
from domain.errors import TransientDeliveryError
from flows import delivery
from tests.dispatch.helpers import approved_posts, migrated_world

ATOM = "{http://www.w3.org/2005/Atom}"
ROOT = Path(__file__).resolve().parents[2]


def column(n: int) -> Target:
    return Target(
        account_id=n, platform="website", name=f"栏目{n}", unit="某某局", platform_id=f"col{n}"
    )


def article(channel: WebsiteChannel, draft_id: int) -> object:
    return channel.render(
        RenderInput(
            draft_id=draft_id,
            content=Content(title=f"通知第{draft_id}号", body="正文。", summary="摘要"),
        )
    )


def feed_titles(site: Path, slug: str) -> list[str]:
    root = ET.fromstring((site / slug / "feed.xml").read_bytes())
    return sorted(e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry"))


def test_a_batch_writes_each_columns_lists_once_at_its_end(
    channel_config: ChannelConfig,
) -> None:
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    with channel.batch():
        for n in range(1, 7):
            channel.publish(article(channel, n), column(n % 2), key=f"k{n}")
            # Inside the batch: the article is there, its column's lists are owed.
            assert (site / f"col{n % 2}" / str(n) / "index.html").exists()
            assert (site / f"col{n % 2}" / JOURNAL).exists()
            assert not (site / f"col{n % 2}" / "index.html").exists()
            assert not (site / "index.html").exists()
    for c, drafts in ((0, (2, 4, 6)), (1, (1, 3, 5))):
        index = (site / f"col{c}" / "index.html").read_text("utf-8")
        for n in drafts:
            assert f"通知第{n}号" in index
        assert feed_titles(site, f"col{c}") == sorted(f"通知第{n}号" for n in drafts)
        assert not (site / f"col{c}" / JOURNAL).exists()
    front = (site / "index.html").read_text("utf-8")
    assert "栏目0" in front and "栏目1" in front
    assert not list(site.rglob("*.tmp"))


def test_without_a_batch_every_publish_rebuilds_the_lists(
    channel_config: ChannelConfig,
) -> None:
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    channel.publish(article(channel, 1), column(1), key="k1")
    assert feed_titles(site, "col1") == ["通知第1号"]
    assert "栏目1" in (site / "index.html").read_text("utf-8")
    assert not (site / "col1" / JOURNAL).exists()


def test_a_batch_that_ends_with_an_error_still_rebuilds_its_lists(
    channel_config: ChannelConfig,
) -> None:
    channel = WebsiteChannel(channel_config)
    try:
        with channel.batch():
            channel.publish(article(channel, 1), column(1), key="k1")
            raise RuntimeError("the batch was cut short")
    except RuntimeError:
        pass
    assert feed_titles(channel_config.site_dir, "col1") == ["通知第1号"]


def test_readers_never_see_a_half_written_list(channel_config: ChannelConfig) -> None:
    """A reader that reads the lists over and over while batches publish: every read is a
    whole file (the feed parses, the pages end with their closing tag)."""
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    with channel.batch():
        channel.publish(article(channel, 1), column(1), key="k1")
    done = threading.Event()
    reads: list[int] = []
    bad: list[str] = []

    def read() -> None:
        while not done.is_set():
            for path in (site / "col1" / "feed.xml", site / "col1" / "index.html"):
                data = path.read_bytes()
                if path.suffix == ".xml":
                    try:
                        ET.fromstring(data)
                    except ET.ParseError as exc:
                        bad.append(f"{path.name}: {exc}")
                elif not data.rstrip().endswith(b"</html>"):
                    bad.append(f"{path.name}: {len(data)} bytes, cut short")
            data = (site / "index.html").read_bytes()
            if not data.rstrip().endswith(b"</html>"):
                bad.append("index.html cut short")
            reads.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(2, 42):
            with channel.batch():
                channel.publish(article(channel, n), column(1), key=f"k{n}")
    finally:
        done.set()
        reader.join(timeout=60)
    assert reads and not bad, bad[:5]
    assert len(feed_titles(site, "col1")) == 41
    assert not list(site.rglob("*.tmp"))


CRASH = """
import os, sys
from pathlib import Path
from channels.base import ChannelConfig, RenderInput, Target
from channels.website import WebsiteChannel
from domain.content import Content
from domain.errors import TransientDeliveryError

config = ChannelConfig(site_dir=Path(sys.argv[1]), site_url="https://x.gov.cn",
                       package_dir=Path(sys.argv[1]) / "packages")
channel = WebsiteChannel(config)
target = Target(account_id=1, platform="website", name="栏目1", unit="局", platform_id="col1")
with channel.batch():
    variant = channel.render(RenderInput(draft_id=2, content=Content(title="第二篇", body="正文")))
    channel.publish(variant, target, key="k2")
    os._exit(9)  # the process dies before the batch ends
"""


def test_a_batch_cut_short_by_a_crash_is_caught_up_by_the_next(
    channel_config: ChannelConfig,
) -> None:
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    channel.publish(article(channel, 1), column(1), key="k1")
    died = subprocess.run(
        [sys.executable, "-c", CRASH, str(site)], cwd=ROOT, capture_output=True, timeout=120
    )
    assert died.returncode == 9, died.stderr.decode()
    assert (site / "col1" / JOURNAL).exists()
    assert feed_titles(site, "col1") == ["通知第1号"]  # the old lists, whole
    with channel.batch():
        pass  # the next batch, with nothing of its own
    assert feed_titles(site, "col1") == ["第二篇", "通知第1号"]
    assert not (site / "col1" / JOURNAL).exists()


def test_the_dispatcher_publishes_a_batch_with_correct_lists(db_url: str, tmp_path: Path) -> None:
    w = migrated_world(db_url, tmp_path / "home")
    try:
        accounts = [w.add_account(f"col{i}") for i in range(3)]
        posts = approved_posts(w, accounts, drafts=4, title="文旅活动通知")
        ctx = w.ctx
        ids = delivery.claim_batch(ctx, worker="w1", limit=100)
        assert sorted(ids) == sorted(posts)
        report = delivery.deliver_batch(ctx, ids, worker="w1")
        assert sorted(report.published) == sorted(posts)
        site = ctx.settings.site_dir
        for i in range(3):
            assert feed_titles(site, f"col{i}") == sorted(
                f"文旅活动通知（第{n}号）" for n in range(1, 5)
            )
            assert not (site / f"col{i}" / JOURNAL).exists()
        front = (site / "index.html").read_text("utf-8")
        assert all(f"col{i}" in front for i in range(3))
    finally:
        from flows.context import dispose

        dispose()
        w.engine.dispose()


def test_in_a_batch_an_article_is_written_while_another_holds_the_site(
    channel_config: ChannelConfig,
) -> None:
    """Inside a batch the article's own files need not wait for the site (another
    dispatcher rebuilding its lists holds it): only its journal line does, and that line
    comes after the page it lists."""
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    with channel.batch():
        channel.publish(article(channel, 1), column(1), key="k1")  # the column is read
        with open(site / ".lock", "a+b") as other:  # another process's hold: its own file
            fcntl.flock(other, fcntl.LOCK_EX)
            publishing = threading.Thread(  # in the batch, as the dispatcher's threads are
                target=contextvars.copy_context().run,
                args=(channel.publish, article(channel, 2), column(1)),
                kwargs={"key": "k2"},
            )
            publishing.start()
            try:
                page = site / "col1" / "2" / "index.html"
                deadline = time.monotonic() + 60
                while not page.exists() and time.monotonic() < deadline:
                    publishing.join(timeout=0.05)
                assert page.exists(), "the page waited for the site"
                assert publishing.is_alive()  # its journal line waits
                journal = (site / "col1" / JOURNAL).read_text("utf-8")
                assert '"slug": "1"' in journal and '"slug": "2"' not in journal
            finally:
                fcntl.flock(other, fcntl.LOCK_UN)
            publishing.join(timeout=60)
        assert not publishing.is_alive()
        assert '"slug": "2"' in (site / "col1" / JOURNAL).read_text("utf-8")
    assert feed_titles(site, "col1") == ["通知第1号", "通知第2号"]


def test_after_a_batch_every_list_agrees_with_the_manifests_and_the_pages(
    channel_config: ChannelConfig,
) -> None:
    """Columns the batch changed and columns it did not: each column's index, feed and
    front-page section list what its manifest lists, newest first, and every listed
    article has its page."""
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    for n in range(1, 4):  # earlier, one at a time: columns 0 to 2
        channel.publish(article(channel, n), column(n - 1), key=f"k{n}")
    with channel.batch():
        for n in range(4, 40):  # 36 articles over columns 1 to 4, none to column 0
            channel.publish(article(channel, n), column(1 + n % 4), key=f"k{n}")
    front = (site / "index.html").read_text("utf-8")
    for c in range(5):
        manifest = json.loads((site / f"col{c}" / "articles.json").read_text("utf-8"))
        slugs = [a["slug"] for a in manifest["articles"]]
        published = [a["published"] for a in manifest["articles"]]
        assert published == sorted(published, reverse=True)
        assert len(slugs) == (1 if c == 0 else 9 + (c <= 2))
        index = (site / f"col{c}" / "index.html").read_text("utf-8")
        assert re.findall(r'<li><a href="(\d+)/index.html">', index) == slugs
        assert feed_titles(site, f"col{c}") == sorted(f"通知第{s}号" for s in slugs)
        on_front = re.findall(rf'<li><a href="col{c}/(\d+)/index.html">', front)
        assert on_front == slugs[:10]
        for slug in slugs:
            page = (site / f"col{c}" / slug / "index.html").read_text("utf-8")
            assert f"通知第{slug}号" in page and page.rstrip().endswith("</html>")
        assert not (site / f"col{c}" / JOURNAL).exists()
    assert not list(site.rglob("*.tmp"))


def test_an_article_page_is_rendered_without_looking_at_the_templates_again(
    channel_config: ChannelConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's templates are read once per process: the pages that follow are made
    without asking the disk whether a template changed (a look per template and page,
    from every thread of the dispatcher)."""
    channel = WebsiteChannel(channel_config)
    channel.publish(article(channel, 1), column(1), key="k1")  # the templates are read

    def looked(path: object) -> float:
        raise AssertionError(f"looked at {path} again")

    monkeypatch.setattr(os.path, "getmtime", looked)
    with channel.batch():
        channel.publish(article(channel, 2), column(1), key="k2")
    assert feed_titles(channel_config.site_dir, "col1") == ["通知第1号", "通知第2号"]


def manifest_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The columns whose manifest (``articles.json``) is read from disk from now on."""
    reads: list[str] = []
    read_bytes = Path.read_bytes
    read_text = Path.read_text

    def counted_bytes(self: Path) -> bytes:
        if self.name == "articles.json":
            reads.append(self.parent.name)
        return read_bytes(self)

    def counted_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "articles.json":
            reads.append(self.parent.name)
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", counted_bytes)
    monkeypatch.setattr(Path, "read_text", counted_text)
    return reads


def test_a_manifest_this_channel_wrote_is_not_read_again_while_its_file_is_unchanged(
    channel_config: ChannelConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dispatcher's next batch, and the front page every batch rebuilds, take a column's
    manifest from what the channel last wrote while the file is still that one: a column
    of hundreds of articles is not parsed again for every batch."""
    channel = WebsiteChannel(channel_config)
    with channel.batch():
        for n in range(1, 5):
            channel.publish(article(channel, n), column(n % 2), key=f"k{n}")
    reads = manifest_reads(monkeypatch)
    with channel.batch():
        channel.publish(article(channel, 5), column(1), key="k5")
    channel.publish(article(channel, 6), column(0), key="k6")  # outside a batch
    assert reads == []
    assert feed_titles(channel_config.site_dir, "col1") == ["通知第1号", "通知第3号", "通知第5号"]
    assert feed_titles(channel_config.site_dir, "col0") == ["通知第2号", "通知第4号", "通知第6号"]
    front = (channel_config.site_dir / "index.html").read_text("utf-8")
    assert all(f"通知第{n}号" in front for n in range(1, 7))


def test_a_manifest_another_process_rewrote_is_read_again(
    channel_config: ChannelConfig,
) -> None:
    """Two dispatchers share the site: what one publishes into a column, the other's next
    batch keeps (in the column's lists and on the front page), though it had that column's
    manifest in memory from before."""
    one, other = WebsiteChannel(channel_config), WebsiteChannel(channel_config)
    with one.batch():
        one.publish(article(one, 1), column(1), key="k1")
        one.publish(article(one, 2), column(2), key="k2")
    with other.batch():
        other.publish(article(other, 3), column(1), key="k3")
        other.publish(article(other, 4), column(2), key="k4")
    with one.batch():
        one.publish(article(one, 5), column(1), key="k5")  # column 2 not touched
    site = channel_config.site_dir
    assert feed_titles(site, "col1") == ["通知第1号", "通知第3号", "通知第5号"]
    front = (site / "index.html").read_text("utf-8")
    assert all(f"通知第{n}号" in front for n in range(1, 6))
    other.publish(article(other, 6), column(1), key="k6")  # outside a batch
    assert feed_titles(site, "col1") == ["通知第1号", "通知第3号", "通知第5号", "通知第6号"]
    with one.batch():
        one.publish(article(one, 7), column(1), key="k7")
    assert feed_titles(site, "col1") == [f"通知第{n}号" for n in (1, 3, 5, 6, 7)]
    manifest = json.loads((site / "col1" / "articles.json").read_text("utf-8"))
    assert sorted(a["slug"] for a in manifest["articles"]) == ["1", "3", "5", "6", "7"]


def test_a_manifest_kept_in_memory_is_not_changed_by_a_publish_that_fails(
    channel_config: ChannelConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publish whose lists could not be written leaves the column as its files say: the
    next publish starts from the file, not from the manifest the failed one had changed."""
    channel = WebsiteChannel(channel_config)
    channel.publish(article(channel, 1), column(1), key="k1")
    write_lists = WebsiteChannel._write_column_lists

    def full_disk(self: WebsiteChannel, *args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WebsiteChannel, "_write_column_lists", full_disk)
    with pytest.raises(TransientDeliveryError):
        channel.publish(article(channel, 2), column(1), key="k2")
    monkeypatch.setattr(WebsiteChannel, "_write_column_lists", write_lists)
    site = channel_config.site_dir
    on_disk = json.loads((site / "col1" / "articles.json").read_text("utf-8"))
    channel.publish(article(channel, 3), column(1), key="k3")
    kept = json.loads((site / "col1" / "articles.json").read_text("utf-8"))
    assert sorted(a["slug"] for a in kept["articles"]) == sorted(
        [a["slug"] for a in on_disk["articles"]] + ["3"]
    )


def test_a_batch_ending_keeps_what_another_batch_wrote_into_its_columns_meanwhile(
    channel_config: ChannelConfig,
) -> None:
    """Two dispatchers' batches open at once on one column: each one's lists, when it
    ends, hold the other's articles too, whether the other had ended (and rewritten the
    column) or only written its journal lines."""
    one, other = WebsiteChannel(channel_config), WebsiteChannel(channel_config)
    site = channel_config.site_dir
    # The other's batch ends inside one's: it rewrites the column one has read.
    with one.batch():
        one.publish(article(one, 1), column(1), key="k1")
        contextvars.Context().run(other_batch, other, [2])
        one.publish(article(one, 3), column(1), key="k3")
    assert feed_titles(site, "col1") == ["通知第1号", "通知第2号", "通知第3号"]
    # The other's batch is still open when one's ends: only its journal line is there.
    theirs = contextvars.Context()
    batch = other.batch()
    theirs.run(batch.__enter__)
    with one.batch():
        one.publish(article(one, 4), column(1), key="k4")
        theirs.run(other.publish, article(other, 5), column(1), key="k5")
        one.publish(article(one, 6), column(1), key="k6")
    assert feed_titles(site, "col1") == [f"通知第{n}号" for n in range(1, 7)]
    with one.batch():
        one.publish(article(one, 7), column(1), key="k7")
        theirs.run(other.publish, article(other, 8), column(1), key="k8")
    theirs.run(batch.__exit__, None, None, None)
    assert feed_titles(site, "col1") == [f"通知第{n}号" for n in range(1, 9)]
    assert not (site / "col1" / JOURNAL).exists()


def other_batch(channel: WebsiteChannel, drafts: list[int]) -> None:
    with channel.batch():
        for n in drafts:
            channel.publish(article(channel, n), column(1), key=f"k{n}")


def test_past_the_articles_kept_in_memory_the_columns_written_longest_ago_are_read_again(
    channel_config: ChannelConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("channels.website.ARTICLES_KEPT", 3)
    channel = WebsiteChannel(channel_config)
    with channel.batch():
        for n in range(1, 7):  # columns 1, 2 and 3, two articles each
            channel.publish(article(channel, n), column((n + 1) // 2), key=f"k{n}")
    reads = manifest_reads(monkeypatch)
    with channel.batch():
        channel.publish(article(channel, 7), column(3), key="k7")
    assert reads == []  # column 3 kept; the front page's share of the others
    with channel.batch():
        channel.publish(article(channel, 8), column(1), key="k8")
    assert reads == ["col1"]  # column 1 had gone: read again for the batch
    site = channel_config.site_dir
    assert feed_titles(site, "col1") == ["通知第1号", "通知第2号", "通知第8号"]
    assert feed_titles(site, "col3") == ["通知第5号", "通知第6号", "通知第7号"]
    front = (site / "index.html").read_text("utf-8")
    assert all(f"通知第{n}号" in front for n in range(1, 9))


def blocked(site: Path, slug: str, draft_id: int) -> Path:
    """A regular file where the article's folder goes: its page cannot be written (as when
    the disk is full, or the site's folder is not the dispatcher's to write), and the
    column has no manifest yet."""
    (site / slug).mkdir(parents=True, exist_ok=True)
    in_the_way = site / slug / str(draft_id)
    in_the_way.write_bytes(b"")
    return in_the_way


def test_a_batch_whose_first_article_into_a_new_column_fails_publishes_the_rest(
    channel_config: ChannelConfig,
) -> None:
    """The first article of a column the site does not have yet cannot be written: the
    publish says so (a delivery error, worth trying again), the batch ends without an
    error, the other columns' lists hold their articles, and the new column gets no lists
    of its own (nor a place on the front page) until an article of it is published."""
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    blocked(site, "col9", 5)
    with channel.batch():
        channel.publish(article(channel, 1), column(1), key="k1")
        with pytest.raises(TransientDeliveryError) as refused:
            channel.publish(article(channel, 5), column(9), key="k5")
        channel.account_done(column(9))  # the dispatcher has nothing more for it
        channel.publish(article(channel, 2), column(2), key="k2")
    assert "col9" in refused.value.message and "\n" not in refused.value.message
    assert feed_titles(site, "col1") == ["通知第1号"]
    assert feed_titles(site, "col2") == ["通知第2号"]
    assert not (site / "col9" / "articles.json").exists()
    assert not (site / "col9" / "index.html").exists()
    assert not (site / "col9" / "feed.xml").exists()
    front = (site / "index.html").read_text("utf-8")
    assert "栏目1" in front and "栏目2" in front and "栏目9" not in front
    assert not list(site.rglob("*.tmp"))
    # Once the way is clear, the same post goes out, and its column appears.
    (site / "col9" / "5").unlink()
    with channel.batch():
        channel.publish(article(channel, 5), column(9), key="k5")
    assert feed_titles(site, "col9") == ["通知第5号"]
    assert "栏目9" in (site / "index.html").read_text("utf-8")


def test_outside_a_batch_a_first_article_that_fails_leaves_no_column_behind(
    channel_config: ChannelConfig,
) -> None:
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    channel.publish(article(channel, 1), column(1), key="k1")
    blocked(site, "col9", 5)
    with pytest.raises(TransientDeliveryError):
        channel.publish(article(channel, 5), column(9), key="k5")
    assert not (site / "col9" / "articles.json").exists()
    assert "栏目9" not in (site / "index.html").read_text("utf-8")
    assert feed_titles(site, "col1") == ["通知第1号"]


def test_a_column_whose_lists_cannot_be_written_leaves_the_others_rebuilt(
    channel_config: ChannelConfig,
) -> None:
    """At a batch's end one column's lists cannot be replaced (a folder where its feed
    goes): every other column's lists and the front page are still rebuilt, each file
    whole; the column keeps its journal, so a later batch catches it up."""
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    (site / "col1" / "feed.xml").mkdir(parents=True)
    with pytest.raises(OSError), channel.batch():
        for n in range(1, 7):
            channel.publish(article(channel, n), column(n % 3), key=f"k{n}")
    assert feed_titles(site, "col0") == ["通知第3号", "通知第6号"]
    assert feed_titles(site, "col2") == ["通知第2号", "通知第5号"]
    assert (site / "col1" / JOURNAL).exists()
    front = (site / "index.html").read_text("utf-8")
    assert all(f"通知第{n}号" in front for n in (2, 3, 5, 6))
    assert not list(site.rglob("*.tmp"))
    (site / "col1" / "feed.xml").rmdir()
    with channel.batch():
        pass
    assert feed_titles(site, "col1") == ["通知第1号", "通知第4号"]
    assert all(f"通知第{n}号" in (site / "index.html").read_text("utf-8") for n in range(1, 7))


def test_the_dispatcher_reports_an_article_it_could_not_write_and_publishes_the_rest(
    db_url: str, tmp_path: Path
) -> None:
    """Real database, real site folder: the first article into a new column cannot be
    written. The batch returns; the others are published and listed; that one is
    reported, to be tried again, and no column's lists name it."""
    from tests.dispatch.helpers import posts_by_id

    w = migrated_world(db_url, tmp_path / "home")
    try:
        old, new = w.add_account("old"), w.add_account("fresh")
        ctx = w.ctx
        first = approved_posts(w, [old], drafts=1, title="旧栏目第一篇")
        assert (
            delivery.deliver_batch(
                ctx, delivery.claim_batch(ctx, worker="w1", limit=10), worker="w1"
            ).published
            == first
        )
        posts = approved_posts(w, [new, old], drafts=2, title="文旅活动通知")
        rows = posts_by_id(w.engine, posts)
        site = ctx.settings.site_dir
        into_new = sorted((p for p in rows.values() if p.account_id == new), key=lambda p: p.id)
        failing = into_new[0]
        blocked(site, "fresh", failing.draft_id)
        ids = delivery.claim_batch(ctx, worker="w1", limit=100)
        report = delivery.deliver_batch(ctx, ids, worker="w1")
        assert report.retrying == [failing.id]
        assert "fresh" in report.messages[failing.id]
        assert sorted(report.published) == sorted(set(posts) - {failing.id})
        assert posts_by_id(w.engine, [failing.id])[failing.id].state == "queued"
        assert feed_titles(site, "old") == sorted(
            ["旧栏目第一篇"] + [f"文旅活动通知（第{n}号）" for n in (1, 2)]
        )
        new_drafts = [p.draft_id for p in into_new if p.id in report.published]
        assert len(new_drafts) == 1
        index = (site / "fresh" / "index.html").read_text("utf-8")
        assert sorted(re.findall(r'<li><a href="(\d+)/index.html">', index)) == sorted(
            str(d) for d in new_drafts
        )
        manifest = json.loads((site / "fresh" / "articles.json").read_text("utf-8"))
        assert [a["slug"] for a in manifest["articles"]] == [str(d) for d in new_drafts]
        assert not list(site.rglob("*.tmp"))
    finally:
        from flows.context import dispose

        dispose()
        w.engine.dispose()


def test_a_column_whose_account_is_done_is_rebuilt_before_the_batch_ends(
    channel_config: ChannelConfig,
) -> None:
    """The dispatcher says when it has served an account's posts of the batch: that
    column's lists are rebuilt then, once, and the batch's end leaves them as they are
    and rebuilds the front page and the columns not done."""
    channel = WebsiteChannel(channel_config)
    site = channel_config.site_dir
    with channel.batch():
        for n in range(1, 5):
            channel.publish(article(channel, n), column(n % 2), key=f"k{n}")
        channel.account_done(column(1))
        assert feed_titles(site, "col1") == ["通知第1号", "通知第3号"]
        assert not (site / "col1" / JOURNAL).exists()
        assert not (site / "col0" / "feed.xml").exists()
        written = os.stat(site / "col1" / "articles.json").st_ino
    assert os.stat(site / "col1" / "articles.json").st_ino == written  # not again
    assert feed_titles(site, "col0") == ["通知第2号", "通知第4号"]
    front = (site / "index.html").read_text("utf-8")
    assert all(f"通知第{n}号" in front for n in range(1, 5))
    # Every column done before the end: the front page is still rebuilt.
    with channel.batch():
        channel.publish(article(channel, 5), column(0), key="k5")
        channel.account_done(column(0))
    assert feed_titles(site, "col0") == ["通知第2号", "通知第4号", "通知第5号"]
    assert "通知第5号" in (site / "index.html").read_text("utf-8")
    assert not list(site.rglob("*.tmp"))
