"""Synthetic county: realistic Chinese records of every kind, deterministic for a seed.

    python benchmarks/synth.py --villages N --years Y --records R --out DIR [--seed S]

writes DIR/content/<village>/<year>/... and DIR/site_config/, usable by
`village-portal build --content DIR/content --config DIR/site_config`.

Per village-year: notices of the party branch and the villagers' committee (some with a list of
recipients, valid masked-on-read ID and mobile numbers), twelve monthly ledgers that reconcile
and chain (each opens where the last closed, across years), and one copy of each of the other
kinds taken from the demo village 河口村 (content/hekou), renamed and shifted to the year: every
kind in generator.domain.kinds.KINDS is present (the demo's notices too, since other records
refer to them). R is the total of records per village-year; the
notices fill what the ledgers and the other kinds leave.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content" / "hekou"
DEMO_NAME = "河口"
GENERATED = {"finance"}
LAST_YEAR = 2026

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["建国", "长青", "翠莲", "国华", "德明", "秀英", "桂兰", "志强", "春花", "海波", "红梅", "永福",
         "玉兰", "金生", "水平", "冬梅", "立新", "小军", "丽娟", "伟", "芳", "敏", "静", "勇", "军", "杰",
         "文斌", "美玲", "志勇", "家旺", "爱华", "淑珍", "宏亮", "光明", "满仓", "银凤", "福生", "月娥"]
PLACE_STEMS = ["河口", "柳塘", "石门", "枫林", "桃源", "青山", "竹坪", "杉木", "白沙", "龙潭", "清水", "黄泥",
               "新塘", "高桥", "樟树", "梅溪", "荷塘", "松柏", "大坪", "长岭", "金盆", "银杏", "田心", "马鞍",
               "双江", "水口", "茶园", "横岭", "凤凰", "石桥"]
PLACE_TAILS = ["", "湾", "坪", "冲", "岭", "坡", "洞", "垅"]
ROADS = ["通组公路", "机耕道", "灌溉渠", "山塘", "便民桥", "文化广场", "村部", "自来水管网", "路灯", "垃圾收集点"]
CROPS = ["早稻", "晚稻", "油菜", "茶叶", "柑橘", "生猪", "油茶", "蔬菜", "中药材", "鲜鱼"]

PARTY = [
    ("三会一课", "{year}年第{q}季度支部党员大会召开情况公示",
     "支部于{md}召开党员大会，应到党员{n}名，实到{m}名。会议学习了{topic}，讨论了{work}。"),
    ("发展党员", "关于确定{name}等{k}名同志为发展对象的公示",
     "经支部委员会研究，拟确定{name}等{k}名同志为发展对象。公示期内，党员和群众可以来信、来电或当面向支部反映其在{work}中的表现。"),
    ("党费收缴", "{year}年第{q}季度党费收缴情况公示",
     "本支部应缴党费党员{n}名，实缴{m}名，本季度合计收缴党费{amount}元，已全额上缴{township}党委，村支部不截留、不挪用。"),
    ("设岗定责", "无职党员设岗定责及履职情况公示（第{q}批）",
     "为发挥无职党员作用，支部设立{topic}岗、{work}岗等岗位，{name}等{k}名党员认领岗位，履职情况每季度评议一次。"),
    ("主题党日", "{month}月主题党日活动情况公示",
     "{md}，支部组织党员开展主题党日活动，重温入党誓词，围绕{topic}开展志愿服务，清理{road}周边杂草和垃圾，参加党员{m}名。"),
    ("组织生活会", "{year}年度组织生活会和民主评议党员情况公示",
     "支部召开组织生活会，班子成员逐一开展批评和自我批评。民主评议党员{n}名，评为优秀{k}名，合格{m}名。"),
    ("党员积分", "党员积分管理第{q}季度情况公示",
     "按照党员积分管理办法，对全体党员参加{topic}、{work}等情况记分，{name}积分最高，本季度积分结果已在村部公示栏张贴。"),
]
AFFAIRS = [
    ("惠农补贴", "{year}年耕地地力保护补贴发放名单公示",
     "根据{township}农业综合服务中心核定的面积，本村{k}户农户{year}年耕地地力保护补贴共计{amount}元，按每亩{unit}元标准通过“一卡通”发放。", True),
    ("低保救助", "{year}年第{q}季度农村低保对象动态调整名单公示",
     "经户主申请、入户调查和村民代表会议民主评议，拟调整农村低保对象{k}户。对名单有异议的，请在公示期内向村务监督委员会反映。", True),
    ("项目建设", "{place}{road}建设项目{stage}公示",
     "{place}{road}项目总投资{amount}元，由村民代表会议表决通过，施工单位为{company}，工期{days}天。项目{stage}情况如下，欢迎村民监督。", False),
    ("值班安排", "{month}月{duty}值班安排",
     "为做好{duty}工作，村“两委”干部实行24小时值班，值班期间保持电话畅通，遇到紧急情况请及时到村部报告。", True),
    ("土地管理", "{place}{crop}种植基地土地流转情况公示",
     "经农户自愿，{place}{k}户农户将承包地流转给{company}种植{crop}，流转期限{years}年，每亩每年租金{unit}元。", True),
    ("村规民约", "村规民约修订征求意见公示",
     "为推进移风易俗，村民委员会拟对村规民约中{topic}等条款进行修订。请村民在公示期内提出意见，修订稿将提交村民会议表决。", False),
    ("集体经济", "村集体{crop}产业{year}年收益分配方案公示",
     "村集体{crop}产业本年度经营收入{amount}元，扣除成本后，按方案提取公积公益金，其余按股份分配给{k}户股民。", False),
    ("村级规划", "{year}年村级工作计划公示",
     "本年度重点推进{road}改造、{crop}产业发展和{topic}三项工作，计划投入资金{amount}元，资金来源为上级补助和村集体收入。", False),
]
TOPICS = ["人居环境整治", "防汛抗旱", "森林防火", "移风易俗", "乡村振兴", "安全生产", "禁毒宣传", "医保参保",
          "耕地保护", "基层治理", "文明家庭评选", "垃圾分类", "反诈宣传", "养老服务"]
WORKS = ["产业发展", "矛盾纠纷调解", "邻里互助", "环境卫生", "关爱留守儿童", "防返贫监测", "道路养护"]
COMPANIES = ["鑫源建筑工程有限公司", "丰收农业开发有限公司", "绿野生态农业专业合作社", "宏达水利工程有限公司",
             "山里红种养专业合作社", "兴旺茶业有限公司"]
DUTIES = ["防汛", "春节", "森林防火", "国庆", "秋收"]
STAGES = ["招标结果", "开工", "竣工验收", "资金使用"]
INCOME = [("经营收入", "收取{place}鱼塘承包费", 3000, 12000), ("经营收入", "收取原村小学校舍租金", 2000, 9000),
          ("投资收益", "收取{crop}专业合作社保底分红", 5000, 20000), ("补助收入", "收到镇财政拨付村级组织运转经费", 10000, 40000),
          ("补助收入", "收到{road}建设上级补助资金", 20000, 80000), ("其他收入", "收到村民自愿捐款（{road}）", 500, 5000)]
EXPENSE = [("管理费用", "缴纳村部及党群服务中心电费", 150, 600), ("管理费用", "购买办公用品", 100, 800),
           ("管理费用", "发放村民小组长误工补贴", 2000, 6000), ("公益支出", "支付{road}维修材料款", 1000, 15000),
           ("公益支出", "慰问特困及低保户", 1000, 5000), ("经营支出", "支付{crop}基地劳务费", 1000, 8000),
           ("其他支出", "代缴村民医疗保险差额", 500, 3000)]
ACCOUNT_2004 = {"公益支出": "其他支出", "税金及附加": "其他支出"}


def _id_number(rng: random.Random, born: int) -> str:
    body = "430524" + f"{born:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(digit) * weight for digit, weight in zip(body, weights))
    return body + "10X98765432"[total % 11]


def _mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "137", "150", "151", "158", "186", "187", "189", "177"]) + f"{rng.randint(0, 99999999):08d}"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class Village:
    def __init__(self, index: int, rng: random.Random) -> None:
        stem = PLACE_STEMS[index % len(PLACE_STEMS)] + PLACE_TAILS[(index // len(PLACE_STEMS)) % len(PLACE_TAILS)]
        self.id = f"v{index + 1:03d}"
        self.stem = stem
        self.name = stem + "村"
        self.population = rng.randint(900, 4200)
        self.households = self.population // rng.randint(3, 4)
        self.balance = Decimal(rng.randint(50_000, 400_000)) + Decimal(rng.randint(0, 99)) / 100


def _fields(rng: random.Random, village: Village, year: int, day: date) -> dict[str, object]:
    return {"year": year, "q": (day.month + 2) // 3, "month": day.month, "md": f"{day.month}月{day.day}日",
            "n": rng.randint(30, 90), "m": rng.randint(20, 30), "k": rng.randint(2, 40),
            "name": _person(rng), "topic": rng.choice(TOPICS), "work": rng.choice(WORKS),
            "amount": _money(Decimal(rng.randint(1000, 900000)) + Decimal(rng.randint(0, 99)) / 100),
            "township": "石桥镇", "road": rng.choice(ROADS), "place": village.stem + rng.choice(["一组", "二组", "三组", "四组", "五组"]),
            "company": rng.choice(COMPANIES), "days": rng.randint(30, 180), "stage": rng.choice(STAGES),
            "duty": rng.choice(DUTIES), "crop": rng.choice(CROPS), "years": rng.randint(3, 15),
            "unit": rng.randint(80, 600)}


def _yaml_text(text: str) -> str:
    return "|\n" + "".join(f"  {line}\n" if line else "\n" for line in text.splitlines())


def _notice(rng: random.Random, village: Village, year: int, section: str, number: int, out: Path) -> None:
    day = date(year, 1, 1) + timedelta(days=rng.randint(0, 330))
    if section == "party":
        category, title, body = rng.choice(PARTY)
        issuer, table = f"中共{village.name}支部委员会", False
    else:
        category, title, body, table = rng.choice(AFFAIRS)
        issuer = f"{village.name}村民委员会"
    fields = _fields(rng, village, year, day)
    paragraphs = [body.format(**fields)]
    for _ in range(rng.randint(1, 4)):
        extra = _fields(rng, village, year, day)
        paragraphs.append(rng.choice([
            "村“两委”将围绕{topic}继续做好相关工作，{name}负责具体落实，进展情况将及时公开。",
            "本次{work}工作经村民代表会议讨论通过，参会代表{m}人，同意{m}人。",
            "- 涉及{place}农户{k}户；\n- 资金{amount}元已按规定拨付；\n- 由{company}负责实施。",
            "如有异议，请在公示期内向村务监督委员会反映，监督电话 0739-5521386。",
            "**特别提醒**：{duty}期间，请村民注意安全，发现险情及时报告村部。",
        ]).format(**extra))
    record_id = f"{year}-{day.month:02d}-{number:04d}"
    title_text = village.name + title.format(**fields)
    posted = day + timedelta(days=rng.choice([7, 7, 8, 10, 15]))
    (out / f"{record_id}.yml").write_text(
        f"title: {title_text}\ndate: {day.isoformat()}\nposted_until: {posted.isoformat()}\n"
        f"category: {category}\nissuer: {issuer}\nbody: {_yaml_text(chr(10).join(p + chr(10) for p in paragraphs))}",
        encoding="utf-8")
    if table and rng.random() < 0.8:
        rows = ["姓名,组别,身份证号,联系电话,人数,金额(元)"]
        for _ in range(rng.randint(3, 25)):
            rows.append(f"{_person(rng)},{village.stem}{rng.randint(1, 9)}组,{_id_number(rng, rng.randint(1940, 2000))},"
                        f"{_mobile(rng)},{rng.randint(1, 6)},{rng.randint(100, 5000)}.00")
        (out / f"{record_id}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def _ledgers(rng: random.Random, village: Village, year: int, out: Path) -> None:
    new_chart = year >= 2024
    for month in range(1, 13):
        opening = village.balance
        lines = ["日期,凭证号,摘要,科目,收入,支出"]
        balance = opening
        days = sorted(rng.randint(1, 28) for _ in range(rng.randint(5, 14)))
        for number, day in enumerate(days, 1):
            income = rng.random() < 0.4 or balance < 20000
            account, summary, low, high = rng.choice(INCOME if income else EXPENSE)
            if not new_chart:
                account = ACCOUNT_2004.get(account, account)
            amount = Decimal(rng.randint(low, high)) + Decimal(rng.randint(0, 99)) / 100
            if not income and amount >= balance:
                amount = (balance / 2).quantize(Decimal("0.01"))
            balance += amount if income else -amount
            text = summary.format(place=village.stem + "一组", crop=rng.choice(CROPS), road=rng.choice(ROADS))
            cells = (_money(amount), "") if income else ("", _money(amount))
            lines.append(f"{year}-{month:02d}-{day:02d},记-{number:03d},{text},{account},{cells[0]},{cells[1]}")
        village.balance = balance
        posted = date(year + (month == 12), month % 12 + 1, rng.randint(3, 9))
        period = f"{year}-{month:02d}"
        (out / f"{period}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (out / f"{period}.yml").write_text(
            f"period: {period}\ndate: {posted.isoformat()}\nposted_until: {(posted + timedelta(days=15)).isoformat()}\n"
            f"issuer: {village.name}村民委员会\nopening_balance: {_money(opening)}\nclosing_balance: {_money(balance)}\n",
            encoding="utf-8")


_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_VOUCHER = re.compile(r"^ *voucher: .*\n", re.M)


def _copy_base(village: Village, year: int, first: int, out: Path) -> int:
    """Copy the demo's other kinds (not notices nor ledgers) into the village-year, renamed and
    with every year shifted by the same amount. Returns how many records were copied."""
    # The demo's 2026 refers to its 2025 (contracts, chains): a county's first year is a 2025.
    # Counted back from the last year, so that its newest two years copy the same kinds however
    # many years a county has before them.
    base_year = 2025 if year == first or (LAST_YEAR - year) % 2 else 2026
    shift = year - base_year
    count = 0
    for section in sorted((DEMO / str(base_year)).iterdir()):
        if section.name in GENERATED:
            continue
        target = out / section.name
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(section.iterdir()):
            if source.suffix.lower() not in (".yml", ".csv"):  # a record's photos, scans, Word body: as they are
                name = _YEAR.sub(lambda match: str(int(match.group(1)) + shift), source.name)
                (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
                continue
            text = source.read_text(encoding="utf-8")
            text = _YEAR.sub(lambda match: str(int(match.group(1)) + shift), text).replace(DEMO_NAME, village.stem)
            # The ledgers are generated afresh: a demo project's ties to the demo's ledger lines
            # (凭证号) would name lines that are not there.
            text = _VOUCHER.sub("", text)
            name = _YEAR.sub(lambda match: str(int(match.group(1)) + shift), source.name)
            (target / name).write_text(text, encoding="utf-8")
            count += source.suffix == ".yml"
    return count


def generate(out: Path, villages: int, years: int, records: int, seed: int = 1) -> None:
    content, config = out / "content", out / "site_config"
    for folder in (content, config):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    # The township's defaults with the synthetic county's day (a key written twice is refused).
    text = (ROOT / "site_config" / "_defaults.yml").read_text(encoding="utf-8")
    (config / "_defaults.yml").write_text(re.sub(r"(?m)^as_of:.*$", f"as_of: {LAST_YEAR}-12-31", text),
                                          encoding="utf-8")
    first = LAST_YEAR - years + 1
    for index in range(villages):
        rng = random.Random(f"{seed}:{index}")
        village = Village(index, rng)
        (config / f"{village.id}.yml").write_text(
            f"name: {village.name}\npopulation: {village.population}\nhouseholds: {village.households}\n", encoding="utf-8")
        for year in range(first, LAST_YEAR + 1):
            folder = content / village.id / str(year)
            copied = _copy_base(village, year, first, folder)
            (folder / "finance").mkdir(parents=True, exist_ok=True)
            _ledgers(rng, village, year, folder / "finance")
            notices = max(2, records - copied - 12)
            for section in ("party", "affairs"):
                (folder / section).mkdir(parents=True, exist_ok=True)
            for number in range(notices):
                section = "party" if number % 3 == 0 else "affairs"
                _notice(rng, village, year, section, number + 1, folder / section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=2)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--records", type=int, default=100, help="records per village-year")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(args.out, args.villages, args.years, args.records, args.seed)


if __name__ == "__main__":
    main()
