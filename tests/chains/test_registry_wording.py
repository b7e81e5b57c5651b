"""Business scopes in standard registration wording (经营范围规范表述): the atlas registry terms,
the generic phrases, how the classifier weighs them, and measured quality on a labelled set.

The labelled set (``data/registry_labelled.csv``, hand-written for evaluation) is scored at
the industry level by ``benchmarks/registry_eval.py``: a record is on the map for an industry
when a segment of that industry is confirmed.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.atlas.loader import read_registry_generic
from jingjinji.chains import Classifier, classifier_for
from jingjinji.chains.classify import normalize_text

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "registry_labelled.csv"
#: Targets (issue 13): industry-level F1 per industry, and hard negatives on the map.
F1_WITH_CODE = 0.85
F1_SCOPE_ALONE = 0.75
MAX_NEGATIVES_ON_MAP = 0.15
#: Real brands and organisations the fictitious names must not use.
REAL_NAMES = ("恒瑞", "正泰", "航天", "中科", "海天", "华为", "长城", "比亚迪", "宁德", "中芯")


def _load_eval() -> ModuleType:
    path = ROOT / "benchmarks" / "registry_eval.py"
    spec = importlib.util.spec_from_file_location("registry_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


registry_eval = _load_eval()


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def clf(atlas: Atlas) -> Classifier:
    return classifier_for(atlas)


def _words(atlas: Atlas) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for industry in atlas.industries:
        for segment in industry.segments:
            for word in (*segment.keywords, *segment.synonyms):
                owners.setdefault(normalize_text(word), set()).add(segment.slug)
    return owners


# -- the data ---------------------------------------------------------------------------------


def test_every_industry_has_registry_terms_owned_by_one_segment(atlas: Atlas) -> None:
    terms = Counter(
        normalize_text(term)
        for industry in atlas.industries
        for segment in industry.segments
        for term in segment.registry_terms
    )
    assert [term for term, n in terms.items() if n > 1] == []
    for industry in atlas.industries:
        assert any(segment.registry_terms for segment in industry.segments), industry.slug
        assert "经营范围规范表述目录" in (industry.provenance.note or ""), industry.slug
    words = _words(atlas)
    for industry in atlas.industries:
        for segment in industry.segments:
            for term in segment.registry_terms:
                owners = words.get(normalize_text(term), {segment.slug})
                assert owners == {segment.slug}, (term, owners)


def test_generic_phrases_own_nothing_and_hide_no_registry_term(atlas: Atlas) -> None:
    generic = [normalize_text(p) for p in read_registry_generic(atlas.root)]
    assert len(generic) == len(set(generic)) >= 100
    assert "软件开发" in generic and "第二类医疗器械销售" in generic
    terms = {
        normalize_text(term)
        for industry in atlas.industries
        for segment in industry.segments
        for term in segment.registry_terms
    }
    words = _words(atlas)
    for phrase in generic:
        assert phrase not in words and phrase not in terms, phrase
        assert not [term for term in terms if term in phrase], phrase
    provenance = yaml.safe_load(
        (atlas.root / "classification" / "registry_generic.yaml").read_text()
    )
    assert "curated" in provenance["provenance"]["sources"]


def test_labelled_set_shape_and_names(atlas: Atlas) -> None:
    rows = registry_eval.load_rows(DATA)
    assert DATA.with_name("registry_labelled.source.yaml").is_file()
    by_industry = Counter(row["industry"] for row in rows)
    assert set(by_industry) - {""} == {industry.slug for industry in atlas.industries}
    assert by_industry[""] >= 40
    for slug in (industry.slug for industry in atlas.industries):
        coded = sum(1 for row in rows if row["industry"] == slug and row["industry_code"])
        assert by_industry[slug] >= 25, slug
        assert abs(2 * coded - by_industry[slug]) <= 2, slug  # about half carry a code
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert "某" in row["name"] and not any(real in row["name"] for real in REAL_NAMES), row
        assert "；" in row["scope"] and "项目" in row["scope"], row["id"]
        code = row["industry_code"]
        if code:
            assert re.fullmatch(r"[A-T]\d{4}", code), code
            assert code[1:] in atlas.gbt4754, code


# -- the classifier ---------------------------------------------------------------------------


def test_one_registry_term_confirms_its_segment(clf: Classifier) -> None:
    scope = "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；集成电路设计。"
    matches = clf.classify({"scope": scope})
    assert [(m.segment, m.decision) for m in matches] == [("ic-design-digital", "confirmed")]
    assert matches[0].evidence == [{"word": "集成电路设计", "field": "scope", "grade": "strong"}]
    # A keyword holding a registry term counts as one, for its own segment.
    analog = clf.classify({"scope": "模拟集成电路设计"})
    assert [(m.segment, m.decision) for m in analog] == [("ic-design-analog", "confirmed")]


def test_generic_phrases_confirm_nothing_and_shadow_keywords(clf: Classifier) -> None:
    scope = (
        "许可项目：药品零售；第三类医疗器械经营。一般项目：第二类医疗器械销售；软件开发；"
        "专用设备制造（不含许可类专业设备制造）；电子产品销售；货物进出口"
    )
    assert clf.classify({"scope": scope}) == []
    # 医疗器械经营 is a keyword (医药流通), but only inside the generic 第三类医疗器械经营.
    assert clf.classify({"scope": "医疗器械经营"})[0].segment == "bio-distribution"
    # The longer registry term beats the generic 软件开发 inside it.
    found = clf.classify({"scope": "网络与信息安全软件开发"})
    assert [m.decision for m in found] == ["confirmed"]


def test_registry_term_in_the_name_stays_a_hint(clf: Classifier) -> None:
    matches = clf.classify({"name": "某某工业机器人制造有限公司"})
    assert [(m.segment, m.decision) for m in matches] == [("robot-industrial", "rejected")]


def test_industry_code_still_adds_evidence(clf: Classifier) -> None:
    alone = clf.classify({"scope": "工业机器人制造"})[0]
    coded = clf.classify({"scope": "工业机器人制造", "industry_code": "C3491"})[0]
    assert coded.segment == alone.segment == "robot-industrial"
    assert coded.confidence > alone.confidence
    assert {"word": "3491", "field": "industry_code", "grade": "medium"} in coded.evidence
    # One scope keyword is uncertain; backed by the enterprise's code it is confirmed, and the
    # code goes to the segment the scope points to, not to the other segments listing it.
    keyword = clf.classify({"scope": "氢气循环泵的研发"})[0]
    backed = clf.classify({"scope": "氢气循环泵的研发", "industry_code": "3441"})
    assert keyword.decision == "uncertain"
    assert [(m.segment, m.decision) for m in backed] == [("hydrogen-fc-bop", "confirmed")]
    # A code alone, listed by several segments, stays rejected for all of them.
    assert all(m.decision == "rejected" for m in clf.classify({"industry_code": "C3441"}))


# -- quality on the labelled set --------------------------------------------------------------


def test_registry_wording_quality(atlas: Atlas, capsys: pytest.CaptureFixture[str]) -> None:
    rows = registry_eval.load_rows(DATA)
    industries = [industry.slug for industry in atlas.industries]
    runs = registry_eval.run_all(rows, Classifier(atlas), industries)
    with capsys.disabled():
        print("\n" + registry_eval.format_report(runs))
    for name in ("codes given", "coded records"):
        low = {i: round(runs[name].f1(i), 3) for i in industries if runs[name].f1(i) < F1_WITH_CODE}
        assert low == {}, name
    scope = runs["scope alone"]
    low = {i: round(scope.f1(i), 3) for i in industries if scope.f1(i) < F1_SCOPE_ALONE}
    assert low == {}
    for name, scores in runs.items():
        assert scores.negative_rate() <= MAX_NEGATIVES_ON_MAP, (name, scores.negatives_on_map)
