"""Every finding of the whole 错敏 checker on fixed texts, recorded to hold speed work honest.

Making the checker faster must not change a single finding. This script computes
the findings of ``Checker.check`` as lists of tuples (every field of each finding)
over two fixed inputs, and records their digests in ``findings_snapshot.json``:

* ``bench``: the text and the lexicons of ``bench/proofread.py --mb 2`` (its 20,000
  generated terms included), built from the corpus items up to ``last_id``;
* ``corpus``: every corpus item up to ``last_id``, its erroneous and its clean
  paragraph, checked with the lexicons the corpus test uses.

``test_proofread_snapshot.py`` recomputes both and asserts they are byte-identical.

    .venv/bin/python tests/data/proofread/findings_snapshot.py            # compare
    .venv/bin/python tests/data/proofread/findings_snapshot.py --dump DIR # the tuples
    .venv/bin/python tests/data/proofread/findings_snapshot.py --record   # re-record

Re-record only for a change that is meant to change findings, and say so in its
commit; compare the ``--dump`` output of both versions first.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
SNAPSHOT = HERE / "findings_snapshot.json"
BENCH_MB = 2.0

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from domain.proofread import Checker, Finding, default_lexicons, parse_lexicon  # noqa: E402


def _bench_module() -> ModuleType:
    path = ROOT / "bench" / "proofread.py"
    spec = importlib.util.spec_from_file_location("bench_proofread", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _items(last_id: int) -> list[dict]:
    items = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))
    return [item for item in items if item["id"] <= last_id]


def as_tuples(findings: list[Finding]) -> list[tuple]:
    return [
        (f.category, f.severity, f.start, f.end, f.text, f.suggestion, f.message, f.rule)
        for f in findings
    ]


def bench_findings(last_id: int) -> list[tuple]:
    """The findings of the benchmark's checker over the benchmark's text (--mb 2)."""
    bench = _bench_module()
    items = _items(last_id)
    # The paragraphs in the order bench.corpus_paragraphs() gives them.
    paragraphs = [item["clean"] for item in items] + [item["text"] for item in items]
    rng = random.Random(bench.SEED)
    text = bench.make_text(paragraphs, BENCH_MB, rng)
    terms = bench.make_terms(paragraphs, rng)
    lexicons = [*default_lexicons(), bench.bench_lexicon(terms)]
    return as_tuples(Checker(lexicons).check(text))


def corpus_checker() -> Checker:
    """The corpus test's checker: shipped lists, the fictional names dictionary."""
    names = parse_lexicon((HERE / "name_title_sample.toml").read_text(encoding="utf-8"))
    lexicons = [lex for lex in default_lexicons() if lex.category != "name_title"]
    return Checker([*lexicons, names])


def corpus_findings(last_id: int) -> list[tuple]:
    """(id, which paragraph, *finding) for every finding in the corpus items."""
    checker = corpus_checker()
    rows = []
    for item in _items(last_id):
        for which in ("text", "clean"):
            rows.extend((item["id"], which, *t) for t in as_tuples(checker.check(item[which])))
    return rows


def digest(rows: list[tuple]) -> dict:
    blob = "\n".join(map(repr, rows)).encode("utf-8")
    rules = Counter(row[-1].split(":", 1)[0] for row in rows)
    return {
        "findings": len(rows),
        "by_category": dict(sorted(rules.items())),
        "sha256": hashlib.sha256(blob).hexdigest(),
    }


def compute(last_id: int) -> dict[str, list[tuple]]:
    return {"bench": bench_findings(last_id), "corpus": corpus_findings(last_id)}


def recorded() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="write findings_snapshot.json")
    parser.add_argument("--dump", type=Path, help="write the tuples, one a line, to DIR")
    parser.add_argument("--last-id", type=int, help="corpus items up to this id (on --record)")
    args = parser.parse_args()
    last_id = args.last_id or recorded()["last_id"]
    rows = compute(last_id)
    current = {"last_id": last_id, "bench_mb": BENCH_MB}
    current.update({name: digest(found) for name, found in rows.items()})
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for name, found in rows.items():
            lines = "".join(repr(row) + "\n" for row in found)
            (args.dump / f"{name}.txt").write_text(lines, encoding="utf-8")
    if args.record:
        SNAPSHOT.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", "utf-8")
        print(f"recorded {SNAPSHOT.name}: {json.dumps(current, ensure_ascii=False)}")
        return 0
    same = current == recorded()
    print("identical" if same else f"DIFFERENT: {json.dumps(current, ensure_ascii=False)}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
