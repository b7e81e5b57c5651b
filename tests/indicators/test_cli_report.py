"""``jjj evaluate`` through typer's CliRunner, and the workbook."""

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from jingjinji.cli import app
from jingjinji.indicators.report import SHEETS

DATA = Path(__file__).parent / "data"

runner = CliRunner()


def test_evaluate_sample_writes_workbook(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app,
        [
            "evaluate",
            "sample",
            "--system",
            "high_quality_development",
            "--aggregation",
            "topsis",
            "--coupling",
            "dimensions",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "示例数据" in result.output
    assert "北京市" in result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == list(SHEETS)
    weights = list(book["指标参数"].iter_rows(values_only=True))
    assert len(weights) == 1 + 24
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert str(about["数据性质"]).startswith("示例数据")
    assert about["集成方法"].startswith("TOPSIS")
    for name in ("原始数据", "标准化矩阵", "指标参数", "维度得分", "综合指数", "耦合协调"):
        rows = list(book[name].iter_rows(values_only=True))
        assert rows[0][-1] == "数据性质", name
        assert rows[1:] and {r[-1] for r in rows[1:]} == {"示例数据"}, name
    ranks = list(book["综合指数"].iter_rows(values_only=True))
    assert ranks[0] == ("地区代码", "地区", "年份", "综合指数", "排名", "数据性质")
    assert len(ranks) == 1 + 13 * 12


def test_evaluate_own_table_system_with_traditional_coupling(tmp_path: Path) -> None:
    out = tmp_path / "own.xlsx"
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(DATA / "own_panel.csv"),
            "--system",
            str(DATA / "own_system.csv"),
            "--shift",
            "0.0001",
            "--coupling",
            "traditional",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "coupling_form=traditional" in result.output
    assert "shift=0.0001" in result.output
    book = load_workbook(out, read_only=True)
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert about["指标体系"] == "京津冀城市协同发展"
    assert about["耦合度模型"].startswith("传统耦合度模型")
    assert about["数据性质"] == "真实数据"
    coupling = list(book["耦合协调"].iter_rows(values_only=True))
    assert len(coupling) == 1 + 13 * 3


def test_evaluate_writes_the_template(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    result = runner.invoke(app, ["evaluate", "--template", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["指标体系", "填写说明"]


def test_evaluate_partial_panel_needs_dropped_dimension(tmp_path: Path) -> None:
    lines = (DATA / "own_panel.csv").read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "partial.csv"
    partial.write_text(
        "\n".join(",".join(line.split(",")[:5]) for line in lines) + "\n", encoding="utf-8"
    )
    args = ["evaluate", str(partial), "--system", str(DATA / "own_system.csv")]
    refused = runner.invoke(app, [*args, "--out", str(tmp_path / "a.xlsx")])
    assert refused.exit_code != 0
    assert "R&D经费投入强度" in str(refused.exception)
    assert "去掉该维度" in str(refused.exception)
    done = runner.invoke(
        app, [*args, "--drop-dimension", "创新与结构", "--out", str(tmp_path / "b.xlsx")]
    )
    assert done.exit_code == 0, done.output


def test_evaluate_bad_panel_reports_the_cell(tmp_path: Path) -> None:
    panel = tmp_path / "p.csv"
    panel.write_text("place,year,indicator,value\n火星,2020,rd_intensity,1\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(panel),
            "--system",
            "collaborative_innovation",
            "--out",
            str(tmp_path / "x.xlsx"),
        ],
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)
    assert "p.csv, row 2, column 'place': unknown place '火星'" in str(result.exception)
    assert not (tmp_path / "x.xlsx").exists()
