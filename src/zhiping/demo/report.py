"""The printed summary: rich tables of a :class:`DistrictSummary`, in Chinese or English.

Every year's figures side by side (sessions, void sessions and why, grades, pay), then
the last year's lists: the cadres to be adjusted and the organizations to be rectified.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from zhiping.demo.summary import UNGRADED, DistrictSummary, YearSummary
from zhiping.glossary import GRADES, Text, name_of

__all__ = ["render_summary"]

_RULES = {
    "notice.period": Text(zh="通知未按期提前发布", en="notice not published early enough"),
    "notice.channels": Text(zh="通知渠道不符合要求", en="notice through no accepted channel"),
    "notice.contents": Text(
        zh="通知未载明时间、地点、程序", en="notice omits time/place/procedure"
    ),
    "notice.reach": Text(
        zh="知晓面或入户动员面未达100%", en="not every household informed/visited"
    ),
    "attendance.not_on_roster": Text(
        zh="签到身份与名册不符", en="sign-in not backed by the roster"
    ),
    "attendance.invitee_kind": Text(zh="受邀人员类别不被认可", en="invitee of no recognised kind"),
    "quorum.party_members": Text(zh="到会党员不足五分之四", en="fewer than 4/5 of party members"),
    "quorum.representatives": Text(zh="到会村民代表不足30人", en="fewer than 30 representatives"),
    "ballots.issued": Text(zh="发出票数多于参评人数", en="more ballots issued than evaluators"),
    "ballots.returned": Text(zh="收回票数多于发出票数", en="more ballots returned than issued"),
    "ballots.unknown_subject": Text(zh="选票评了不存在的对象", en="marks for unknown subjects"),
    "grade.no_valid_votes": Text(zh="无有效票,未定等次", en="no valid votes, no grade"),
    "inquiry.commitment": Text(
        zh="质询未当场答复且无限期承诺", en="inquiry left without a dated promise"
    ),
    "commitment.overdue": Text(zh="往年承诺逾期未兑现", en="earlier commitment overdue"),
}
_WORDS = {
    "title": Text(
        zh="新洲区“直评村官”演示", en="Xinzhou direct evaluation of village cadres: demo"
    ),
    "caption": Text(zh="{t}个街镇、{v}个村,种子{s}", en="{t} townships, {v} villages, seed {s}"),
    "first_year": Text(
        zh="{y}年为首个年度:结果库中没有上年等次,连续两年不称职的规则自下一年起适用。",
        en="{y} is the first year: the results file holds no earlier grades, so the "
        "two-year rule applies from the next year on.",
    ),
    "item": Text(zh="项目", en="item"),
    "sessions": Text(zh="参评村数", en="villages evaluated"),
    "valid": Text(zh="有效直评", en="valid sessions"),
    "void": Text(zh="无效直评(须重新组织)", en="void sessions (to be held again)"),
    "adjustments": Text(zh="组织调整人数", en="organizational adjustments"),
    "weak": Text(zh="软弱涣散党组织", en="weak organizations"),
    "at_stake": Text(zh="绩效报酬基数(元)", en="performance pay at stake (yuan)"),
    "paid": Text(zh="应发绩效报酬(元)", en="performance pay total (yuan)"),
    "pending": Text(zh="无效直评暂缓核定(元)", en="held until void sessions are re-held (yuan)"),
    "void_title": Text(zh="无效原因(场次)", en="Why sessions are void (sessions)"),
    "warnings_title": Text(zh="提醒事项(项)", en="Warnings (findings)"),
    "rule": Text(zh="规则", en="rule"),
    "grades_title": Text(zh="等次分布(有效直评)", en="Grades (valid sessions)"),
    "grade": Text(zh="等次", en="grade"),
    "organizations": Text(zh="党组织", en="organizations"),
    "cadres": Text(zh="村干部", en="cadres"),
    UNGRADED: Text(zh="未定等次", en="ungraded"),
    "adjust_title": Text(
        zh="{y}年度组织调整(连续两年不称职)",
        en="Organizational adjustments for {y} (incompetent two years running)",
    ),
    "weak_title": Text(zh="{y}年度软弱涣散党组织整顿", en="Weak organizations to rectify, {y}"),
    "none": Text(zh="无", en="none"),
    "township": Text(zh="街镇", en="township"),
    "village": Text(zh="村", en="village"),
    "code": Text(zh="区划代码", en="code"),
    "cadre": Text(zh="姓名", en="cadre"),
    "posts": Text(zh="职务", en="posts"),
}


def render_summary(summary: DistrictSummary, console: Console, lang: str = "zh") -> None:
    """Print the summary as rich tables: every year's numbers, the last year's lists.

    Args:
        summary: what :func:`zhiping.demo.run_demo` returned.
        console: where to print.
        lang: ``zh`` or ``en``.

    Raises:
        ValueError: ``lang`` is neither ``zh`` nor ``en``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")

    def say(key: str) -> str:
        return _WORDS[key][lang]

    console.print(_overview(summary, say))
    console.print(say("first_year").format(y=summary.years[0].year), style="dim")
    years = summary.years
    console.print(_by_rule(years, "void_title", [y.void_by_rule for y in years], lang, say))
    console.print(_by_rule(years, "warnings_title", [y.warnings_by_rule for y in years], lang, say))
    console.print(_grades(years, lang, say))
    _render_lists(summary.final, console, lang, say)


def _overview(summary: DistrictSummary, say: Callable[[str], str]) -> Table:
    years = summary.years
    caption = say("caption").format(t=summary.townships, v=summary.villages, s=summary.seed)
    overview = _table(say("title"), say("item"), [str(y.year) for y in years], caption=caption)
    for key, figures in (
        ("sessions", [str(y.sessions) for y in years]),
        ("valid", [str(y.valid) for y in years]),
        ("void", [str(y.void) for y in years]),
        ("adjustments", [str(len(y.adjustments)) for y in years]),
        ("weak", [str(len(y.weak_organizations)) for y in years]),
        ("at_stake", [f"{y.pay_at_stake:,.2f}" for y in years]),
        ("paid", [f"{y.pay_total:,.2f}" for y in years]),
        ("pending", [f"{y.pay_pending:,.2f}" for y in years]),
    ):
        overview.add_row(say(key), *figures)
    return overview


def _by_rule(
    years: tuple[YearSummary, ...],
    title: str,
    counts: list[Mapping[str, int]],
    lang: str,
    say: Callable[[str], str],
) -> Table:
    table = _table(say(title), say("rule"), [str(y.year) for y in years])
    for rule in sorted({rule for by_rule in counts for rule in by_rule}):
        label = _RULES.get(rule, Text(zh=rule, en=rule))[lang]
        table.add_row(
            f"{escape(label)} [dim]{escape(rule)}[/]", *(str(c.get(rule, 0)) for c in counts)
        )
    return table


def _grades(years: tuple[YearSummary, ...], lang: str, say: Callable[[str], str]) -> Table:
    kinds = [f"{y.year} {say(kind)}" for y in years for kind in ("organizations", "cadres")]
    table = _table(say("grades_title"), say("grade"), kinds)
    ungraded = any(c[UNGRADED] for y in years for c in (y.organization_grades, y.cadre_grades))
    for grade in (*GRADES, UNGRADED) if ungraded else GRADES:
        label = say(grade) if grade == UNGRADED else name_of(grade)[lang]
        figures = [
            str(counts[grade]) for y in years for counts in (y.organization_grades, y.cadre_grades)
        ]
        table.add_row(label, *figures)
    return table


def _render_lists(
    final: YearSummary, console: Console, lang: str, say: Callable[[str], str]
) -> None:
    adjusted = _table(
        say("adjust_title").format(y=final.year),
        say("township"),
        [say("village"), say("code"), say("cadre"), say("posts")],
        figures=False,
    )
    for cadre in final.adjustments:
        posts = "、" if lang == "zh" else ", "
        named = posts.join(name_of(post)[lang] for post in cadre.posts)
        adjusted.add_row(
            *map(escape, (cadre.township, cadre.village, cadre.village_code, cadre.cadre, named))
        )
    weak = _table(
        say("weak_title").format(y=final.year),
        say("township"),
        [say("village"), say("code")],
        figures=False,
    )
    for organization in final.weak_organizations:
        weak.add_row(
            *map(escape, (organization.township, organization.village, organization.village_code))
        )
    for table, rows in ((adjusted, final.adjustments), (weak, final.weak_organizations)):
        if rows:
            console.print(table)
        else:
            console.print(f"[bold]{table.title}[/]: {say('none')}")


def _table(
    title: str, first: str, columns: list[str], *, caption: str | None = None, figures: bool = True
) -> Table:
    table = Table(title=title, caption=caption, title_justify="left")
    table.add_column(first)
    for column in columns:
        table.add_column(column, justify="right" if figures else "left")
    return table
