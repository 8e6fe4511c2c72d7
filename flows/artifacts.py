"""Previews attached to Prefect flow runs as artifacts, so whoever looks at a run in the
Prefect UI sees what each platform will get."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows import steps

HTML_FIELDS = ("article_html", "content", "html")


def _key(draft_id: int, number: int, what: str) -> str:
    return f"draft-{draft_id}-v{number}-{what}"


def attach_previews(draft_id: int, number: int, payloads: Sequence[dict[str, Any]]) -> None:
    """A table of every variant's lengths against its limits, and the variants' text."""
    rows = steps.preview_rows(payloads)
    create_table_artifact(
        key=_key(draft_id, number, "lengths"),
        table=[{k: ("" if v is None else v) for k, v in row.items()} for row in rows],
        description=f"Draft {draft_id} version {number}: each variant's lengths against the "
        "platform's limits, and what blocks it.",
    )
    parts = [f"# Draft {draft_id}, version {number}: what each platform gets\n"]
    for payload in payloads:
        parts.append(f"## {payload['channel']}\n")
        for name, value in sorted(payload["fields"].items()):
            if name in HTML_FIELDS:
                value = f"({len(value)} characters of HTML)"
            parts.append(f"- **{name}**: {value}")
        for image in payload["images"]:
            parts.append(
                f"- picture `{image['filename']}` {image['width']}×{image['height']}, "
                f"{image['bytes']:,} bytes"
            )
        for v in payload["violations"]:
            parts.append(f"- ⚠ **{v['field']}** ({v['code']}): {v['message']}")
        parts.append("")
    create_markdown_artifact(
        key=_key(draft_id, number, "variants"),
        markdown="\n".join(parts),
        description=f"Draft {draft_id} version {number}: the rendered variants.",
    )
