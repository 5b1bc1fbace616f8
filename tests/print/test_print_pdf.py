"""Real printed pages: `village-portal pdf` prints the small village's bulletins with Debian's
Chromium, and poppler (pdfinfo, pdftotext, pdftoppm) and zbar (zbarimg) read them back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.inputs.messages import Catalogue
from tests.print.conftest import (AS_OF, LEDGER_ID, LEDGER_LINES, POSTED_NOW, VILLAGE, WIDE_COLUMNS, YEAR, make_tree,
                                  record_url, run_cli)

pytestmark = pytest.mark.browser

TOOLS = ("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")
LEDGER = f"finance/{LEDGER_ID}"
LIST = "affairs/2026-03-dibao"
TITLES = {"2026-03-dibao": "测试村2026年第一季度农村低保对象名单公示", "2026-03-meeting": "关于召开党员大会的通知",
          LEDGER_ID: "2026年2月财务收支公开"}


def tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """pdftotext's text without the spaces and line breaks the layout put in."""
    return re.sub(r"\s+", "", text)


def pages_of(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", tool("pdfinfo", str(pdf)), re.M).group(1))


def text_of(pdf: Path, page: int | None = None) -> str:
    args = ["-f", str(page), "-l", str(page)] if page else []
    return tool("pdftotext", "-enc", "UTF-8", *args, str(pdf), "-")


def qr_on_first_page(pdf: Path, work: Path) -> str:
    prefix = work / pdf.parent.name
    tool("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix))
    return tool("zbarimg", "-q", "--raw", f"{prefix}.png").strip()


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [name for name in TOOLS if shutil.which(name) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make test`, which installs poppler-utils and zbar-tools")
    root = make_tree(tmp_path_factory.mktemp("pdf"))
    result = run_cli("pdf", "--village", VILLAGE, "--year", str(YEAR), "--as-of", AS_OF, cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def site(root: Path) -> Path:
    return root / "public" / VILLAGE / str(YEAR)


def test_every_bulletin_is_an_a4_portrait_pdf(printed: Path):
    pdfs = sorted(site(printed).rglob("*.pdf"))
    assert {pdf.relative_to(site(printed)).as_posix() for pdf in pdfs} == {
        "affairs/2026-01-duty/bulletin.pdf", f"{LIST}/bulletin.pdf", "party/2026-03-meeting/bulletin.pdf",
        f"{LEDGER}/bulletin.pdf", "print/notices.pdf"}
    for pdf in pdfs:
        size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", tool("pdfinfo", str(pdf)), re.M)
        assert (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842), pdf


def test_the_ledger_prints_whole_over_several_sheets(printed: Path):
    pdf = site(printed) / LEDGER / "bulletin.pdf"
    catalogue = Catalogue("zh")
    text = flat(text_of(pdf))
    assert TITLES[LEDGER_ID] in text
    assert flat("公示期：2026年3月5日 至 2026年3月20日") in text
    headers = [catalogue.text("records.finance.line_date")] + [catalogue.text(f"fields.{name}") for name in ("voucher", "summary", "account", "income",
                                                              "expense", "balance")]
    count = pages_of(pdf)
    assert count > 1
    for page in range(1, count + 1):
        on_page = flat(text_of(pdf, page))
        # Every column, and the header row repeated on every sheet.
        for header in headers:
            assert header in on_page, f"{header} missing on page {page}"
        assert f"第{page}页共{count}页" in on_page
    # Every line once: no row lost, none printed twice across a page break.
    for number in range(1, LEDGER_LINES + 1):
        assert text.count(f"记-{number:03d}") == 1, f"记-{number:03d}"
    for label in ("村务监督委员会审核", "报账员", "村委会主任"):
        assert label in text


def test_the_widest_list_prints_every_column(printed: Path):
    pdf = site(printed) / LIST / "bulletin.pdf"
    text = flat(text_of(pdf))
    assert TITLES["2026-03-dibao"] in text
    for column in WIDE_COLUMNS:
        # A header may break where a line may (月保障金额 / (元)); its words are all there.
        for part in re.split(r"(?=[(（])", column):
            assert flat(part) in text, column
    assert flat("公示期：2026年3月6日 至 2026年3月13日") in text
    assert "13807391234" not in text and "138****" in text  # masked, on paper too
    assert re.search(r"第1页共\d+页", text)


@pytest.mark.parametrize("path", [LEDGER, LIST, "party/2026-03-meeting"])
def test_the_qr_code_on_page_one_is_the_records_address(printed: Path, path: str, tmp_path: Path):
    section, record_id = path.split("/")
    assert qr_on_first_page(site(printed) / path / "bulletin.pdf", tmp_path) == record_url(section, record_id)


def test_all_current_notices_print_each_on_its_own_sheets(printed: Path, tmp_path: Path):
    pdf = site(printed) / "print" / "notices.pdf"
    count = pages_of(pdf)
    # A sheet starts where the bulletin's head (county, township, village) is, with its title.
    starts = {}
    for page in range(1, count + 1):
        text = flat(text_of(pdf, page))
        if "云溪县石桥镇测试村" in text:
            [record_id] = [record_id for record_id, title in TITLES.items() if title in text]
            starts[record_id] = page
    assert sorted(starts) == sorted(POSTED_NOW)
    assert count > len(POSTED_NOW)  # the 200-line ledger takes several
    assert "春节期间值班安排" not in flat(text_of(pdf))  # its posting period is over
    first = min(starts, key=starts.get)
    section = next(path for path in (LEDGER, LIST, "party/2026-03-meeting") if path.endswith(first)).split("/")[0]
    assert qr_on_first_page(pdf, tmp_path) == record_url(section, first)


def test_links_in_a_pdf_lead_to_the_portal_online(printed: Path):
    data = (site(printed) / "print" / "notices.pdf").read_bytes()
    # Each sheet's title links its record's page, at its public address; no trace of the build folder.
    assert f"/URI ({record_url('party', '2026-03-meeting')})".encode() in data
    for pdf in site(printed).rglob("*.pdf"):
        assert b"file:" not in pdf.read_bytes(), pdf


def test_pages_link_their_pdfs(printed: Path):
    record = (site(printed) / LIST / "index.html").read_text(encoding="utf-8")
    assert 'href="bulletin.pdf"' in record and "下载打印版" in record
    assert 'class="vp-screen-only vp-download" data-pagefind-ignore="all"' in record  # not search text
    sheets = (site(printed) / "print" / "index.html").read_text(encoding="utf-8")
    assert 'href="notices.pdf"' in sheets


def test_a_rebuild_prints_the_same_bytes_and_publishes_nothing_new(printed: Path):
    pdf = site(printed) / LEDGER / "bulletin.pdf"
    # Stamped with the year's newest record's day (as the sitemap), not the day it was built.
    assert re.search(r"^CreationDate:\s+Fri Mar +6 00:00:00 2026", tool("pdfinfo", str(pdf)), re.M)
    log = (printed / "public" / VILLAGE / "log.jsonl").read_text(encoding="utf-8")
    before = pdf.read_bytes()
    result = run_cli("pdf", "--village", VILLAGE, "--year", str(YEAR), "--as-of", AS_OF, cwd=printed)
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() == before
    assert (printed / "public" / VILLAGE / "log.jsonl").read_text(encoding="utf-8") == log


def test_without_site_url_pdfs_have_no_code_and_no_links(tmp_path: Path):
    root = make_tree(tmp_path, site_url=None)
    shutil.rmtree(root / "content" / VILLAGE / str(YEAR) / "finance")  # the long ledger is not needed here
    result = run_cli("pdf", "--village", VILLAGE, "--as-of", AS_OF, cwd=root)
    assert result.returncode == 0, result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("注意：")]) == 1
    pdf = site(root) / LIST / "bulletin.pdf"
    png = tmp_path / "page"
    tool("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True, text=True)
    assert decoded.stdout == ""  # no code on the sheet
    for pdf in site(root).rglob("*.pdf"):
        assert b"/URI" not in pdf.read_bytes(), pdf
