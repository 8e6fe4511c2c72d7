"""Simulate input slips in correct text and count how many the 错敏 checker finds.

The held-out part of the labelled corpus says how the checker fares on errors it was not
written against, but only as counts. This gives a second, larger measure of the commonest
kind of error, a same-sound slip of the pinyin input method, without reading the held-out
part: in each clean paragraph of the tuning part, up to three common words (jieba 0.42.1,
from ``make_homophone_typos.MIN_WORD_FREQ``, no names) each get one character replaced by
one of the eight most frequent common characters of its reading, when the result is no
word itself; each slip is a text of its own. The slips of one seed are always the same.

Two steps, as the generator's tools are not the project's dependencies::

    pip install jieba==0.42.1 pypinyin==0.55.0          # beside make_homophone_typos.py
    python tests/data/proofread/simulate_slips.py make --seed 7 > slips.jsonl
    .venv/bin/python tests/data/proofread/simulate_slips.py check slips.jsonl

``check`` prints how many slips a confusable finding covers (with ``--missed``, the slips
it missed too, with a few characters around them). Bias to keep in mind: the tuning part's
clean text is the generator's genre text, so its words' slips are counted higher there,
and no generated slip occurs in it; the simulation is a measure of change from one version
to the next, not of recall on unseen text, and says nothing of false warnings: measure
those on correct text the checker has not seen.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SLIPS_PER_PARAGRAPH = 3
SUBSTITUTES = 8  # the most frequent characters of the reading an input method offers


def make(seed: int) -> list[dict[str, object]]:
    import jieba
    from pypinyin import Style, lazy_pinyin

    sys.path.insert(0, str(HERE))
    import make_homophone_typos as gen

    found = gen.sources()  # jieba cuts at the words of official prose too
    words, by_reading = found.words, found.by_reading
    corpus = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    slips: list[dict[str, object]] = []
    for item in corpus:
        if item["part"] != "tuning" or not item.get("clean"):
            continue
        text = item["clean"]
        candidates = [
            (w, s, e)
            for w, s, e in jieba.tokenize(text, HMM=False)
            if 2 <= len(w) <= 4 and gen._CJK.match(w) and w in words
            and words[w][0] >= gen.MIN_WORD_FREQ and words[w][1] not in gen.SKIP_POS
        ]  # fmt: skip
        rng.shuffle(candidates)
        for word, start, end in candidates[:SLIPS_PER_PARAGRAPH]:
            readings = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
            i = rng.randrange(len(word))
            offered = [c for c in by_reading.get(readings[i], []) if c != word[i]]
            if not offered:
                continue
            slip = word[:i] + rng.choice(offered[:SUBSTITUTES]) + word[i + 1 :]
            if slip in words:
                continue
            slips.append(
                {
                    "id": item["id"],
                    "text": text[:start] + slip + text[end:],
                    "start": start,
                    "end": end,
                    "word": word,
                    "slip": slip,
                }
            )
    return slips


def check(path: Path, *, show_missed: bool = False) -> None:
    sys.path.insert(0, str(ROOT))
    from domain.proofread import Checker

    checker = Checker.default()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    missed = []
    for row in rows:
        start, end = row["start"], row["end"]
        if not any(
            f.category == "confusable" and f.start < end and f.end > start
            for f in checker.check(row["text"])
        ):
            missed.append(row)
    print(f"{len(rows)} slips, {len(rows) - len(missed)} found, {len(missed)} missed")
    for row in missed if show_missed else ():
        text, start, end = row["text"], row["start"], row["end"]
        print(f"  {row['word']} → {row['slip']}: {text[max(0, start - 4) : end + 4]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("make", help="write the slips of a seed as JSON lines")
    made.add_argument("--seed", type=int, default=7)
    checked = commands.add_parser("check", help="count the slips the checker finds")
    checked.add_argument("slips", type=Path)
    checked.add_argument("--missed", action="store_true", help="list the slips not found")
    args = parser.parse_args()
    if args.command == "make":
        for row in make(args.seed):
            print(json.dumps(row, ensure_ascii=False))
    else:
        check(args.slips, show_missed=args.missed)


if __name__ == "__main__":
    main()
