"""Measured quality on the labelled corpus (tests/data/proofread/corpus.json).

The corpus holds clean paragraphs in the style of culture-and-tourism bureau
notices and the same paragraphs with injected, labelled errors (built by
build_corpus.py). A finding matches a label when it has the same category and
an overlapping span. The test fails below recall 0.95 or precision 0.9, and if a
clean paragraph yields any blocking finding.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from domain.proofread import Checker, default_lexicons, parse_lexicon

DATA = Path(__file__).parents[2] / "data" / "proofread"
MIN_RECALL = 0.95
MIN_PRECISION = 0.90


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checker() -> Checker:
    # The shipped lexicons, with the fictional names dictionary in place of the empty one.
    names = parse_lexicon((DATA / "name_title_sample.toml").read_text(encoding="utf-8"))
    lexicons = [lex for lex in default_lexicons() if lex.category != "name_title"]
    return Checker([*lexicons, names])


def _matches(finding, label: dict) -> bool:
    return (
        finding.category == label["category"]
        and finding.start < label["end"]
        and label["start"] < finding.end
    )


def test_corpus_is_big_enough(corpus: list[dict]) -> None:
    labels = [e for item in corpus for e in item["errors"]]
    assert len(corpus) >= 30
    assert len(labels) >= 80
    assert set(Counter(e["category"] for e in labels)) == {
        "outdated_name", "sovereignty", "absolute_term", "confusable", "name_title",
        "personal_data", "date", "punctuation",
    }  # fmt: skip
    for item in corpus:
        for e in item["errors"]:
            assert item["text"][e["start"] : e["end"]] == e["text"]


def test_recall_and_precision(corpus: list[dict], checker: Checker) -> None:
    labels = found_labels = 0
    findings = true_findings = 0
    missed, false = [], []
    per_category: Counter[str] = Counter()
    for item in corpus:
        # Precision counts the clean paragraphs too: anything found there is false.
        for text, errors in ((item["text"], item["errors"]), (item["clean"], [])):
            result = checker.check(text)
            for f in result:
                assert text[f.start : f.end] == f.text
            findings += len(result)
            for f in result:
                if any(_matches(f, e) for e in errors):
                    true_findings += 1
                else:
                    false.append((item["id"], f.category, f.text, f.message))
            for e in errors:
                labels += 1
                if any(_matches(f, e) for f in result):
                    found_labels += 1
                    per_category[e["category"]] += 1
                else:
                    missed.append((item["id"], e["category"], e["text"]))
    recall = found_labels / labels
    precision = true_findings / findings
    print(f"\ncorpus: {labels} labelled errors, {findings} findings")
    print(f"recall {recall:.3f}  precision {precision:.3f}  per category {dict(per_category)}")
    for row in missed:
        print("  missed:", row)
    for row in false:
        print("  false: ", row)
    assert recall >= MIN_RECALL, f"recall {recall:.3f} < {MIN_RECALL}: missed {missed}"
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} < {MIN_PRECISION}: {false}"


def test_clean_paragraphs_have_no_blocking_finding(corpus: list[dict], checker: Checker) -> None:
    blocking = [
        (item["id"], f.category, f.text)
        for item in corpus
        for f in checker.check(item["clean"])
        if f.severity == "block"
    ]
    assert blocking == []


def test_the_corpus_json_is_what_the_builder_makes(corpus: list[dict]) -> None:
    # The JSON is fixed data, but it must stay in step with its readable source.
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_corpus", DATA / "build_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == corpus
