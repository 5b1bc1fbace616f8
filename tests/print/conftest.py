"""A small village for the printing tests: notices now posted and not, a wide list, and a
ledger of 200 lines with every column, as of 2026-03-10."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_files

AS_OF = "2026-03-10"
SITE_URL = "https://cwgk.test-town.gov.cn/portal"
VILLAGE, YEAR = "testv", 2026
LEDGER_ID = "2026-02"
LEDGER_LINES = 200
WIDE_COLUMNS = ["姓名", "组别", "身份证号", "联系电话", "家庭人口", "保障类别", "开户银行", "银行账号",
                "月保障金额(元)", "发放起始月", "审核人", "备注"]

NOTICE = """title: {title}
date: {date}
posted_until: {until}
category: {category}
issuer: {issuer}
body: |
  {body}
"""


def ledger_files() -> dict[str, str]:
    """February's ledger: 200 lines, long summaries that must wrap, balances that reconcile."""
    opening = Decimal("152380.45")
    balance = opening
    rows = ["日期,凭证号,摘要,科目,收入,支出"]
    for index in range(LEDGER_LINES):
        day = date(2026, 2, 1) + timedelta(days=index % 28)
        voucher = f"记-{index + 1:03d}"
        if index % 3 == 0:
            amount = Decimal(1200 + index * 7) + Decimal("0.50")
            rows.append(f"{day},{voucher},收取第{index % 9 + 1}组鱼塘和机动地承包费（2026年度，按合同第三条分两次缴清）,经营收入,{amount},")
            balance += amount
        else:
            amount = Decimal(80 + index * 3) + Decimal("0.25")
            account = "管理费用" if index % 2 else "公益支出"
            rows.append(f"{day},{voucher},支付村道路灯维修材料费和人工费（第{index % 9 + 1}组，附验收单）,{account},,{amount}")
            balance -= amount
    meta = f"""period: 2026-02
date: 2026-03-05
posted_until: 2026-03-20
issuer: 测试村村民委员会
opening_balance: {opening}
closing_balance: {balance}
"""
    return {f"content/{VILLAGE}/{YEAR}/finance/{LEDGER_ID}.yml": meta,
            f"content/{VILLAGE}/{YEAR}/finance/{LEDGER_ID}.csv": "\n".join(rows) + "\n"}


def wide_list() -> str:
    rows = [",".join(WIDE_COLUMNS)]
    for index in range(40):
        rows.append(",".join([f"王{'建国立新'[index % 4]}{index}", f"测试{index % 5 + 1}组", "430524196503127618",
                              "13807391234", str(index % 5 + 1), "A类" if index % 2 else "B类", "云溪县农村商业银行",
                              "6217995500001234567", f"{860 + index * 10}.00", "2026年3月", "李文书", "新纳入"]))
    return "\n".join(rows) + "\n"


def village_files(site_url: str | None = SITE_URL) -> dict[str, str]:
    files = {
        f"site_config/{VILLAGE}.yml": (f"name: 测试村\npopulation: 1200\nhouseholds: 300\n"
                                       f"site_url: {site_url if site_url else 'null'}\n"),
        f"content/{VILLAGE}/{YEAR}/affairs/2026-03-dibao.yml": NOTICE.format(
            title="测试村2026年第一季度农村低保对象名单公示", date="2026-03-06", until="2026-03-13",
            category="低保救助", issuer="测试村村民委员会",
            body="经户主申请、村民代表会议民主评议，拟将以下家庭纳入保障范围。有异议的，请在公示期内向村务监督委员会反映。"),
        f"content/{VILLAGE}/{YEAR}/affairs/2026-03-dibao.csv": wide_list(),
        f"content/{VILLAGE}/{YEAR}/affairs/2026-01-duty.yml": NOTICE.format(
            title="测试村2026年春节期间值班安排", date="2026-01-20", until="2026-01-27",
            category="值班安排", issuer="测试村村民委员会", body="春节期间村委会每天安排两人值班。"),
        f"content/{VILLAGE}/{YEAR}/party/2026-03-meeting.yml": NOTICE.format(
            title="关于召开党员大会的通知", date="2026-03-02", until="2026-03-11",
            category="三会一课", issuer="中共测试村支部委员会", body="定于3月12日召开全体党员大会。"),
    }
    files.update(ledger_files())
    return files


# What is posted on AS_OF (2026-03-10): the list, the party notice and the ledger; not the duty roster.
POSTED_NOW = ["2026-03-dibao", "2026-03-meeting", LEDGER_ID]
NOT_POSTED = ["2026-01-duty"]


def make_tree(root: Path, site_url: str | None = SITE_URL) -> Path:
    shutil.copytree(ROOT / "site_config", root / "site_config")
    write_files(root, village_files(site_url))
    return root


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def record_url(section: str, record_id: str) -> str:
    return f"{SITE_URL}/{VILLAGE}/{YEAR}/{section}/{record_id}/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small village built without PDFs (in-process): the output folder."""
    from generator.pipeline.build import build

    root = make_tree(tmp_path_factory.mktemp("print"))
    build(root / "content", root / "site_config", root / "public", only=["testv"], as_of=date.fromisoformat(AS_OF))
    return root / "public"
