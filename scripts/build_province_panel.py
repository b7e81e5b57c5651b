"""Build the shipped real-data panels of ``jingjinji.indicators`` from ../shared/data.

    python scripts/build_province_panel.py [--source ../shared/data]

Writes, under src/jingjinji/indicators/data/:

- ``province_panel.csv`` (place, year, indicator, value) with its indicator catalogue
  ``province_panel.indicators.csv`` (name, unit, source table and variable, formula):
  NBS science-and-technology yearbook figures for the 31 provinces
  and the national total (全国), 2010-2024, long form, places by adcode; plus a few derived
  indicators (flagged ``derived``, with the formula);
- ``city_population.csv``: census population 2010 and 2020 of the 13 prefecture-level
  units of Jing-Jin-Ji;
- a ``.provenance.yaml`` sidecar for each.

Cleaning (see province-panel/SOURCE.md): whitespace removed from province names ("北   京"),
OCR misspellings mapped (山两/两藏/江两/内蒙占/四藏/江四/浙汀), the stray regional row
"尔部地区" (RDPatentValid 2014, a region subtotal, not a province) dropped, the duplicate
R&D total of RDSource dropped (identical to RDActivity), and the unit of the high-tech
industry invention patents corrected to 件 (the source labels some years 万元). Values are
otherwise unchanged. The script is deterministic: running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "jingjinji" / "indicators" / "data"
sys.path.insert(0, str(ROOT / "src"))

from jingjinji.indicators.places import JJJ_CITIES, NATIONAL, PROVINCES  # noqa: E402

OCR_FIXES = {
    "山两": "山西",
    "两藏": "西藏",
    "江两": "江西",
    "内蒙占": "内蒙古",
    "四藏": "西藏",
    "江四": "江西",
    "浙汀": "浙江",
}
DROP_PLACES = {"尔部地区"}

# variable code -> (indicator id, Chinese name, unit override or None)
VARIABLES: dict[str, tuple[str, str, str | None]] = {
    "v4_zh_nbzc_hj": ("rd_expenditure", "R&D经费内部支出", None),
    "v4_zh_nbzc_jcyj": ("rd_expenditure_basic", "R&D经费内部支出：基础研究", None),
    "v4_zh_nbzc_yyyj": ("rd_expenditure_applied", "R&D经费内部支出：应用研究", None),
    "v4_zh_nbzc_syfz": ("rd_expenditure_experimental", "R&D经费内部支出：试验发展", None),
    "v4_zh_nbzc_zfzj": ("rd_funds_government", "R&D经费内部支出：政府资金", None),
    "v4_zh_nbzc_qyzj": ("rd_funds_enterprise", "R&D经费内部支出：企业资金", None),
    "v4_zh_nbzc_gwzj": ("rd_funds_foreign", "R&D经费内部支出：国外资金", None),
    "v4_zh_nbzc_qtzj": ("rd_funds_other", "R&D经费内部支出：其他资金", None),
    "v4_ztr_jf_RD": ("rd_funds", "R&D经费", None),
    "v4_ztr_qd_RD": ("rd_intensity", "R&D经费投入强度", None),
    "v4_zh_qsdl_hj": ("rd_personnel_fte", "R&D人员全时当量", None),
    "v4_zh_qsdl_yjry": ("rd_researchers_fte", "R&D人员全时当量：研究人员", None),
    "v4_zh_qsdl_jcyj": ("rd_personnel_fte_basic", "R&D人员全时当量：基础研究", None),
    "v4_zh_qsdl_yyyj": ("rd_personnel_fte_applied", "R&D人员全时当量：应用研究", None),
    "v4_zh_qsdl_syfz": ("rd_personnel_fte_experimental", "R&D人员全时当量：试验发展", None),
    "v4_cg_zlsq_hj": ("patent_applications", "国内专利申请受理量", None),
    "v4_cg_zlsq_fm": ("patent_applications_invention", "发明专利申请受理量", None),
    "v4_cg_zlsq_syxx": ("patent_applications_utility", "实用新型专利申请受理量", None),
    "v4_cg_zlsq_wgsj": ("patent_applications_design", "外观设计专利申请受理量", None),
    "v4_cg_zlsq2_hj": ("patents_granted", "专利授权量", None),
    "v4_cg_zlsq2_fm": ("patents_granted_invention", "发明专利授权量", None),
    "v4_cg_zlsq2_syxx": ("patents_granted_utility", "实用新型专利授权量", None),
    "v4_cg_zlsq2_wgsj": ("patents_granted_design", "外观设计专利授权量", None),
    "v4_cg_zlsyx_hj": ("patents_valid", "有效专利数", None),
    "v4_cg_zlsyx_fm": ("patents_valid_invention", "有效发明专利数", None),
    "v4_cg_zlsyx_syxx": ("patents_valid_utility", "有效实用新型专利数", None),
    "v4_cg_zlsyx_wgsj": ("patents_valid_design", "有效外观设计专利数", None),
    "v6_cz_yszc_hj": ("budget_expenditure", "一般公共预算支出", None),
    "v6_cz_yszc_jy": ("budget_education", "一般公共预算支出：教育", None),
    "v6_cz_yszc_kxjs": ("budget_science_technology", "一般公共预算支出：科学技术", None),
    "v6_cz_yszc_nls": ("budget_agriculture", "一般公共预算支出：农林水", None),
    "v4_cy_scjy_qys": ("hitech_enterprises", "高技术产业企业数", None),
    "v4_cy_scjy_zyyw": ("hitech_revenue", "高技术产业主营业务收入", None),
    "v4_cy_scjy_lrze": ("hitech_profit", "高技术产业利润总额", None),
    "v4_cy_RDhd_yfjgs": ("hitech_rd_institutions", "高技术产业研发机构数", None),
    "v4_cy_RDhd_qsdl": ("hitech_rd_fte", "高技术产业R&D人员折合全时当量", None),
    "v4_cy_RDhd_nbzc": ("hitech_rd_expenditure", "高技术产业R&D经费内部支出", None),
    "v4_cy_RDhd_xmsl": ("hitech_rd_projects", "高技术产业R&D项目数", None),
    "v4_cy_RDhd_xmjf": ("hitech_rd_project_funds", "高技术产业R&D项目经费", None),
    "v4_cy_xcp_kfxm": ("hitech_new_product_projects", "高技术产业新产品开发项目数", None),
    "v4_cy_xcp_kfjf": ("hitech_new_product_expenditure", "高技术产业新产品开发经费支出", None),
    "v4_cy_xcp_xssr": ("hitech_new_product_sales", "高技术产业新产品销售收入", None),
    "v4_cy_xcp_ck": ("hitech_new_product_exports", "高技术产业新产品出口", None),
    "v4_cy_qyzl_sqs": ("hitech_patent_applications", "高技术产业专利申请数", None),
    "v4_cy_qyzl_fms": ("hitech_invention_patent_applications", "高技术产业发明专利申请数", "件"),
    "v4_cy_qyzl_yxs": ("hitech_valid_patents", "高技术产业有效专利数", None),
    "v4_cy_jsgz_gzzc": ("hitech_renovation_expenditure", "高技术产业技术改造经费支出", None),
    "v4_cy_jsgz_gmzc": ("hitech_domestic_tech_purchase", "高技术产业购买境内技术经费支出", None),
    "v4_cy_jsgz_yjzc": ("hitech_tech_import_expenditure", "高技术产业技术引进经费支出", None),
    "v4_cy_jsgz_xszc": ("hitech_absorption_expenditure", "高技术产业消化吸收经费支出", None),
    "v4_cy_cytz_gdzc": ("hitech_new_fixed_assets", "高技术产业新增固定资产", None),
    "v4_cy_cytz_jcxm": ("hitech_projects_completed", "高技术产业全部建成投产项目数", None),
    "v4_cy_cytz_kgxm": ("hitech_projects_started", "高技术产业新开工项目个数", None),
    "v4_cy_cytz_sgxm": ("hitech_projects_under_construction", "高技术产业施工项目个数", None),
    "v4_cy_cytz_tzze": ("hitech_investment", "高技术产业投资额", None),
}
FILES = [
    "techme_RDActivity.csv",
    "techme_RDSource.csv",
    "techme_RDIntense.csv",
    "techme_RDLaborHour.csv",
    "techme_RDPatentAccept.csv",
    "techme_RDPatentAuthority.csv",
    "techme_RDPatentValid.csv",
    "techme_PublicBudget.csv",
    "techme_IndustryOperation.csv",
    "techme_IndustryRD.csv",
]
CODES = {name: code for code, name in PROVINCES.items()} | {"全国": NATIONAL}
COLUMNS = ["place", "place_name", "year", "indicator", "indicator_name", "value", "unit",
           "source_table", "source_variable", "derived_from"]  # fmt: skip


def _clean_name(raw: str) -> str:
    name = re.sub(r"\s+", "", str(raw))
    return OCR_FIXES.get(name, name)


def build_province_panel(source: Path) -> pd.DataFrame:
    frames = []
    for file in FILES:
        df = pd.read_csv(source / "province-panel" / file)
        df["province"] = df["province"].map(_clean_name)
        df = df[~df["province"].isin(DROP_PLACES)]
        unknown = sorted(set(df["province"]) - set(CODES))
        if unknown:
            raise SystemExit(f"{file}: unknown province names {unknown}")
        if file == "techme_RDSource.csv":
            df = df[df["variables"] != "v4_zh_nbzc_hj"]  # the same total as RDActivity
        df = df.assign(source_table=file.removesuffix(".csv"))
        frames.append(df)
    raw = pd.concat(frames, ignore_index=True)
    missing_vars = sorted(set(raw["variables"]) - set(VARIABLES))
    if missing_vars:
        raise SystemExit(f"unmapped variables {missing_vars}")
    out = pd.DataFrame(
        {
            "place": raw["province"].map(CODES),
            "place_name": raw["province"],
            "year": raw["year"].astype(int),
            "indicator": raw["variables"].map(lambda v: VARIABLES[v][0]),
            "indicator_name": raw["variables"].map(lambda v: VARIABLES[v][1]),
            "value": raw["value"].astype(float),
            "unit": [
                VARIABLES[v][2] or u for v, u in zip(raw["variables"], raw["units"], strict=True)
            ],
            "source_table": raw["source_table"],
            "source_variable": raw["variables"],
            "derived_from": "",
        }
    )
    firms = pd.read_csv(source / "province-panel" / "techme_HitechFirmsPub.csv")
    firms["province"] = firms["province"].map(_clean_name)
    out = pd.concat(
        [
            out,
            pd.DataFrame(
                {
                    "place": firms["province"].map(CODES),
                    "place_name": firms["province"],
                    "year": firms["year"].astype(int),
                    "indicator": "hightech_certified_enterprises",
                    "indicator_name": "高新技术企业数（认定）",
                    "value": firms["num"].astype(float),
                    "unit": "个",
                    "source_table": "techme_HitechFirmsPub",
                    "source_variable": "num",
                    "derived_from": "",
                }
            ),
        ],
        ignore_index=True,
    )
    dup = out.duplicated(["place", "year", "indicator"], keep=False)
    if dup.any():
        raise SystemExit(f"duplicate keys after cleaning:\n{out[dup]}")
    out = pd.concat([out, _derived(out)], ignore_index=True)
    return out.sort_values(["indicator", "place", "year"]).reset_index(drop=True)[COLUMNS]


def _derived(panel: pd.DataFrame) -> pd.DataFrame:
    wide = panel.pivot(index=["place", "year"], columns="indicator", values="value")
    specs = [
        ("gdp_derived", "地区生产总值（由R&D经费与强度推算）", "亿元",
         wide["rd_funds"] / wide["rd_intensity"] * 100, "rd_funds / rd_intensity * 100"),
        ("basic_research_share", "基础研究经费占比", "%",
         wide["rd_expenditure_basic"] / wide["rd_expenditure"] * 100,
         "rd_expenditure_basic / rd_expenditure * 100"),
        ("enterprise_rd_funds_share", "R&D经费中企业资金占比", "%",
         wide["rd_funds_enterprise"] / wide["rd_expenditure"] * 100,
         "rd_funds_enterprise / rd_expenditure * 100"),
        ("st_budget_share", "科学技术支出占一般公共预算支出比重", "%",
         wide["budget_science_technology"] / wide["budget_expenditure"] * 100,
         "budget_science_technology / budget_expenditure * 100"),
    ]  # fmt: skip
    names = panel.drop_duplicates("place").set_index("place")["place_name"]
    parts = []
    for ind, name, unit, series, formula in specs:
        s = series.dropna().round(6).rename("value").reset_index()
        s["place_name"] = s["place"].map(names)
        s["indicator"], s["indicator_name"], s["unit"] = ind, name, unit
        s["source_table"], s["source_variable"], s["derived_from"] = "derived", "", formula
        parts.append(s)
    return pd.concat(parts, ignore_index=True)


def build_city_population(source: Path) -> pd.DataFrame:
    census = pd.read_csv(source / "city-panel" / "census_city_2010_2020_nocoord.csv")
    census["city_code"] = census["city_code"].astype(int).astype(str)
    # Beijing and Tianjin appear as 110100 / 120100; the platform uses the municipality codes.
    census["place"] = census["city_code"].replace({"110100": "110000", "120100": "120000"})
    jjj = census[census["place"].isin(JJJ_CITIES)]
    if len(jjj) != 13:
        raise SystemExit(f"expected 13 JJJ units in the census, found {len(jjj)}")
    rows = []
    for _, r in jjj.iterrows():
        for year in (2010, 2020):
            for col, ind, name in (
                (f"popu_{year}", "population", "常住人口"),
                (f"popu_urban_{year}", "population_urban", "城镇常住人口"),
                (f"popu_rural_{year}", "population_rural", "乡村常住人口"),
            ):
                rows.append({
                    "place": r["place"], "place_name": JJJ_CITIES[r["place"]], "year": year,
                    "indicator": ind, "indicator_name": name, "value": float(r[col]),
                    "unit": "人", "source_table": "census_city_2010_2020_v1",
                    "source_variable": col, "derived_from": "",
                })  # fmt: skip
    return pd.DataFrame(rows).sort_values(["indicator", "place", "year"]).reset_index(drop=True)


PROVINCE_PROVENANCE = {
    "title": "省级科技统计面板（R&D、专利、财政科技支出、高技术产业）",
    "source": "《中国科技统计年鉴》《中国统计年鉴》(National Bureau of Statistics of China), "
    "via the R data package huhuaping/techme",
    "source_url": "https://github.com/huhuaping/techme",
    "commit": "9ad60a190dec4a56953da9c478d42cd44c80762a",
    "license": "MIT (Copyright 2021 Hu Huaping); figures published by the NBS",
    "retrieved": "2025 (snapshot in ../shared/data/province-panel)",
    "built_by": "scripts/build_province_panel.py",
    "cleaning": [
        "whitespace removed from province names (OCR)",
        "OCR misspellings mapped: " + ", ".join(f"{k}->{v}" for k, v in OCR_FIXES.items()),
        "stray region row 尔部地区 (techme_RDPatentValid 2014) dropped",
        "duplicate R&D total of techme_RDSource dropped (same as techme_RDActivity)",
        "unit of hitech_invention_patent_applications set to 件 (source labels some years 万元)",
        "derived indicators (derived_from column): gdp_derived, basic_research_share, "
        "enterprise_rd_funds_share, st_budget_share",
    ],
    "places": "31 provinces by adcode and the national total as 100000",
    "doubts": "OCR digit errors in single values are possible; spot checks for Beijing, Tianjin "
    "and Hebei (R&D 2022-2023, patents granted 2022) match NBS/CNIPA releases. High-tech "
    "industry operation figures are missing for 2017 in the source.",
}
CITY_PROVENANCE = {
    "title": "京津冀13个地级单元常住人口（第六、七次人口普查）",
    "source": "6th (2010) and 7th (2020) population census, compiled by Lei Dong et al. "
    "(repository leiii/census, data/census/census_city_2010-2020_v1.csv)",
    "source_url": "https://github.com/leiii/census",
    "commit": "0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087",
    "license": "MIT (Copyright (c) 2022 Lei Dong)",
    "retrieved": "2023-07-13 snapshot (../shared/data/city-panel)",
    "built_by": "scripts/build_province_panel.py",
    "cleaning": ["Beijing 110100 and Tianjin 120100 recoded to 110000 and 120000"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, frame, provenance in (
        ("province_panel", build_province_panel(args.source), PROVINCE_PROVENANCE),
        ("city_population", build_city_population(args.source), CITY_PROVENANCE),
    ):
        values = frame[["place", "year", "indicator", "value"]]
        values.to_csv(OUT / f"{name}.csv", index=False, float_format="%.10g", lineterminator="\n")
        catalogue = frame.drop_duplicates("indicator")[
            [
                "indicator",
                "indicator_name",
                "unit",
                "source_table",
                "source_variable",
                "derived_from",
            ]
        ]
        catalogue.to_csv(OUT / f"{name}.indicators.csv", index=False, lineterminator="\n")
        sidecar = {
            "file": f"{name}.csv",
            "indicators": f"{name}.indicators.csv",
            "rows": len(frame),
            **provenance,
        }
        (OUT / f"{name}.provenance.yaml").write_text(
            yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        print(f"wrote {name}.csv ({len(frame)} rows)")  # noqa: T201


if __name__ == "__main__":
    main()
