"""The organisation's own website: a static site written to a folder.

Layout under the site folder::

    index.html                    every column, newest articles first
    <column>/index.html           the column's article list
    <column>/feed.xml             its Atom feed
    <column>/<slug>/index.html    one page per article, its pictures beside it
    <column>/articles.json        the column's manifest, the source of the two lists

A website account is one column; its ``platform_id`` names the folder. Publishing
is idempotent: the same post written twice leaves the same files. Expired items
are withdrawn: the page says so and the lists drop it.

Every file a reader sees is written whole (a temporary file, then ``os.replace``): a
reader sees the old file or the new one, never half of one. Inside
:meth:`WebsiteChannel.batch` (the dispatcher wraps each batch in it) a publish writes the
article's page and appends one line to the column's journal (``<column>/.journal.jsonl``);
the manifest and the column's index and feed are rebuilt once per column, as soon as the
dispatcher has served the column's account (:meth:`WebsiteChannel.account_done`) or else when
the batch ends, and the journal removed; the site's front page once, when the batch ends.
Whoever reads a manifest applies the journal first, so a batch cut short (a crash) loses
nothing: the next batch, or the next publish, catches its column up.

A channel keeps each column's manifest in memory as it last wrote it (up to
``ARTICLES_KEPT`` articles in all; and the front page's share of every column), and takes
it for the file while the file is that one: each write is a new file, so another
process's write is seen. A dispatcher's next batch, and the front page every batch
rebuilds, do not parse a column of hundreds of articles again; nor does a batch's end,
when the column's files are still the manifest it read and a journal of its own lines.

An article page is the site's chrome (header, publishing time, footer: the envelope,
added at send time) around the approved fragment, which is the variant's
``article_html`` exactly as 三校 and 终审 signed it, between two markers::

    <!-- matrixpub:approved variant=<the signed variant's hash> -->
    ...the approved fragment, byte for byte...<!-- /matrixpub:approved -->

:func:`approved_fragment` takes it out of a page again; the pictures beside the page are
the signed pictures' bytes.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import html
import itertools
import json
import os
import re
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    DeliveryKind,
    DeliveryState,
    Form,
    ImageSpec,
    Measure,
    MediaStore,
    Receipt,
    RenderInput,
    Target,
    Variant,
    VariantImage,
    Violation,
)
from channels.images import ImageProblem, fit
from channels.markup import markdown_to_html
from channels.rendering import render_template
from domain.errors import TransientDeliveryError

SPEC = ChannelSpec(
    key="website",
    label="门户网站",
    delivery=DeliveryKind.SITE,
    form=Form.ARTICLE,
    title_max=80,
    summary_max=300,
    cover=ImageSpec(ratio=None, max_width=1200, max_bytes=1_500_000, formats=("JPEG",)),
    max_images=1,
)

BODY_IMAGE = ImageSpec(ratio=None, max_width=1200, max_bytes=1_000_000, formats=("JPEG",))

_SLUG = re.compile(r"[^a-z0-9_-]+")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


def place_body_pictures(
    body_html: str,
    source: RenderInput,
    images: list[VariantImage],
    problems: list[Violation],
    *,
    prefix: str = "",
) -> str:
    """Pictures the Markdown names (``![说明](photo.jpg)``) and the draft carries are
    re-encoded (``BODY_IMAGE``), appended to ``images`` as ``image-N`` and named in the
    HTML by ``prefix`` and their file name: the website publishes them beside the page, the
    webhook sends them with its payload (or, with a ``prefix``, points at the website's
    copies). Web addresses stay as they are; a name the draft does not carry is a
    problem."""
    placed: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        if src.startswith(("http://", "https://")):
            return match.group(0)
        if src not in placed:
            data = source.images.get(src)
            if data is None:
                problems.append(
                    Violation(
                        "body", "missing_image", f"picture {src} is not attached to the draft"
                    )
                )
                placed[src] = src
            else:
                try:
                    image = fit(data, BODY_IMAGE, role=f"image-{len(placed) + 1}")
                except ImageProblem as exc:
                    problems.append(Violation("body", "bad_image", f"{src}: {exc.message}"))
                    placed[src] = src
                else:
                    images.append(image)
                    placed[src] = prefix + image.filename
        return f"{match.group(1)}{html.escape(placed[src])}{match.group(3)}"

    return _IMG_SRC.sub(swap, body_html)


def column_slug(target: Target) -> str:
    """The folder of a website account: its platform ID made URL-safe, else ``column-<id>``."""
    if target.platform_id:
        slug = _SLUG.sub("-", target.platform_id.strip().lower()).strip("-")
        if slug:
            return slug
    return f"column-{target.account_id}"


def article_url(site_url: str, target: Target, draft_id: int) -> str:
    return f"{site_url.rstrip('/')}/{column_slug(target)}/{draft_id}/index.html"


APPROVED_START = re.compile(r"<!-- matrixpub:approved variant=([0-9a-f]{64}) -->\n")
APPROVED_END = "<!-- /matrixpub:approved -->"


def approved_fragment(page: str) -> tuple[str, str]:
    """(the signed variant's hash, the approved fragment) of an article page."""
    start = APPROVED_START.search(page)
    if start is None:
        raise ValueError("the page has no approved fragment")
    end = page.index(APPROVED_END, start.end())
    return start.group(1), page[start.end() : end]


def page_html(
    variant: Variant, *, column: str, unit: str, published: datetime, home: str = "../../index.html"
) -> str:
    """The article's page in the site's chrome: what the site serves, and what reviewers
    see in the preview. The variant's fragment goes in unchanged, between the markers."""
    return render_template(
        "site/article.html.j2",
        variant_hash=variant.hash,
        article_html=variant.fields["article_html"],
        title=variant.fields["title"],
        column=column,
        unit=unit,
        published=published,
        home=home,
    )


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole: to a temporary file beside it, then renamed over it.

    With ``os`` calls, not a file object: open, write, close and rename are all it takes
    (a file object also asks the file's size and whether it is a terminal, and buffers)."""
    tmp = f"{path.parent}/.{path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        try:
            fd = os.open(tmp, _CREATE, 0o644)
        except FileNotFoundError:  # its folder is new
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, _CREATE, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def _published(manifest: dict[str, Any], slug: str, key: str) -> bool:
    """Whether the manifest lists the article as this post published it: the same post
    delivered again after a crash, which changes nothing."""
    found = next((a for a in manifest["articles"] if a["slug"] == slug), None)
    return found is not None and found.get("key") == key and not found.get("withdrawn")


def _write_article(folder: Path, variant: Variant, page: str) -> None:
    """An article's pictures, then its page."""
    folder.mkdir(parents=True, exist_ok=True)
    for image in variant.images:
        _write_atomic(folder / image.filename, image.data)
    _write_atomic(folder / "index.html", page.encode("utf-8"))


JOURNAL = ".journal.jsonl"  # in a column's folder: changes its lists do not show yet
# Articles a channel keeps in memory in the manifests it last wrote (about a kilobyte each):
# past that, the columns written longest ago are read from their files again.
ARTICLES_KEPT = 20_000


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from another: each write of a manifest is a new
    file renamed over the old one, so a new inode, and new times."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


class _Deferred:
    """What a batch owes: the columns whose lists it changed, and their manifests as the
    batch has them (shared by the batch's threads; each column is one account's, served by
    one thread)."""

    def __init__(self) -> None:
        self.manifests: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        # Each column's manifest file as read, and the size its journal has with the
        # batch's own lines: while both still are so when the batch ends, its manifest is
        # the column's as it stands. None: someone else wrote the column meanwhile.
        self.seen: dict[str, tuple[tuple[int, int, int, int] | None, int] | None] = {}
        # Columns whose lists were rebuilt before the batch ended (see account_done).
        self.done: set[str] = set()


# The batch the current delivery belongs to: a context variable, so that the threads a
# batch serves its accounts in (each running in a copy of its context) share it, and two
# batches in one process never flush each other's columns.
_batch: contextvars.ContextVar[_Deferred | None] = contextvars.ContextVar(
    "website_batch", default=None
)


def _apply(manifest: dict[str, Any], change: dict[str, Any]) -> None:
    """One change of a column (an article published, or withdrawn) applied to its
    manifest; applying it twice changes nothing more."""
    if "publish" in change:
        entry = change["publish"]
        manifest["articles"] = [a for a in manifest["articles"] if a["slug"] != entry["slug"]]
        manifest["articles"].append(entry)
        manifest.update({"name": change["name"], "unit": change["unit"]})
    else:
        for article in manifest["articles"]:
            if article["slug"] == change["withdraw"]:
                article["withdrawn"] = True


def _listed(manifest: dict[str, Any]) -> bool:
    """Whether the column has lists to write: an article of it was published once (which
    names the column). A column whose first article could not be written has none yet."""
    return "name" in manifest


def _front(manifest: dict[str, Any]) -> dict[str, Any]:
    """What the front page shows of a column: its names and its ten newest live articles."""
    live = (a for a in manifest["articles"] if not a.get("withdrawn"))
    return {**manifest, "articles": (), "live": list(itertools.islice(live, 10))}


class WebsiteChannel:
    key = "website"
    spec = SPEC

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config
        self._thread_lock = threading.Lock()
        self._lock_file: Any = None
        # Under the site's lock: each column's manifest as this channel last wrote it, with
        # its file's identity. It stands for the file while the file is that one (another
        # process that writes the column makes a new file); whoever takes it to change it
        # takes it out, and it comes back only once written again, so a write that fails
        # leaves the file as the one to read.
        self._kept: dict[str, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}
        # What the front page shows of a column read from its file, with that file's
        # identity: the front page is rebuilt every batch, from every column.
        self._fronts: dict[str, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}

    # -- format ---------------------------------------------------------------------------
    def render(self, source: RenderInput) -> Variant:
        content = source.content
        override = content.for_channel(self.key)
        title = override.title or content.title
        summary = override.summary or content.summary or ""
        body_html = markdown_to_html(override.body or content.body)
        images: list[VariantImage] = []
        problems: list[Violation] = []
        if source.cover is not None:
            assert SPEC.cover is not None
            try:
                images.append(
                    fit(source.cover, SPEC.cover, role="cover", focus=content.cover_focus)
                )
            except ImageProblem as exc:
                problems.append(Violation("cover", "bad_image", f"cover: {exc.message}"))
        body_html = place_body_pictures(body_html, source, images, problems)
        article_html = render_template(
            "channels/website.html.j2",
            title=title,
            summary=summary,
            body_html=body_html,
            cover=images[0].filename if images and images[0].role == "cover" else None,
        )
        measures = (
            Measure("title", len(title), SPEC.title_max, "chars"),
            Measure("summary", len(summary), SPEC.summary_max, "chars"),
        )
        violations = tuple(
            Violation(
                m.field,
                "too_long",
                f"{m.field} has {m.value} characters; the website allows {m.limit}",
            )
            for m in measures
            if m.over
        ) + tuple(problems)
        return Variant(
            channel=self.key,
            fields={
                "slug": str(source.draft_id),
                "title": title,
                "summary": summary,
                "article_html": article_html,
            },
            images=tuple(images),
            measures=measures,
            violations=violations,
        )

    # -- deliver --------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The site to ourselves: against this process's other threads, then against
        other processes (``flock`` on the site's lock file, kept open)."""
        with self._thread_lock:
            if (
                self._lock_file is None
                or self._lock_file.closed
                or os.fstat(self._lock_file.fileno()).st_nlink == 0  # the site was removed
            ):
                if self._lock_file is not None:
                    self._lock_file.close()
                self.config.site_dir.mkdir(parents=True, exist_ok=True)
                self._lock_file = open(self.config.site_dir / ".lock", "a+b")  # noqa: SIM115
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Publish and withdraw inside it rebuild no lists; each column touched gets its
        manifest, index and feed rebuilt once (when its account is done, or when the batch
        ends), and the site's front page once when it ends; so do columns an earlier batch
        left with a journal. The lists are rebuilt
        even when the batch ends with an error: what was published stays published."""
        deferred = _Deferred()
        token = _batch.set(deferred)
        try:
            yield
        finally:
            _batch.reset(token)
            self.flush(set(deferred.manifests), deferred)

    def account_done(self, target: Target) -> None:
        """Inside a batch: the batch publishes nothing more into the target's column (the
        dispatcher serves each account's posts in one thread, and says when it has served
        them all). The column's lists are rebuilt now, in the caller's thread, while the
        batch's other columns are still being served, instead of one after another when
        the batch ends; the batch's end then rebuilds the front page and any column left.
        A column whose lists cannot be written now is left to the batch's end."""
        deferred = _batch.get()
        if deferred is None:
            return
        column = column_slug(target)
        with deferred.lock:
            if column not in deferred.manifests:
                return
        with self._locked():
            manifest = self._as_batch_left(column, deferred) or self._read_manifest(
                column, in_batch=False
            )
            with deferred.lock:
                deferred.manifests.pop(column, None)
                deferred.seen.pop(column, None)
            if not _listed(manifest):
                return
            try:
                self._write_all(column, manifest)
            except OSError:  # the batch's end tries again, and says what failed
                with deferred.lock:
                    deferred.manifests.setdefault(column, manifest)
                    deferred.seen[column] = None  # read from the files then
                return
            with deferred.lock:
                deferred.done.add(column)

    def flush(
        self, columns: set[str] | None = None, deferred: _Deferred | None = None
    ) -> list[str]:
        """Rebuild the lists of ``columns`` and of every column with a journal, then the
        site's front page; returns the columns rebuilt. ``deferred``: the batch that
        ends, whose manifests stand for their files while no one else wrote them."""
        site = self.config.site_dir
        if not columns and not site.is_dir():
            return []
        with self._locked():
            todo = sorted(set(columns or ()) | {p.parent.name for p in site.glob(f"*/{JOURNAL}")})
            done = set(deferred.done) if deferred is not None else set()
            if not todo and not done:
                return []
            rebuilt: dict[str, dict[str, Any]] = {}
            failed: OSError | None = None
            for column in todo:
                # Each column on its own: one whose lists cannot be written keeps its
                # journal (a later batch catches it up) and stops no other column.
                try:
                    manifest = self._as_batch_left(column, deferred) or self._read_manifest(column)
                    if _listed(manifest):
                        self._write_all(column, manifest)
                        rebuilt[column] = manifest
                except OSError as exc:
                    failed = failed or exc
            self._write_front_page(rebuilt)
        if failed is not None:
            raise failed
        return sorted(set(todo) | done)

    def _manifest_path(self, column: str) -> Path:
        return self.config.site_dir / column / "articles.json"

    def _journal_size(self, column: str) -> int:
        try:
            return os.stat(self.config.site_dir / column / JOURNAL).st_size
        except FileNotFoundError:
            return 0

    def _as_batch_left(self, column: str, deferred: _Deferred | None) -> dict[str, Any] | None:
        """The batch's manifest of the column, when the column's files are still the
        manifest it read and a journal of its own lines (else None: read them again)."""
        if deferred is None:
            return None
        with deferred.lock:
            manifest, seen = deferred.manifests.get(column), deferred.seen.get(column)
        if manifest is None or seen is None:
            return None
        if seen != (_identity(self._manifest_path(column)), self._journal_size(column)):
            return None
        return manifest

    def _read_manifest(self, column: str, *, in_batch: bool = True) -> dict[str, Any]:
        """The column's manifest as it stands: the file, and the journal applied to it
        (inside a batch, unless ``in_batch`` is false, the batch's own)."""
        deferred = _batch.get() if in_batch else None
        if deferred is not None:
            with deferred.lock:
                found = deferred.manifests.get(column)
            if found is not None:
                return found
        path = self._manifest_path(column)
        kept = self._kept.pop(column, None)
        identity = _identity(path)
        if kept is not None and identity is not None and kept[0] == identity:
            manifest = kept[1]
        elif identity is not None:
            manifest = json.loads(path.read_bytes())
        else:
            manifest = {"column": column, "articles": []}
        journal = self.config.site_dir / column / JOURNAL
        if journal.exists():
            for line in journal.read_bytes().splitlines():
                try:
                    change = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash: its article was not recorded
                _apply(manifest, change)
        if deferred is not None:
            seen = (identity, self._journal_size(column))
            with deferred.lock:
                deferred.manifests[column] = manifest
                deferred.seen[column] = seen
        return manifest

    def _change(self, column: str, manifest: dict[str, Any], change: dict[str, Any]) -> None:
        """Apply a change to the column: at once (manifest, lists, front page), or inside
        a batch to the batch's manifest and the column's journal."""
        deferred = _batch.get()
        if deferred is None:
            _apply(manifest, change)
            if _listed(manifest):
                self._write_all(column, manifest)
                self._write_front_page({column: manifest})
            return
        # The journal line first: the batch's manifest lists only what the journal holds.
        line = json.dumps(change, ensure_ascii=False).encode("utf-8") + b"\n"
        fd = os.open(
            f"{self.config.site_dir}/{column}/{JOURNAL}",
            os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC,
            0o644,
        )
        try:
            before = os.fstat(fd).st_size
            os.write(fd, line)  # one write: appended whole
        finally:
            os.close(fd)
        _apply(manifest, change)
        with deferred.lock:
            seen = deferred.seen.get(column)
            if seen is not None:  # another's lines in the journal: read it all again
                deferred.seen[column] = (seen[0], before + len(line)) if seen[1] == before else None

    def publish(
        self,
        variant: Variant,
        target: Target,
        *,
        secret: Mapping[str, str] | None = None,
        key: str = "",
        http: Any = None,
        media: MediaStore | None = None,
    ) -> Receipt:
        column = column_slug(target)
        slug = variant.fields["slug"]
        published = datetime.now(ZoneInfo(self.config.timezone)).replace(microsecond=0)
        change = {
            "publish": {
                "slug": slug,
                "key": key,
                "title": variant.fields["title"],
                "summary": variant.fields.get("summary", ""),
                "published": published.isoformat(),
                "withdrawn": False,
            },
            "name": target.name,
            "unit": target.unit,
        }
        page = page_html(variant, column=target.name, unit=target.unit, published=published)
        try:
            self._publish(variant, column, slug, key, page, change)
        except OSError as exc:
            # Nothing of the article is listed (its journal line or its column's lists come
            # after its files), and writing it again is safe: a delivery to try again.
            raise TransientDeliveryError(
                f"the website could not write {column}/{slug}: "
                f"{exc.strerror or type(exc).__name__}; the article is not listed, it is safe "
                "to try again"
            ) from exc
        return self._receipt(target, column, slug)

    def _publish(
        self,
        variant: Variant,
        column: str,
        slug: str,
        key: str,
        page: str,
        change: dict[str, Any],
    ) -> None:
        site = self.config.site_dir
        deferred = _batch.get()
        if deferred is None:
            with self._locked():
                manifest = self._read_manifest(column)
                if not _published(manifest, slug, key):
                    _write_article(site / column / slug, variant, page)
                    self._change(column, manifest, change)
            return
        # In a batch the column's manifest is read once (with the site to ourselves), and
        # the article's own files are written without holding the site: the post is
        # claimed, so no one else writes its folder, and each file is written whole. The
        # site is held only for the journal line, which comes after the files it lists.
        with deferred.lock:
            cached = deferred.manifests.get(column)
        if cached is None:
            with self._locked():
                cached = self._read_manifest(column)
        if not _published(cached, slug, key):
            _write_article(site / column / slug, variant, page)
            with self._locked():
                self._change(column, cached, change)

    def _receipt(self, target: Target, column: str, slug: str) -> Receipt:
        return Receipt(
            state=DeliveryState.PUBLISHED,
            external_id=f"{column}/{slug}",
            url=f"{self.config.site_url}/{column}/{slug}/index.html",
            detail=f"written to {self.config.site_dir / column / slug / 'index.html'}",
        )

    def _write_all(self, column: str, manifest: dict[str, Any]) -> None:
        """The column's manifest, index and feed, each written whole; then its journal,
        now applied, goes. The manifest is kept in memory as written."""
        manifest["articles"].sort(key=lambda a: (a["published"], a["slug"]), reverse=True)
        path = self._manifest_path(column)
        self._kept.pop(column, None)
        _write_atomic(
            path,
            # Compact: json's fast encoder, which it uses only without an indent.
            json.dumps(manifest, ensure_ascii=False).encode("utf-8"),
        )
        self._write_column_lists(column, manifest)
        (self.config.site_dir / column / JOURNAL).unlink(missing_ok=True)
        identity = _identity(path)
        if identity is not None:
            self._kept[column] = (identity, manifest)
            kept = sum(len(m["articles"]) for _, m in self._kept.values())
            while kept > ARTICLES_KEPT:  # the column written longest ago goes
                name = next(iter(self._kept))
                written, oldest = self._kept.pop(name)
                self._fronts[name] = (written, _front(oldest))  # but for the front page
                kept -= len(oldest["articles"])

    def _write_column_lists(self, column: str, manifest: dict[str, Any]) -> None:
        site = self.config.site_dir
        live = [a for a in manifest["articles"] if not a.get("withdrawn")]
        _write_atomic(
            site / column / "index.html",
            render_template("site/column.html.j2", column=manifest, articles=live).encode(),
        )
        updated = live[0]["published"] if live else datetime.now(ZoneInfo("UTC")).isoformat()
        _write_atomic(
            site / column / "feed.xml",
            render_template(
                "site/feed.xml.j2",
                column=manifest,
                articles=live[:50],
                base=f"{self.config.site_url}/{column}",
                updated=updated,
            ).encode(),
        )

    def _write_front_page(self, known: Mapping[str, dict[str, Any]]) -> None:
        """The site's front page: the columns in ``known`` (just written, as written) and
        every other column as its manifest says."""
        site = self.config.site_dir
        columns = []
        for path in sorted(site.glob("*/articles.json")):
            name = path.parent.name
            found = known.get(name)
            if found is None:
                identity = _identity(path)
                kept = self._kept.get(name)
                if kept is not None and kept[0] == identity:
                    found = kept[1]
                else:
                    front = self._fronts.get(name)
                    if front is None or front[0] != identity or identity is None:
                        front = (identity, _front(json.loads(path.read_bytes())))
                        self._fronts[name] = front  # type: ignore[assignment]
                    columns.append(front[1])
                    continue
            columns.append(_front(found))
        _write_atomic(
            site / "index.html", render_template("site/index.html.j2", columns=columns).encode()
        )

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None = None,
        http: Any = None,
    ) -> Receipt:
        return receipt  # writing the site is synchronous: what was written is live

    def withdraw(self, receipt: Receipt, target: Target, *, reason: str) -> None:
        """Take an article off the site: its page says it was withdrawn; lists drop it."""
        column = column_slug(target)
        slug = (receipt.external_id or "").rsplit("/", 1)[-1]
        with self._locked():
            manifest = self._read_manifest(column)
            page = render_template("site/withdrawn.html.j2", column=target.name, reason=reason)
            folder = self.config.site_dir / column / slug
            for stale in folder.glob("*"):
                stale.unlink()
            _write_atomic(folder / "index.html", page.encode("utf-8"))
            self._change(column, manifest, {"withdraw": slug})
