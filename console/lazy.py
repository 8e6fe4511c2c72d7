"""Modules a command line face names at its top but loads only when a command uses them.

``matrixpub`` registers every command at start, so every module a command group names
at its top is imported by every command; a gate decision would pay for the channels
(Jinja2, Markdown, requests) that only the account commands use. :func:`lazy_module`
gives the module object at once and runs its code at the first attribute read.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, loaded when one of its attributes is first read (at once if
    it is loaded already)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
