"""村规民约: the village rules in force, as numbered articles (003, 004).

One record is one text of the rules: the articles as adopted (`adopted_on`, by the decision named
in `adopted_by`, a record of 重大决策 that went through 四议两公开), and its revisions, each from
its own day (`revised_on`): a revision's articles replace the article of the same number from
that day, or add one (补充条款第一条 …). So the article in force on any day can be told, and a
红黑榜 entry's clause ("第二条（环境卫生）") is checked against the article in force on the
entry's day and links to it (red_black.py asks through `Record.rules_in_force`, as kinds do not
import each other).

Rules:
- an article's number is written 第…条, optionally after the name of a part (补充条款第一条);
  two articles of one text with the same number: an error;
- a decision named that does not exist: an error; one that did not pass, or passed after the
  day the rules say it was adopted: a finding; rules adopted without naming one: a finding (an
  old text adopted before the portal);
- a revision dated before the adoption: an error.

A village with several texts (the rules re-adopted as a whole) has in force on a day the one
adopted last before it. Before the first text it records, the portal does not know the rules:
a 红黑榜 entry from then is not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from pydantic import Field, PrivateAttr

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Part, Text

SECTION = "rules"
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# 第二条, 第 12 条, 补充条款第一条; then, in a clause, the article's title in brackets.
_NUMBER = re.compile(r"^(?P<part>[^第（(]*?)\s*第\s*(?P<n>[〇零一二两三四五六七八九十百\d]+)\s*条$")
_CLAUSE = re.compile(r"^(?P<number>[^（(]*?第[^（(]+?条)\s*(?:[（(](?P<title>[^）)]*)[）)])?\s*$")


def _numeral(text: str) -> int | None:
    """二 → 2, 十二 → 12, 二十一 → 21, 一百零三 → 103, 12 → 12."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
        else:
            return None
    return total + digit or None


def article_key(number: str) -> tuple[str, int] | None:
    """The part (补充条款, or none) and the article's number: 第二条 and 第2条 are one article."""
    match = _NUMBER.match(number.strip())
    if not match:
        return None
    n = _numeral(match["n"])
    return (match["part"].strip(), n) if n else None


def bare_title(title: str) -> str:
    return title.strip().strip("（）()").strip()


class Article(Part):
    number: Text  # 第二条, 补充条款第一条
    title: Text = ""  # 环境卫生 (with or without its brackets)
    text: Text

    @property
    def heading(self) -> str:
        title = bare_title(self.title)
        return f"{self.number}（{title}）" if title else self.number


class Revision(Part):
    revised_on: ClerkDate  # from this day the articles below apply
    adopted_by: Text = ""  # the decision (重大决策) that passed it: its id, or decisions/<id>
    what_changed: Text = ""
    articles: list[Article] = Field(min_length=1)


@dataclass(frozen=True)
class ArticleVersion:
    """An article's text from one day (its adoption or a revision) until the next revision of it."""

    article: Article
    since: date
    until: date | None  # the last day it was in force; None while it is
    revised: bool  # whether a revision gave this text
    replaces: bool  # whether it replaced an earlier text (else the revision added the article)
    anchor: str  # its place on the rules page

    @property
    def heading(self) -> str:
        return self.article.heading


@dataclass(frozen=True)
class DecisionLink:
    year: int
    id: str
    matter: str


@dataclass(frozen=True)
class Citation:
    """What a 红黑榜 clause cites: the article in force on the entry's day, and where it is."""

    heading: str  # 第二条（环境卫生）, as the rules word it
    matches: bool  # whether the clause's title (if any) is the article's
    address: str  # from the village's folder: <year>/rules/<id>/#<anchor>


@dataclass(frozen=True)
class InForce:
    """One text of the rules as in force on a day."""

    adopted: date
    articles: dict[tuple[str, int], ArticleVersion]
    year: int
    id: str

    def cite(self, clause: str) -> Citation | None:
        """The article a clause cites; None when the text in force has no such article."""
        match = _CLAUSE.match(clause.strip())
        key = article_key(match["number"]) if match else None
        version = self.articles.get(key) if key else None
        if version is None:
            return None
        cited = bare_title(match["title"] or "") if match else ""
        return Citation(version.heading, not cited or cited == bare_title(version.article.title),
                        f"{self.year}/{SECTION}/{self.id}/#{version.anchor}")

    @property
    def headings(self) -> str:
        return "、".join(version.heading for version in self.articles.values())


class VillageRules(Record):
    section = SECTION
    order = 53
    disclosure = "affairs"
    # A text of the rules stays in force across years: a year without one lists no empty section.
    listed_when_empty = False
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.supervision", "print.signature.director")
    # For `village-portal new` and `template`: numbers written as the rules write them.
    examples: ClassVar[dict[str, Any]] = {"articles.0.number": "第一条", "revisions.0.articles.0.number": "第二条"}

    class Rules(KindRules):
        posting_days: int | None = Field(None, ge=0)

    adopted_on: ClerkDate
    adopted_by: Text = ""  # the decision (重大决策) that adopted it: its id, or decisions/<id>
    body: Text = ""
    articles: list[Article] = Field(min_length=1)
    revisions: list[Revision] = []
    # The decisions named, as found by check (named → year and matter), for the page's links.
    _decisions: dict[str, DecisionLink] = PrivateAttr(default_factory=dict)

    # -- the articles through time --------------------------------------------------------

    def versions(self) -> dict[tuple[str, int], list[ArticleVersion]]:
        """Every article's texts, oldest first, in the order of the articles' numbers."""
        dated: dict[tuple[str, int], list[tuple[date, Article, bool]]] = {}
        for article in self.articles:
            if (key := article_key(article.number)) is not None:
                dated.setdefault(key, []).append((self.adopted_on, article, False))
        for revision in sorted(self.revisions, key=lambda r: r.revised_on):
            for article in revision.articles:
                if (key := article_key(article.number)) is not None:
                    dated.setdefault(key, []).append((revision.revised_on, article, True))
        parts = list(dict.fromkeys(key[0] for key in dated))  # each part where it first comes
        result = {}
        for key in sorted(dated, key=lambda k: (parts.index(k[0]), k[1])):
            texts = dated[key]
            result[key] = [ArticleVersion(article, since, _day_before(texts[i + 1][0]) if i + 1 < len(texts) else None,
                                          revised, i > 0, _anchor(key) if i + 1 == len(texts) else f"{_anchor(key)}-{since}")
                           for i, (since, article, revised) in enumerate(texts)]
        return result

    def current(self) -> list[ArticleVersion]:
        """The articles as the last revision leaves them."""
        return [texts[-1] for texts in self.versions().values()]

    def superseded(self) -> list[ArticleVersion]:
        """Earlier texts of articles a revision replaced, newest first."""
        old = [version for texts in self.versions().values() for version in texts[:-1]]
        return sorted(old, key=lambda v: v.since, reverse=True)

    def rules_in_force(self, day: date) -> InForce | None:
        if day < self.adopted_on:
            return None
        articles = {}
        for key, texts in self.versions().items():
            now = [version for version in texts if version.since <= day]
            if now:
                articles[key] = now[-1]
        return InForce(self.adopted_on, articles, self.year, self.id)

    # -- rules ----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        self._check_numbers(context, "articles", self.articles)
        if self.adopted_by:
            self._check_decision(context, "adopted_by", self.adopted_by, self.adopted_on)
        else:  # an old text, adopted before the portal: say so, the rules still apply
            context.report(self, "adopted_on", "rules_without_decision", Severity.FINDING, day=self.adopted_on.isoformat())
        for index, revision in enumerate(self.revisions):
            where = f"revisions.{index}"
            if revision.revised_on < self.adopted_on:
                context.report(self, f"{where}.revised_on", "rules_revision_before_adoption",
                               revised=revision.revised_on.isoformat(), adopted=self.adopted_on.isoformat())
            self._check_numbers(context, f"{where}.articles", revision.articles)
            if revision.adopted_by:
                self._check_decision(context, f"{where}.adopted_by", revision.adopted_by, revision.revised_on)

    def _check_numbers(self, context: CheckContext, where: str, articles: list[Article]) -> None:
        seen: set[tuple[str, int]] = set()
        for index, article in enumerate(articles):
            key = article_key(article.number)
            if key is None:
                context.report(self, f"{where}.{index}.number", "rules_bad_number", number=article.number)
            elif key in seen:
                context.report(self, f"{where}.{index}.number", "rules_number_twice", number=article.number)
            else:
                seen.add(key)

    def _check_decision(self, context: CheckContext, where: str, named: str, day: date) -> None:
        """The decision named exists (else an error), passed, and by `day` (else a finding)."""
        decision = named.strip().removeprefix("decisions/").strip("/")
        found = context.named("decisions", decision)
        if not found:
            context.report(self, where, "rules_decision_unknown", decision=named)
            return
        self._decisions[named] = DecisionLink(found[0].year, found[0].id, found[0].summary())
        passed = [approved for record in found if (approved := record.approved_on(context)) is not None]
        if not passed:
            context.report(self, where, "rules_decision_not_passed", Severity.FINDING, decision=named)
        elif min(passed) > day:
            context.report(self, where, "rules_before_decision", Severity.FINDING, decision=named,
                           day=day.isoformat(), passed=min(passed).isoformat())

    def decision(self, named: str) -> DecisionLink | None:
        """The decision named, once checked, for its link; None if none such."""
        return self._decisions.get(named)


def _anchor(key: tuple[str, int]) -> str:
    """An article's id on the page: 第2条, 补充条款第1条 (no spaces, whatever the clerk typed)."""
    return f"{''.join(key[0].split())}第{key[1]}条"


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)
