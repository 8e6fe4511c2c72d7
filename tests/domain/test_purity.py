"""domain/ stays pure: importing it loads no framework or I/O library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = [
    "prefect",
    "sqlmodel",
    "sqlalchemy",
    "requests",
    "jinja2",
    "PIL",
    "fastapi",
    "typer",
    "alembic",
    "httpx",
]


def test_domain_imports_no_io_library() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import domain\n"
        "for m in pkgutil.walk_packages(domain.__path__, 'domain.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = [n for n in {FORBIDDEN!r} if n in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"domain imported: {out}"


def test_channels_never_touch_the_database() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import channels\n"
        "for m in pkgutil.walk_packages(channels.__path__, 'channels.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(','.join(n for n in ('sqlmodel', 'sqlmodel_db', 'sqlalchemy', 'prefect')"
        " if n in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"channels imported: {out}"
