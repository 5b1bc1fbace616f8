"""MkDocs hook: the record kinds reference (记录种类参考), written from the kinds' models.

At every build of the documentation this imports the registry of record kinds (`KINDS`), the
message catalogue and the scaffold that `village-portal new` and `template` are made by, and
writes `kinds.md`: for every kind its section, its Chinese title, its fields (required or not,
how to write them, what values the rules allow), its spreadsheet's columns, its rules' settings
with the defaults in the kind's model and in `site_config/_defaults.yml`, the problems only it
reports, and an example record that passes the rules. Nothing here names a kind, so the page
cannot drift from the code: a new kind, field or setting appears at the next `make docs`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.structure.files import File, Files

from generator.domain.kinds import KINDS, Record
from generator.fs.paths import KIND_THEMES
from generator.inputs.messages import Catalogue
from generator.tools import examples, fields
from generator.tools import scaffold as skeleton

PAGE = "kinds.md"
ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = ROOT / "site_config" / "_defaults.yml"
# The year the examples are made for: fixed, so that the page is the same at every build.
EXAMPLE_YEAR = 2025


class _Scaffold:
    """What `village-portal new` and `template` are made from: a kind's fields as a clerk writes
    them (`describe`, `row_model`, `table_headers`), example values that pass the rules
    (`example`), and the comment `new` writes above each field (`comment`)."""

    TABLE = fields.TABLE
    describe = staticmethod(fields.describe)
    row_model = staticmethod(fields.row_model)
    table_headers = staticmethod(fields.table_headers)
    example = staticmethod(examples.example)
    comment = staticmethod(skeleton.comment)


# -- site_config/_defaults.yml: the township's values, and the comment that explains each -----------

_SETTING = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z0-9_-]+):(?P<value>[^#]*)(?:#\s*(?P<comment>.*))?$")


def _township_rules() -> dict[tuple[str, str], tuple[Any, str]]:
    """(section, setting) → (the value _defaults.yml gives, its comment there)."""
    if not DEFAULTS.exists():
        return {}
    text = DEFAULTS.read_text(encoding="utf-8")
    values = (yaml.safe_load(text) or {}).get("rules") or {}
    comments: dict[tuple[str, str], str] = {}
    section = None
    inside = False
    for line in text.splitlines():
        match = _SETTING.match(line)
        if not match:
            continue
        depth = len(match["indent"])
        if depth == 0:
            inside = match["key"] == "rules"
        elif inside and depth == 2:
            section = match["key"]
        elif inside and depth == 4 and section and match["comment"]:
            comments[(section, match["key"])] = match["comment"].strip()
    found = {}
    for section_name, settings in values.items():
        for key, value in (settings or {}).items():
            found[(section_name, key)] = (value, comments.get((section_name, key), ""))
    return found


# What the settings every kind has (`KindRules`) mean, where the catalogue has no label for them.
_BASE_SETTINGS = {"posting_days": "最短公示期（天）；不设表示这个栏目的记录没有公示期"}


# -- Markdown --------------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\`*_\[\]{}()#+!|-])")


def _md(value: Any) -> str:
    """Text from the catalogue or the models, shown as written: not read as Markdown (the hint
    about **加粗** is not bold, `{count}` is not an attribute list), on one line."""
    text = "" if value is None else str(value)
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", " ").strip()


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md(value) for value in row) + " |" for row in rows]
    return lines + [""]


class _AsTyped(yaml.SafeDumper):
    """Writes the example as a clerk types it: `date: 2025-02-05`, `amount: 1200.00`, not quoted
    (the examples hold text, and the tool reads such plain values as dates and exact amounts)."""


def _as_typed(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    tag = dumper.resolve(yaml.ScalarNode, value, (True, False))
    if tag.endswith((":timestamp", ":float", ":int")):
        return dumper.represent_scalar(tag, value)
    return dumper.represent_str(value)


_AsTyped.add_representer(str, _as_typed)


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_AsTyped, allow_unicode=True, sort_keys=False).rstrip()


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(item) for item in value) or "（无）"
    if isinstance(value, dict):
        return "；".join(f"{key}：{item}" for key, item in value.items())
    return "（不设）" if value is None else str(value)


class _Writer:
    """One kind's part of the page, in the catalogue's words and the scaffold's explanations."""

    def __init__(self, scaffold: _Scaffold, catalogue: Any, township: dict[tuple[str, str], tuple[Any, str]],
                 kind_themes: Path) -> None:
        self.scaffold = scaffold
        self.catalogue = catalogue
        self.township = township
        self.kind_themes = kind_themes
        self.record_fields: set[str] = set()

    def text(self, key: str, default: str = "") -> str:
        return self.catalogue.text(key) if key in self.catalogue else default

    def title(self, kind: type) -> str:
        return self.text(f"sections.{kind.section}.title", kind.section)

    def how(self, doc: Any, example: Any, choices: tuple[str, ...], help: bool = True) -> str:
        """What `village-portal new` writes in the comment above the field, without the label;
        without `help`, without the hint about the record's field of that name (a table's
        `date` column is not the day the record went up)."""
        comment = self.scaffold.comment(doc, self.catalogue, example, choices)
        required = self.text("scaffold.required" if doc.required else "scaffold.optional")
        comment = comment.removeprefix(f"{doc.label}（{required}）：")
        hint = self.text(f"scaffold.help.{doc.name}")
        if not help and hint:
            comment = comment.removesuffix(hint).removesuffix("；")
        return comment

    def field_items(self, docs: list[Any], examples: Any, choices: dict[str, tuple[str, ...]],
                    prefix: str = "", indent: str = "") -> list[str]:
        """One list item a field, nested as the YAML nests them: `key` 名称（必填）：写法."""
        items = []
        for doc in docs:
            path = prefix + doc.key
            value = examples.get(doc.key) if isinstance(examples, dict) else None
            required = self.text("scaffold.required" if doc.required else "scaffold.optional")
            # A step's `date` is not the record's: the catalogue's label and hint for the
            # record's fields of that name would mislead, so a nested one shows neither.
            own = not prefix or doc.name not in self.record_fields
            if doc.kind == self.scaffold.TABLE:
                how = "写在同名的表格文件里（见下面的“表格的列”）"
            else:
                how = self.how(doc, value, choices.get(path, ()), help=own)
            label = f" **{_md(doc.label)}**" if doc.label != doc.key and own else ""
            items.append(f"{indent}- `{doc.key}`{label}（{required}）：{_md(how)}")
            if doc.children:
                child = value[0] if isinstance(value, list) and value else value
                items += self.field_items(doc.children, child or {}, choices, path + ".", indent + "    ")
        return items

    def kind(self, kind: type) -> list[str]:
        scaffold = self.scaffold
        section = kind.section
        example = scaffold.example(kind, EXAMPLE_YEAR, self.catalogue)
        lines = [f"## {self.title(kind)} `{section}` {{#{section}}}", ""]
        intro = self.text(f"sections.{section}.intro")
        if intro:
            lines += [intro, ""]
        disclosure = self.text(f"compliance.category.{kind.disclosure}", kind.disclosure)
        files = f"`content/<村>/<年>/{section}/<编号>.yml`"
        if kind.table_field:
            files += f"，表格 `<编号>.xlsx` 或 `<编号>.csv`（字段 `{kind.table_field}`）"
        signatures = "、".join(self.text(key, key) for key in kind.signatures)
        lines += [
            f"- 记录文件：{files}",
            f"- 计入：{disclosure}" + ("" if kind.counts_as_disclosure else "（但不算作一次定期公开）"),
            f"- 没有记录的年份：{'也列出这个栏目' if kind.listed_when_empty else '不列出这个栏目'}",
            f"- 打印的公告下方签字栏：{signatures}",
            "",
            "### 字段",
            "",
        ]
        docs = scaffold.describe(kind, self.catalogue, kind.table_field)
        lines += self.field_items(docs, example.data, example.choices) + [""]
        if kind.table_field:
            lines += self.columns(kind, example.choices)
        lines += self.rules(kind)
        lines += self.problems(kind)
        if not example.errors:
            lines += ["### 示例", "",
                      f"一条能通过检查的记录（`village-portal new {section}` 写出同样的字段，并附中文说明）：", "",
                      "```yaml", _yaml(example.data), "```", ""]
            if example.rows:
                headers = list(example.rows[0])
                lines += [f"同名的表格（`village-portal template {section}` 写出带表头和示例行的 .xlsx）：", ""]
                lines += _table(headers, [[row.get(header, "") for header in headers] for row in example.rows])
        return lines

    def columns(self, kind: type, choices: dict[str, tuple[str, ...]]) -> list[str]:
        scaffold = self.scaffold
        lines = ["### 表格的列", ""]
        model = scaffold.row_model(kind)
        if model is None:
            return lines + ["列由文书自己定（第一行是表头）。表头里有身份证、电话、手机、银行、卡号、账号等字样的列，"
                            "读入时就隐去部分数字，网页上不会出现完整号码。", ""]
        docs = {doc.name: doc for doc in scaffold.describe(model, self.catalogue)}
        aliases: dict[str, list[str]] = {}
        for header, name in kind.table_columns.items():
            aliases.setdefault(name, []).append(header)
        items = []
        for header, name in scaffold.table_headers(kind):
            doc = docs.get(name)
            if doc is None:
                continue
            required = self.text("scaffold.required" if doc.required else "scaffold.optional")
            also = "、".join(alias for alias in aliases.get(name, []) if alias != header)
            how = self.how(doc, None, choices.get(f"{kind.table_field}.{name}", ()), help=False)
            how += f"；表头也可以写成：{also}" if also else ""
            items.append(f"- **{_md(header)}**（`{name}`，{required}）：{_md(how)}")
        return lines + items + [""]

    def rules(self, kind: type) -> list[str]:
        section = kind.section
        defaults = kind.Rules().model_dump(mode="json")
        lines = ["### 规则的设置", ""]
        if not defaults:
            return lines + ["这个栏目没有可以设置的数字。", ""]
        lines += [f"写在 `site_config/_defaults.yml`（全镇）或 `site_config/<村>.yml`（一个村）的 "
                  f"`rules:` 下面的 `{section}:` 里。", ""]
        items = []
        for name, default in defaults.items():
            _, comment = self.township.get((section, name), (None, ""))
            label = self.text(f"fields.{name}")
            explained = "；".join(part for part in (label, comment) if part) or _BASE_SETTINGS.get(name, "")
            value = f"默认 {_shown(default)}"
            if (section, name) in self.township and _shown(self.township[(section, name)][0]) != _shown(default):
                value += f"，演示乡镇的 _defaults.yml 写的是 {_shown(self.township[(section, name)][0])}"
            items.append(f"- `rules.{section}.{name}`：{_md(explained)}。{_md(value)}")
        return lines + items + [""]

    def problems(self, kind: type) -> list[str]:
        path = self.kind_themes / kind.section / f"messages.{self.catalogue.language}.yml"
        own = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("problem") if path.exists() else None
        if not own:
            return []
        lines = ["### 本栏目特有的检查提示", "",
                 "括号 `{…}` 里的内容，检查时换成记录里的实际数字、日期或文字。通用的提示（日期、金额、公示期等）见"
                 "[文书指南](clerk.md#messages)。", ""]
        items = [f"- {_md(self.text(f'problem.{key}', str(text)))}（`{key}`）" for key, text in own.items()]
        return lines + items + [""]


def kinds_page() -> str:
    scaffold = _Scaffold()
    catalogue = Catalogue()
    writer = _Writer(scaffold, catalogue, _township_rules(), KIND_THEMES)
    registry = KINDS
    writer.record_fields = set(Record.model_fields)
    lines = [
        "# 记录种类参考",
        "",
        "每一种记录是网站上的一个栏目，记录文件放在 `content/<村>/<年>/<栏目>/` 里。本页在生成文档时由程序里"
        "各种记录的模型自动写出（`docs/hooks/kinds_reference.py`），所以和程序总是一致的：字段、是否必填、"
        "写法、规则允许的值、规则的设置和默认值。字段的写法和 `village-portal new` 在模板里写的说明相同。",
        "",
        f"可选值和示例按 {EXAMPLE_YEAR} 年的规则列出（例如会计科目随年份变化）。",
        "",
    ]
    lines += ["| 栏目 | 计入 | 带表格 |", "|---|---|---|"]
    lines += [f"| [{_md(writer.title(kind))}](#{section})<br>`{section}` "
              f"| {_md(writer.text(f'compliance.category.{kind.disclosure}', kind.disclosure))} "
              f"| {'有' if kind.table_field else ''} |" for section, kind in registry.items()]
    lines += [""]
    for kind in registry.values():
        lines += writer.kind(kind)
    return "\n".join(lines) + "\n"


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, PAGE, content=kinds_page()))
    return files
