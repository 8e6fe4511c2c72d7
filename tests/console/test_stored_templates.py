"""Each template of console.stored is the wording of a text some producer writes: the
start of the longest literal piece of every template stands in the source of sqlmodel_db,
channels, flows, domain or the console's actions. A producer reworded without its template
would make stored texts fall back to English unnoticed; this fails first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.stored import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "\n".join(
    path.read_text("utf-8")
    for folder in ("sqlmodel_db", "channels", "flows", "domain", "console")
    for path in sorted((ROOT / folder).rglob("*.py"))
    if path.name not in ("stored.py", "i18n.py")
)
# The source as one run of text: string literals split over lines joined again.
JOINED = re.sub(r'"\s*\n\s*f?"', "", SOURCE)


def _longest_piece(template: str) -> str:
    """The start of its longest piece between values: a producer may build the rest from
    parts of its own."""
    piece = max(re.split(r"\{[^}]*\}", template), key=len).strip(" ()：:;,.")
    return piece[:30]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t[:40])
def test_each_template_is_a_producers_wording(template: str) -> None:
    piece = _longest_piece(template)
    assert piece in JOINED, f"no producer writes {piece!r} (from {template!r})"


def test_the_guard_sees_a_reworded_producer() -> None:
    template = next(t for t in TEMPLATES if t.startswith("the Weibo text counts"))
    piece = _longest_piece(template)
    reworded = JOINED.replace(piece, piece.replace("Shorten it", "Make it shorter"))
    assert piece in JOINED and piece not in reworded
