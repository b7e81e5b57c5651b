"""``jjj evaluate`` through typer's CliRunner, and the workbook."""

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from jingjinji.cli import app

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
    assert book.sheetnames == [
        "about",
        "weights",
        "normalized",
        "sub-scores",
        "index-ranks",
        "coupling",
    ]
    weights = list(book["weights"].iter_rows(values_only=True))
    assert len(weights) == 1 + 24
    about = {r[0]: r[1] for r in book["about"].iter_rows(values_only=True)}
    assert str(about["数据性质 data"]).startswith("示例数据")
    for name in book.sheetnames[1:]:  # every data sheet labels every row
        rows = list(book[name].iter_rows(values_only=True))
        assert rows[0][-1] == "数据性质", name
        assert rows[1:] and {r[-1] for r in rows[1:]} == {"示例数据"}, name
    ranks = list(book["index-ranks"].iter_rows(values_only=True))
    assert ranks[0] == ("place", "place_name", "year", "index", "rank", "数据性质")
    assert len(ranks) == 1 + 13 * 12


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
