"""Measured quality on the labelled corpus (tests/data/proofread/corpus.json).

The corpus holds paragraphs in the style of culture-and-tourism bureau notices,
clean and with labelled errors (built by build_corpus.py). It is split once, by a
hash of each item's id with a fixed seed, into a tuning part and a held-out part;
a second held-out batch (ids 400-599), written blind after the first measurement,
and a third (ids 800-949), written blind after the tuning examples of tuning2.txt,
are held out whole.

A finding matches a label when it has the same category and an overlapping span.
A *false block* is a blocking finding that matches no label, in a clean paragraph
or an erroneous one: the failure that stops a correct draft at its gate.

* tuning part: recall >= 0.95, precision >= 0.9, no false block;
* held-out part: recall >= 0.95, no false block. Only counts per category are
  printed for it, so that the checker is mended by whole categories, never
  sentence by sentence.

The recall target is not met on the second and third held-out batches (written blind:
about four in five found since the generated input slips and the rules of 2026.12.4, most
misses being miswritings of everyday words that no list holds), so it is an expected failure,
strict: it fails the suite once it is met and the mark must go. What is met is asserted:
no false block anywhere (batch 3's first measurement had one, a former title told as
history with 时任, mended since by a rule for every such title), the first batch at the
target, and the held-out part no lower than measured (HELDOUT_FLOOR).
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from domain.proofread import Checker, default_lexicons, parse_lexicon

DATA = Path(__file__).parents[2] / "data" / "proofread"
MIN_RECALL = 0.95
MIN_PRECISION = 0.90
# Measured 0.859 on batches 1 and 2 after the category fixes (README); 0.809 once the third
# batch, written blind, was added (0.663 on its own); 0.844 with the generated input slips
# (batch 2 0.820, batch 3 0.712); 0.868 with the rules and lists of version 2026.12.4 (GB/T
# 15834 punctuation, numbers after the word that names them, the newsroom list in full;
# batch 2 0.826, batch 3 0.798); 0.875 with the generated idiom and other-tone slips and the
# rules and lists of 2026.12.7 (batch 1 0.972, batch 2 0.832, batch 3 0.808); 0.892 with the
# generated slips of 2026.12.8 (words from jieba frequency 100, the boundary risk counted only
# where the checker does not read it; confusable 113 -> 120 of 143); 0.900 with the rules of
# 2026.12.8 as well (港澳台 beside countries and the words of a state, GB/T 15835 numbers, more
# GB/T 15834 marks, claims of a scope and a superlative; batch 2 0.876, batch 3 0.837); still
# 0.900 with the rules of 2026.12.9 (slips made of common words read by their neighbours, 的/地/得,
# 个/各, 再/在, festivals and counted days, nested colons, more newsroom terms): they found none of
# the held-out misses, so the floor stays; still 0.900 with the lists and rules of 2026.12.10
# (68 more miswritten idioms and words, a miswritten idiom read whole, the whole-word homophones of
# the commonest words of official prose read by their neighbours, more 的/地/得): one more true
# finding on an error already found, no miss found, so the floor stays; 0.905 with the
# newsroom, GB/T 15834/15835 and Advertising-Law rules of 2026.12.10 as well (sovereignty 25 of
# 30, punctuation 33 of 36; batch 3 0.856); still 0.905 with the rules of 2026.12.11 (approximate
# numbers said twice, 共建“一带一路”国家, a whole quotation's end mark without a comma inside, lists
# parted by commas): they found none of the held-out misses; 0.910 with the generated slips of
# 2026.12.11 (the words of official prose, set phrases with a word of the same sound, a split
# two-character slip read only where its other character makes a word too) and the rest of
# 2026.12.11 (confusable 122 of 143, batch 2 0.888; precision 0.874); 0.912 with the lists and
# rules of 2026.12.16 (confusable 123 of 143, batch 2 0.894; precision 0.877) and 2026.12.17
# (the same; precision 0.920, 20 fewer findings that are no labelled error); 0.917 with the
# rules of 2026.12.18 (punctuation 34 of 36, date 34 of 36; batch 3 0.875; precision 0.920);
# 0.919 with the generated slips of 2026.12.19 (idioms that jieba tags otherwise, idioms in
# another tone; confusable 124 of 143, batch 2 0.901; precision 0.920); 0.924 and 0.929 with
# 2026.12.27 and 2026.12.28; 0.934 with 2026.12.29 (首屈一指 listed from blind set AJ, 婉蜒
# from AK: batch 2 0.925; precision 0.944); still 0.934 with 2026.12.30 (the rules and lists
# of twelve blind sets, AM to AX: none of the held-out misses is of their kinds; precision
# 0.948). The floor is what is measured, so no regression.
HELDOUT_FLOOR = 0.932  # 382 of 409 (0.934)
CATEGORIES = {
    "outdated_name", "sovereignty", "usage", "absolute_term", "confusable", "name_title",
    "personal_data", "date", "punctuation",
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_corpus", DATA / "build_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


@dataclass
class Score:
    labels: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    findings: int = 0
    true_findings: int = 0
    missed: list[tuple] = field(default_factory=list)
    false: list[tuple] = field(default_factory=list)
    false_blocks: list[tuple] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / sum(self.labels.values())

    @property
    def precision(self) -> float:
        return self.true_findings / self.findings if self.findings else 1.0

    def per_category(self) -> str:
        return "  ".join(f"{c} {self.found[c]}/{n}" for c, n in sorted(self.labels.items()))


def score(items: list[dict], checker: Checker) -> Score:
    s = Score()
    for item in items:
        # Precision counts the clean paragraphs too: anything found there is false.
        for text, errors in ((item["text"], item["errors"]), (item["clean"], [])):
            result = checker.check(text)
            for f in result:
                assert text[f.start : f.end] == f.text
            s.findings += len(result)
            for f in result:
                if any(_matches(f, e) for e in errors):
                    s.true_findings += 1
                    continue
                s.false.append((item["id"], f.category, f.text, f.message))
                if f.blocking:
                    s.false_blocks.append((item["id"], f.category, f.text))
            for e in errors:
                s.labels[e["category"]] += 1
                if any(_matches(f, e) for f in result):
                    s.found[e["category"]] += 1
                else:
                    s.missed.append((item["id"], e["category"], e["text"]))
    return s


def test_corpus_is_big_enough(corpus: list[dict]) -> None:
    labels = [e for item in corpus for e in item["errors"]]
    assert len(corpus) >= 200
    assert len(labels) >= 380
    assert set(Counter(e["category"] for e in labels)) == CATEGORIES
    for item in corpus:
        for e in item["errors"]:
            assert item["text"][e["start"] : e["end"]] == e["text"]
    heldout = [item for item in corpus if item["part"] == "heldout"]
    assert len(heldout) >= 60
    assert sum(len(item["errors"]) for item in heldout) >= 100
    assert {e["category"] for item in heldout for e in item["errors"]} == CATEGORIES


def test_the_split_is_the_seeded_hash_of_each_id(corpus: list[dict], builder: ModuleType) -> None:
    # Nobody moves an item from one part to the other: the part is a function of the id.
    assert [item["part"] for item in corpus] == [builder.part_of(item["id"]) for item in corpus]
    assert [item["batch"] for item in corpus] == [builder.batch_of(item["id"]) for item in corpus]
    assert builder.part_of(49) == "tuning"
    assert {builder.part_of(i) for i in range(50, 90)} == {"tuning", "heldout"}
    # The second held-out batch is held out whole.
    second = [item for item in corpus if item["id"] in builder.HELDOUT2_IDS]
    assert len(second) >= 120
    assert {(item["part"], item["batch"]) for item in second} == {("heldout", 2)}
    # So is the third, written blind after the tuning examples of tuning2.txt.
    third = [item for item in corpus if item["id"] in builder.HELDOUT3_IDS]
    assert len(third) >= 120
    assert {(item["part"], item["batch"]) for item in third} == {("heldout", 3)}


def test_tuning_part(corpus: list[dict], checker: Checker) -> None:
    s = score([item for item in corpus if item["part"] == "tuning"], checker)
    print(f"\ntuning: {sum(s.labels.values())} labelled errors, {s.findings} findings")
    print(f"recall {s.recall:.3f}  precision {s.precision:.3f}  false blocks {len(s.false_blocks)}")
    print(f"per category {s.per_category()}")
    for row in s.missed:
        print("  missed:", row)
    for row in s.false:
        print("  false: ", row)
    recall, precision, false_blocks = s.recall, s.precision, s.false_blocks
    assert recall >= MIN_RECALL, f"recall {recall:.3f} < {MIN_RECALL}"
    assert precision >= MIN_PRECISION, f"precision {precision:.3f} < {MIN_PRECISION}"
    assert false_blocks == []


def heldout_score(corpus: list[dict], checker: Checker) -> Score:
    for batch in (1, 2, 3):
        b = score([item for item in corpus if item["batch"] == batch], checker)
        print(
            f"\nheld-out batch {batch}: {sum(b.labels.values())} labelled errors, recall "
            f"{b.recall:.3f}, false blocks {len(b.false_blocks)}; per category {b.per_category()}"
        )
    s = score([item for item in corpus if item["part"] == "heldout"], checker)
    # Plain numbers and per-category counts only, in the output and in the assertions.
    missed = dict(Counter(category for _, category, _ in s.missed))
    blocks = dict(Counter(category for _, category, _ in s.false_blocks))
    recall, false_blocks = s.recall, len(s.false_blocks)
    print(f"\nheld-out: {sum(s.labels.values())} labelled errors, {s.findings} findings")
    print(f"recall {recall:.3f}  precision {s.precision:.3f}  false blocks {false_blocks}")
    print(f"per category {s.per_category()}")
    print(f"missed {missed}; false blocks {blocks}")
    return s


def test_heldout_part_holds_what_it_has_reached(corpus: list[dict], checker: Checker) -> None:
    s = heldout_score(corpus, checker)
    first = score([item for item in corpus if item["batch"] == 1], checker)
    batch_of = {item["id"]: item["batch"] for item in corpus}
    by_batch = Counter(batch_of[item_id] for item_id, _, _ in s.false_blocks)
    # Batch 3's first measurement blocked one correct sentence (a former title told as
    # history with 时任); mended since by the rule for titles told as history (names.py).
    assert not by_batch, f"false blocks by batch {dict(by_batch)}"
    assert first.recall >= MIN_RECALL, f"batch 1 recall {first.recall:.3f} < {MIN_RECALL}"
    assert s.recall >= HELDOUT_FLOOR, f"recall {s.recall:.3f} < {HELDOUT_FLOOR}"


@pytest.mark.xfail(
    strict=True,
    reason="held-out recall 0.934 (batch 1 0.972; written blind: batch 2 0.925, batch 3 0.894) "
    "is below the 0.95 target",
)
def test_heldout_part_meets_the_target(corpus: list[dict], checker: Checker) -> None:
    s = heldout_score(corpus, checker)
    assert s.recall >= MIN_RECALL, f"recall {s.recall:.3f} < {MIN_RECALL}"
    assert len(s.false_blocks) == 0, f"{len(s.false_blocks)} false block(s)"


def test_the_corpus_json_is_what_the_builder_makes(corpus: list[dict], builder: ModuleType) -> None:
    # The JSON is fixed data, but it must stay in step with its readable sources.
    assert builder.build() == corpus
