"""What a command does before its own work: load the libraries and matrixpub's modules it
needs (most of a gate decision's time).

Loading makes a few hundred thousand objects (modules, classes, functions, tables), and
none of them is garbage; each pass of the cyclic garbage collector meanwhile walks them
all, for nothing (a twentieth of a decision's instructions). So the entry point holds the
collector off while a command loads (:func:`hold_collector`), and when the command is
about to run (:func:`command_starts`) what was loaded is set aside where the collector no
longer walks it (:func:`gc.freeze`: it lives as long as the process anyway), and the
collector runs again as usual, for the command's own work and for long-running commands
(``serve``, ``web``). A command that never starts (``--help``, bad usage) just exits.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

_held = False


def hold_collector() -> None:
    """Hold the cyclic garbage collector off until :func:`command_starts` (unless someone
    turned it off already: then it stays as they left it)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def command_starts() -> None:
    """The command is loaded and its options read: set what is loaded aside and let the
    collector run again. Does nothing where :func:`hold_collector` held nothing (the
    commands run in a test's own process, say)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


class Later:
    """A module loaded the first time one of its names is used: for a module most of a
    module's functions use but the commands people run most (a gate decision) never do.
    ``posts_db = Later("sqlmodel_db.posts")`` then ``posts_db.list_posts(...)``."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, loaded when first used>"
