"""The checker's findings on fixed texts stay byte-identical (see findings_snapshot.py).

Speed work on the checker must change no finding: this test recomputes every finding
over the benchmark's text and the corpus, as tuples of all their fields, and compares
their digests with the recorded ones.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

DATA = Path(__file__).parents[2] / "data" / "proofread"


@pytest.fixture(scope="module")
def snapshot() -> ModuleType:
    path = DATA / "findings_snapshot.py"
    spec = importlib.util.spec_from_file_location("findings_snapshot", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["bench", "corpus"])
def test_findings_are_the_recorded_ones(snapshot: ModuleType, name: str) -> None:
    recorded = snapshot.recorded()
    compute = {"bench": snapshot.bench_findings, "corpus": snapshot.corpus_findings}[name]
    rows = compute(recorded["last_id"])
    assert snapshot.digest(rows) == recorded[name], (
        "the findings changed; compare `findings_snapshot.py --dump DIR` of both versions"
    )
