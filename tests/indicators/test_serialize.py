"""The JSON form of an evaluation, its method digest and the shipped-panel registry."""

from __future__ import annotations

import doctest
import io
import json

import pytest
from openpyxl import load_workbook

from jingjinji.indicators import evaluate, load_system, sample_panel, serialize, shipped
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.serialize import (
    method_digest,
    method_parameters,
    result_from_dict,
    result_to_dict,
)
from jingjinji.indicators.shipped import SHIPPED_PANELS, shipped_panel

HQD = "high_quality_development"


@pytest.mark.parametrize("module", [serialize, shipped])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("coupling", ["dimensions", "places", None])
def test_round_trip_keeps_index_ranks_weights_and_coupling(coupling: str | None) -> None:
    result = evaluate(sample_panel(), HQD, aggregation="topsis", coupling=coupling)
    data = result_to_dict(result)
    assert json.loads(json.dumps(data)) == data  # JSON-ready
    back = result_from_dict(data)
    assert (back.index - result.index).abs().max() < 1e-6
    assert back.ranks.equals(result.ranks)
    assert (back.sub_scores - result.sub_scores).abs().max().max() < 1e-6
    assert (back.weights - result.weights).abs().max().max() < 1e-6
    if coupling is None:
        assert back.coupling is None
    else:
        assert back.coupling is not None and result.coupling is not None
        assert (back.coupling["D"] - result.coupling["D"]).abs().max() < 1e-6
        assert back.coupling["level"].tolist() == result.coupling["level"].tolist()
    assert back.is_sample and back.input_digest == result.input_digest
    book = load_workbook(io.BytesIO(result_workbook(back)), read_only=True)
    assert len(list(book["综合指数"].iter_rows(min_row=2))) == len(result.index)


def test_per_year_weights_round_trip_with_year_scopes() -> None:
    result = evaluate(sample_panel(), HQD, scope="per_year")
    data = result_to_dict(result)
    assert data["weights"]["scopes"][0] == "2012"
    assert list(result_from_dict(data).weights.index) == list(result.weights.index)


def test_method_digest_depends_on_every_parameter_and_the_system() -> None:
    system = load_system(HQD)
    base = dict(
        weighting="entropy", aggregation="weighted_sum", scope="pooled", fill=None, coupling=None
    )
    digest = method_digest(method_parameters(system, **base))
    assert digest == method_digest(method_parameters(load_system(HQD), **base))
    for key, value in (
        ("weighting", "critic"),
        ("aggregation", "topsis"),
        ("scope", "per_year"),
        ("fill", "linear"),
        ("coupling", "places"),
    ):
        assert method_digest(method_parameters(system, **{**base, key: value})) != digest
    other = load_system("collaborative_innovation")
    assert method_digest(method_parameters(other, **base)) != digest


def test_shipped_panels_fit_their_systems() -> None:
    for panel in SHIPPED_PANELS.values():
        system = load_system(panel.system)
        assert set(system.indicator_ids) <= set(panel.load().indicators)
        assert panel.is_sample == panel.load().is_sample
    assert "示例数据" in SHIPPED_PANELS["sample"].label
    with pytest.raises(KeyError, match="sample"):
        shipped_panel("nope")
