"""The pages of ``matrixpub draft preview``, in the language of whoever asked for them.

The preview flow writes each variant as stored (``<channel>/variant.json`` and its
pictures); here, beside them, each channel's ``preview.html`` (the variant as its readers
will see it, then its lengths against the platform's limits and what blocks it) and
``index.html`` (every channel side by side) are written with the catalog's words. The
reader's view itself is the platform's own, shown as it will be published.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from channels.base import Target, Variant
from channels.preview import Facts, FrameWords, index_html, preview_html
from channels.registry import SPECS
from console.i18n import (
    MEASURE_LABELS,
    UNIT_LABELS,
    _,
    labelled,
    language,
    ngettext,
    platform_label,
)
from console.stored import stored_text

HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}


class _NoBytes(dict):  # type: ignore[type-arg]
    """Picture bytes for a page that only names its pictures (they lie beside it)."""

    def __missing__(self, key: str) -> bytes:
        return b""


def frame_words(channel: str) -> FrameWords:
    """What a preview frame says around the variant, in the reader's language."""
    return FrameWords(
        label=platform_label(channel),
        card=_("push message card"),
        card_note=_("↑ the push message card　↓ the article once opened"),
        cover=_("cover"),
        picture=_("picture {n}", n="{n}"),
        pictures=_("{n} pictures", n="{n}"),
    )


def facts(payload: Mapping[str, Any]) -> Facts:
    """A stored variant's lengths and problems, in words."""
    return Facts(
        label=platform_label(payload["channel"]),
        hash_label=_("content hash"),
        measures=[
            {
                "field": labelled(MEASURE_LABELS, m["field"]),
                "value": m["value"],
                "limit": m["limit"],
                "unit": labelled(UNIT_LABELS, m["unit"]),
                "over": m["limit"] is not None and m["value"] > m["limit"],
            }
            for m in payload["measures"]
        ],
        problems=[
            {"field": labelled(MEASURE_LABELS, v["field"]), "message": stored_text(v["message"])}
            for v in payload["violations"]
        ],
    )


def write_pages(
    written: Mapping[str, Any],
    *,
    draft_id: int,
    number: int,
    title: str,
    accounts: Mapping[str, Target],
    now: datetime,
) -> str:
    """Write preview.html beside each channel's variant.json the flow wrote (``written``:
    what it returned), and index.html; returns the index's path."""
    entries = []
    for entry in written["channels"]:
        folder = Path(entry["dir"])
        payload = json.loads((folder / "variant.json").read_text("utf-8"))
        channel = payload["channel"]
        variant = Variant.from_payload(payload, _NoBytes())
        page = preview_html(
            variant,
            SPECS[channel],
            facts=facts(payload),
            account=accounts.get(channel),
            published=now,
            words=frame_words(channel),
        )
        (folder / "preview.html").write_text(page, "utf-8")
        count = len(payload["violations"])
        label = platform_label(channel)
        entries.append(
            {
                "channel": channel,
                "label": label,
                "href": entry["href"],
                "hash": entry["hash"],
                "frame": _("{platform} preview", platform=label),
                "problems": ngettext("{n} problem", "{n} problems", count) if count else "",
            }
        )
    index = Path(written["out"]) / "index.html"
    heading = _("Draft {id} version {version}: {title}", id=draft_id, version=number, title=title)
    page = index_html(entries, title=heading, lang=HTML_LANG.get(language(), "zh-CN"))
    index.write_text(page, "utf-8")
    return str(index)
