"""What an uploaded panel file needs before the panel reader sees it: UTF-8 text (its safe name
is :func:`jingjinji.web.uploads.upload_name`).

>>> decoded_csv("地区".encode("gb18030"), "p.csv").decode("utf-8")
'地区'
"""

from __future__ import annotations

from jingjinji.indicators.runs import EvaluationError

__all__ = ["decoded_csv"]

#: The encodings a CSV upload may come in (Excel saves CSV as GB18030 in China).
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def decoded_csv(raw: bytes, filename: str) -> bytes:
    """CSV text re-encoded as UTF-8 (uploads may be GB18030, as Excel saves them in China);
    ``EvaluationError`` when it is neither UTF-8 nor GB18030."""
    for encoding in _CSV_ENCODINGS:
        try:
            return raw.decode(encoding).encode("utf-8")
        except UnicodeDecodeError:
            continue
    raise EvaluationError(f"文件 {filename}：CSV 文件编码无法识别（应为 UTF-8 或 GBK）")
