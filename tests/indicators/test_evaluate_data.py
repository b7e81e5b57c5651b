"""evaluate() on the sample and the real province panel; shipped data and facts."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from jingjinji.indicators import (
    PanelError,
    entropy_weights,
    evaluate,
    load_system,
    monitor,
    normalize,
    sample_panel,
    topsis,
)
from jingjinji.indicators.datasets import (
    data_dir,
    dual_ten_panel,
    innovation_panel,
    jjj_comparison,
    load_city_population,
    load_facts,
    load_province_panel,
    provenance,
)
from jingjinji.indicators.places import JJJ_CITIES

HQ = load_system("high_quality_development")


def test_sample_panel_is_deterministic_and_labelled() -> None:
    a, b = sample_panel(), sample_panel()
    pd.testing.assert_frame_equal(a.data, b.data)
    assert a.is_sample and a.provenance == "demo"
    assert a.places == sorted(JJJ_CITIES)
    assert a.years == list(range(2012, 2024))
    assert set(a.indicators) == set(HQ.indicator_ids)
    wide = a.wide()
    assert (
        wide.loc[("110000", 2012), "gdp_per_capita"] > wide.loc[("131100", 2012), "gdp_per_capita"]
    )
    assert (wide["urbanization_rate"].between(30, 95)).all()
    assert not sample_panel(seed=1).data.equals(a.data)


def test_evaluate_pooled_entropy_topsis_matches_the_parts() -> None:
    panel = sample_panel()
    r = evaluate(panel, HQ, aggregation="topsis", coupling="dimensions")
    x = panel.wide(HQ.indicator_ids)
    w = entropy_weights(x, HQ.directions)
    np.testing.assert_allclose(r.weights.loc["pooled"].to_numpy(), w.to_numpy())
    z = normalize(x, HQ.directions)
    expected = topsis(z, w)
    np.testing.assert_allclose(r.index.to_numpy(), expected.to_numpy())
    assert r.is_sample
    assert r.ranks.xs(2023, level="year").sort_values().index[0] == "110000"
    assert set(r.coupling.columns) == {"C", "T", "D", "level", "grade"}  # type: ignore[union-attr]
    assert r.dimension_weights.sum(axis=1).iloc[0] == pytest.approx(1.0)
    assert len(r.input_digest) == 64


def test_weighted_sum_index_is_sum_of_weighted_subscores() -> None:
    r = evaluate(sample_panel(), HQ)
    dw = r.dimension_weights.loc["pooled"]
    recombined = (r.sub_scores * dw).sum(axis=1)
    np.testing.assert_allclose(recombined.to_numpy(), r.index.to_numpy())


def test_per_year_scope_and_coupling_between_places() -> None:
    r = evaluate(sample_panel(), HQ, scope="per_year", coupling="places", weighting="critic")
    assert list(r.weights.index) == list(range(2012, 2024))
    assert r.weights.sum(axis=1).to_numpy() == pytest.approx(np.ones(12))
    assert r.coupling is not None and list(r.coupling.index) == list(range(2012, 2024))
    with pytest.raises(ValueError, match="weighting must be one of"):
        evaluate(sample_panel(), HQ, weighting="magic")
    with pytest.raises(ValueError, match="weighting='fixed' needs weights"):
        evaluate(sample_panel(), HQ, weighting="fixed")


def test_evaluate_refuses_a_panel_missing_an_indicator() -> None:
    panel = sample_panel().select(indicators=HQ.indicator_ids[:-1])
    with pytest.raises(
        PanelError, match="indicator 'debt_ratio' of the system is not in the panel"
    ):
        evaluate(panel, HQ)


def test_collaborative_innovation_runs_on_the_real_panel() -> None:
    r = evaluate(innovation_panel(), "collaborative_innovation", fill="linear")
    assert not r.is_sample
    # the source lacks 2017 high-tech figures for all provinces, and Beijing's 2012
    # enterprise R&D funds: 31 * 2 + 1 interpolated cells, reported
    in_2017 = r.filled[r.filled["year"] == 2017]
    assert set(in_2017["indicator"]) == {"hitech_enterprises", "hitech_revenue"}
    assert len(in_2017) == 62
    others = r.filled[r.filled["year"] != 2017]
    assert others[["place", "year", "indicator"]].values.tolist() == [
        ["110000", 2012, "enterprise_rd_funds_share"]
    ]
    ranks_2023 = r.ranks.xs(2023, level="year")
    assert len(ranks_2023) == 31
    assert ranks_2023["110000"] < ranks_2023["120000"]
    assert ranks_2023["110000"] < ranks_2023["130000"]


def test_ratios_quoted_by_the_seed_documents() -> None:
    """seed 001: R&D intensity 2019 Beijing 6.31% "6 × Hebei"; patents granted 2.3 ×;
    invention patents granted 10.4 ×. The NBS panel confirms the patents; for the R&D
    intensity it gives 6.31% against 1.61%, i.e. 3.9 ×, not 6 ×."""
    table = jjj_comparison(2019)
    assert table.loc["rd_intensity", "北京市"] == 6.31
    assert table.loc["rd_intensity", "河北省"] == 1.61
    assert table.loc["rd_intensity", "北京/河北"] == pytest.approx(3.92, abs=0.01)
    assert table.loc["patents_granted", "北京市"] == 131716
    assert table.loc["patents_granted", "北京/河北"] == pytest.approx(2.28, abs=0.01)
    assert table.loc["patents_granted_invention", "北京市"] == 53127
    assert table.loc["patents_granted_invention", "北京/河北"] == pytest.approx(10.36, abs=0.01)
    assert table.loc["rd_funds", "京津冀占全国(%)"] == pytest.approx(14.74, abs=0.01)


def test_province_panel_spot_checks_and_cleaning() -> None:
    df = load_province_panel().data

    def value(place: str, year: int, ind: str) -> float:
        row = df[(df.place == place) & (df.year == year) & (df.indicator == ind)]
        assert len(row) == 1
        return float(row["value"].iloc[0])

    assert value("110000", 2023, "rd_funds") == 2947.1
    assert value("110000", 2023, "rd_intensity") == 6.73
    assert value("130000", 2022, "rd_funds") == 848.9
    assert value("110000", 2022, "patents_granted") == 202722
    assert value("360000", 2015, "patents_valid") == 51824  # "江四" in the source
    assert set(df["place"]) == {*load_province_panel().names}
    assert df["place"].nunique() == 32
    assert not df.duplicated(["place", "year", "indicator"]).any()


def test_dual_ten_monitor() -> None:
    m = monitor(dual_ten_panel(), "dual_ten")
    gdp = m[m.indicator == "jjj_gdp_share"].set_index("year")
    # derived GDP share: above 10% in 2011-2016, below from 2017 (8.3% in 2022)
    assert gdp.loc[2011, "status"] == "达标"
    assert gdp.loc[2022, "value"] == pytest.approx(8.28, abs=0.05)
    assert gdp.loc[2022, "status"] == "低于底线"
    ind = m[m.indicator == "jjj_industry_share"].set_index("year")
    assert ind["value"].to_dict() == {2010: 7.84, 2022: 6.25}


def test_facts_and_population() -> None:
    facts = {f.id: f for f in load_facts()}
    assert facts["beijing_hqd_index_2012"].value == 0.612
    assert facts["beijing_hqd_index_2021"].value == 0.960
    assert all(f.provenance.startswith("seed:0") for f in facts.values())
    pop = load_city_population().wide()
    assert pop.loc[("110000", 2020), "population"] == 21893095
    assert pop.loc[("130100", 2020), "population"] == 11235086
    assert len(pop.xs(2020, level="year")) == 13
    # 保定 as the census file has it: without 定州 and the three counties of 雄安.
    assert pop.loc[("130600", 2020), "population"] == 9242610
    assert load_city_population().names["130600"] == "保定市（不含定州、雄安新区）"
    assert "定州" in provenance("city_population")["coverage"]


def test_every_shipped_data_file_has_provenance() -> None:
    for csv in Path(data_dir()).glob("*.csv"):
        if csv.name.endswith(".indicators.csv"):
            continue
        meta = provenance(csv.stem)
        assert meta["file"] == csv.name
        assert meta["license"] and meta["source"] and meta["source_url"]
    facts = yaml.safe_load((Path(data_dir()) / "facts.yaml").read_text(encoding="utf-8"))
    assert all("provenance" in f for f in facts["facts"])
