"""Word notices as a clerk's Word writes them (python-docx), for the tests and the demo (issue 24).

    notice_docx(path, title, blocks)   # blocks: ("h2", text), ("p", text), ("bold", (before, bold, after)),
                                       # ("bullets", [...]), ("numbers", [...]), ("table", rows),
                                       # ("image", (w, h[, alt text])), ("link", (words, url, text))

`python -m tests.word_files` writes the demo villages' Word notices (content/*/2026/affairs/*.docx).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def _link(paragraph: Any, url: str, text: str) -> None:
    """A hyperlink to another site, as Word writes one (python-docx has no call for it)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run, words = OxmlElement("w:r"), OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def notice_docx(path: Path, title: str, blocks: list[tuple[str, Any]]) -> Path:
    document = docx.Document()
    document.add_heading(title, 1)
    for kind, value in blocks:
        if kind == "h2":
            document.add_heading(value, 2)
        elif kind == "p":
            document.add_paragraph(value)
        elif kind == "bold":
            before, bold, after = value
            paragraph = document.add_paragraph(before)
            paragraph.add_run(bold).bold = True
            paragraph.add_run(after)
        elif kind == "link":
            words, url, text = value
            _link(document.add_paragraph(words), url, text)
        elif kind in ("bullets", "numbers"):
            for item in value:
                document.add_paragraph(item, style="List Bullet" if kind == "bullets" else "List Number")
        elif kind == "table":
            table = document.add_table(rows=len(value), cols=len(value[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, value):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
        elif kind == "image":  # (width, height) or (width, height, its alt text)
            picture = io.BytesIO()
            Image.new("RGB", value[:2], (60, 120, 60)).save(picture, "JPEG")
            picture.seek(0)
            document.add_picture(picture)
            if len(value) > 2:
                document.inline_shapes[-1]._inline.docPr.set("descr", value[2])
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


DEMO = {
    "content/hekou/2026/affairs/2026-06-water-fees.docx": ("关于收取2026年度自来水水费的通知", [
        ("p", "各位村民："),
        ("p", "村集中供水工程运行一年来，水质经县疾控中心检测合格。经2026年5月28日村民代表会议讨论通过，现将2026年度水费收取办法通知如下。"),
        ("h2", "一、收费标准"),
        ("bold", ("水费按户按表计收，", "每吨1.8元", "，与去年相同；五保户、低保户每月免收3吨。")),
        ("h2", "二、缴费时间和地点"),
        ("numbers", ["6月15日至6月30日，每天上午8点至11点，在村委会便民服务室缴纳；",
                     "行动不便的，可请组长代收，组长当场开具收据；",
                     "也可以通过村里的收款码缴纳，备注户主姓名和组别。"]),
        ("h2", "三、各组抄表员"),
        ("p", "附：各组抄表员"),
        ("table", [["组别", "抄表员", "户数", "抄表日"],
                   ["一组", "何建平", "46", "每月5日"],
                   ["二组", "罗秀英", "52", "每月5日"],
                   ["三组", "李德顺", "39", "每月6日"]]),
        ("p", "水费只用于供水设施的维护和电费，每半年公开一次收支。对水费有疑问的，可向村务监督委员会反映。"),
        ("p", "特此通知。"),
    ]),
    "content/liutang/2026/affairs/2026-08-irrigation-rota.docx": ("关于秋季农田灌溉轮灌安排的通知", [
        ("p", "各位村民："),
        ("p", "今年入伏以来降雨偏少，为保证晚稻用水，经村“两委”会商议，秋季灌溉实行分组轮灌，现将安排通知如下。"),
        ("h2", "一、轮灌时间"),
        ("p", "附：各组轮灌时间"),
        ("table", [["组别", "轮灌日期", "放水负责人"],
                   ["一组、二组", "8月5日至8月7日", "曾玉华"],
                   ["三组、四组", "8月8日至8月10日", "周德明"],
                   ["五组", "8月11日至8月12日", "刘春生"]]),
        ("h2", "二、注意事项"),
        ("bullets", ["不得私自扒开渠埂、堵截他组来水；",
                     "放水期间各组派人巡渠，发现漏水及时报告；",
                     "茶园不在本次轮灌范围内。"]),
        ("bold", ("", "违反轮灌安排的", "，由村委会批评教育，造成他人损失的照价赔偿。")),
        ("p", "特此通知。"),
    ]),
}


def write_demo() -> None:
    for relative, (title, blocks) in DEMO.items():
        notice_docx(ROOT / relative, title, blocks)


if __name__ == "__main__":
    write_demo()
