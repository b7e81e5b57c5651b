"""Evaluate the classifier on registry-style enterprise records (经营范围 in standard wording).

    .venv/bin/python benchmarks/registry_eval.py [--csv tests/chains/data/registry_labelled.csv]

The labelled set (hand-written for evaluation, fictitious names) has positives of the nine
industries — half with a GB/T 4754 industry code, half without — and hard negatives whose
scopes sound close to a chain but are not on it (物业消防维保, 药品零售, 电力施工 …). A record
is put on the map for an industry when the classifier confirms a segment of that industry.

Per industry: precision, recall and F1 at the industry level, in three runs:

* ``codes given``: every record with its industry code, as exported;
* ``coded records``: only the records that carry a code (the coded half of the positives and
  the coded negatives), with their codes;
* ``scope alone``: every record with the code removed.

Plus the share of hard negatives put on the map (any confirmed segment) in each run.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jingjinji.atlas import load_atlas
from jingjinji.chains import Classifier, classifier_for

DATA = Path(__file__).resolve().parent.parent / "tests" / "chains" / "data"
LABELLED = DATA / "registry_labelled.csv"
RUNS = ("codes given", "coded records", "scope alone")


@dataclass
class Scores:
    """Industry-level counts of one run; ``negatives_on_map`` lists hard-negative ids."""

    industries: list[str]
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    negatives: int = 0
    negatives_on_map: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def precision(self, industry: str) -> float:
        """TP / (TP + FP), 0 when nothing was predicted."""
        tp, fp = self.tp.get(industry, 0), self.fp.get(industry, 0)
        return tp / (tp + fp) if tp + fp else 0.0

    def recall(self, industry: str) -> float:
        """TP / (TP + FN), 0 when the industry has no positives."""
        tp, fn = self.tp.get(industry, 0), self.fn.get(industry, 0)
        return tp / (tp + fn) if tp + fn else 0.0

    def f1(self, industry: str) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision(industry), self.recall(industry)
        return 2 * p * r / (p + r) if p + r else 0.0

    def macro_f1(self) -> float:
        """Mean F1 over the industries."""
        return sum(self.f1(i) for i in self.industries) / len(self.industries)

    def negative_rate(self) -> float:
        """Share of hard negatives with a confirmed segment."""
        return len(self.negatives_on_map) / self.negatives if self.negatives else 0.0


def load_rows(path: Path = LABELLED) -> list[dict[str, str]]:
    """The labelled records: ``id, name, scope, industry_code, industry`` (empty = negative)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def confirmed_industries(classifier: Classifier, record: Mapping[str, str | None]) -> set[str]:
    """Industries with at least one confirmed segment for the record."""
    return {
        match.industry
        for match in classifier.classify(record, include_rejected=False)
        if match.decision == "confirmed"
    }


def evaluate(
    rows: Iterable[Mapping[str, str]],
    classifier: Classifier,
    industries: Sequence[str],
    *,
    use_codes: bool = True,
    coded_only: bool = False,
) -> Scores:
    """Industry-level scores of ``classifier`` on ``rows`` (see the module docstring)."""
    scores = Scores(industries=list(industries))
    for row in rows:
        code = row.get("industry_code") or ""
        if coded_only and not code:
            continue
        record = {"name": row["name"], "scope": row["scope"]}
        if use_codes and code:
            record["industry_code"] = code
        predicted = confirmed_industries(classifier, record)
        truth = row.get("industry") or ""
        if not truth:
            scores.negatives += 1
            if predicted:
                scores.negatives_on_map.append(f"{row['id']}:{'|'.join(sorted(predicted))}")
        elif truth in predicted:
            scores.tp[truth] = scores.tp.get(truth, 0) + 1
        else:
            scores.fn[truth] = scores.fn.get(truth, 0) + 1
            scores.misses.append(row["id"])
        for industry in predicted - {truth}:
            scores.fp[industry] = scores.fp.get(industry, 0) + 1
    return scores


def run_all(
    rows: Sequence[Mapping[str, str]], classifier: Classifier, industries: Sequence[str]
) -> dict[str, Scores]:
    """The three runs of the module docstring, by name."""
    return {
        "codes given": evaluate(rows, classifier, industries),
        "coded records": evaluate(rows, classifier, industries, coded_only=True),
        "scope alone": evaluate(rows, classifier, industries, use_codes=False),
    }


def format_report(runs: Mapping[str, Scores]) -> str:
    """A plain-text table: precision / recall / F1 per industry and run, negatives on map."""
    names = list(runs)
    industries = runs[names[0]].industries
    header = f"{'industry':22s}" + "".join(f" | {name:^20s}" for name in names)
    lines = [header, f"{'':22s}" + " |   P     R     F1  " * len(names), "-" * len(header)]
    for industry in industries:
        cells = "".join(
            f" | {s.precision(industry):.2f}  {s.recall(industry):.2f}  {s.f1(industry):.2f} "
            for s in runs.values()
        )
        lines.append(f"{industry:22s}{cells}")
    lines.append(f"{'macro F1':22s}" + "".join(f" | {s.macro_f1():^20.3f}" for s in runs.values()))
    lines.append(
        f"{'hard negatives on map':22s}"
        + "".join(
            f" | {len(s.negatives_on_map):>3d}/{s.negatives:<3d} = {s.negative_rate():5.1%}   "
            for s in runs.values()
        )
    )
    for name, scores in runs.items():
        lines.append(f"{name}: missed {', '.join(scores.misses) or '-'}")
        lines.append(f"{name}: negatives on map {', '.join(scores.negatives_on_map) or '-'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=LABELLED)
    args = parser.parse_args(argv)
    atlas = load_atlas()
    rows = load_rows(args.csv)
    industries = [industry.slug for industry in atlas.industries]
    print(format_report(run_all(rows, classifier_for(atlas), industries)))


if __name__ == "__main__":
    main()
