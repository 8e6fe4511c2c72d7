"""The one message catalog people read, loaded by gettext: a leaf that imports nothing of
ours, so every layer that speaks to people can use it.

The catalog's files live with the faces that keep it (``console/locale/``, made by ``make
catalogs``); they are data, read here by path, not code. The console says everything
through :mod:`console.i18n`, which loads the catalog with :func:`catalog`; a flow that
speaks to people without a face — the notices the dispatcher sends to the organisation's
notification address in its ``notify_language`` — takes a :func:`translator` for that
language from here, and so uses the console's words without importing the console
(DESIGN.md: flows import only ``domain``, ``channels`` and ``sqlmodel_db``).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

DOMAIN = "matrixpub"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "console" / "locale"

Translate = Callable[..., str]


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (``zh_CN``, ``en``); message ids as they are when it has none."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translator(lang: str) -> Translate:
    """``_(message, **values)`` for one language: the message translated, then its
    ``{name}`` fields filled from ``values``."""
    found = catalog(lang)

    def _(message: str, /, **values: Any) -> str:
        text = found.gettext(message)
        return text.format(**values) if values else text

    return _
