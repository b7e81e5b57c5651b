"""Precision and recall of patent classification on the shipped labelled patents.

``patents/data/labelled_patents.yaml``: patent-style titles and abstracts written for the
purpose, each with its IPC symbols and the segments it belongs to (none for 30 patents
outside the nine industries); its ``provenance`` says how it was written.

Per industry *i*, over items, with P the predicted (confirmed) and T the labelled segments
of the industry: precision = Σ|P ∩ T| / Σ|P|, recall = Σ|P ∩ T| / Σ|T| (micro averages; an
industry nothing was predicted for has precision ``None``). Evidence modes: ``ipc`` (the
concordance alone), ``text`` (title and abstract alone) and ``combined`` (both, as stored).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from jingjinji.atlas import Atlas
from jingjinji.patents.classify import patent_classifier_for

__all__ = ["MODES", "evaluate_labelled", "load_labelled"]

MODES = ("ipc", "text", "combined")


def load_labelled() -> dict[str, Any]:
    """The labelled set: ``{provenance, items: [{title, abstract, ipc, segments, industry}]}``."""
    path = resources.files("jingjinji.patents") / "data" / "labelled_patents.yaml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def _ratio(hit: int, total: int) -> float | None:
    return hit / total if total else None


def evaluate_labelled(atlas: Atlas, *, mode: str = "combined") -> dict[str, Any]:
    """Precision and recall per industry and overall (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    classifier = patent_classifier_for(atlas)
    industry_of = {s.slug: i.slug for i in atlas.industries for s in i.segments}
    data = load_labelled()
    counts: dict[str, list[int]] = {i.slug: [0, 0, 0, 0] for i in atlas.industries}
    for item in data["items"]:
        title = item["title"] if mode != "ipc" else ""
        abstract = item.get("abstract", "") if mode != "ipc" else ""
        codes = item.get("ipc", []) if mode != "text" else []
        predicted = {
            m.segment
            for m in classifier.classify(title, abstract, codes)
            if m.decision == "confirmed"
        }
        truth = set(item.get("segments") or [])
        for industry, row in counts.items():
            p = {s for s in predicted if industry_of[s] == industry}
            t = {s for s in truth if industry_of.get(s) == industry}
            row[0] += len(p & t)
            row[1] += len(p)
            row[2] += len(t)
            row[3] += bool(t)
    industries = {
        industry: {
            "precision": _ratio(hit, shown),
            "recall": _ratio(hit, labelled),
            "items": items,
        }
        for industry, (hit, shown, labelled, items) in counts.items()
    }
    hits = sum(row[0] for row in counts.values())
    predictions = sum(row[1] for row in counts.values())
    truths = sum(row[2] for row in counts.values())
    return {
        "mode": mode,
        "items": len(data["items"]),
        "industries": industries,
        "overall": {"precision": _ratio(hits, predictions), "recall": _ratio(hits, truths)},
        "provenance": data.get("provenance", {}),
    }
