"""The compliance rules, each declared once as data (domain-rules.md §5, checks 1–20, 24–26).

A rule names its check *type* (a function in :mod:`taizhang.compliance.checks`) and that
type's parameters; adding a rule of an existing type — another meeting kind to count, another
threshold — is one more :class:`Rule` in :data:`RULES`, not new code. A parameter written
``S("NAME")`` is read from the setting ``NAME`` of :mod:`taizhang.compliance.conf` when the
rule is evaluated, so every [S]/[U] threshold can be changed without touching the rules.

Sources (domain-rules.md "Source keys"): TZ 《中国共产党支部工作条例（试行）》(2018); PY
民主评议党员 (共产党员网“支部生活”); XJ 《中国共产党基层组织选举工作条例》(2020); DZ
《中国共产党章程》; 细则 《中国共产党发展党员工作细则》. Tags: [C] confirmed in a retrieved text,
[S] practitioner practice, [U] unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import conf
from .periods import MONTH, QUARTER, YEAR

ERROR, WARNING, REMINDER = "error", "warning", "reminder"
SEVERITY_LABELS = {ERROR: "违规", WARNING: "警示", REMINDER: "提醒"}
SCOPE_LABELS = {"branch": "党支部", "group": "党小组", "member": "党员", "committee": "党委"}
PERIOD_LABELS = {MONTH: "每月", QUARTER: "每季度", YEAR: "每年"}

TZ = "《中国共产党支部工作条例（试行）》"
XJ = "《中国共产党基层组织选举工作条例》"
DZ = "《中国共产党章程》"
PY = "民主评议党员（共产党员网“支部生活·民主评议党员”）"


@dataclass(frozen=True)
class S:
    """A parameter read from setting ``name`` (see :mod:`taizhang.compliance.conf`)."""

    name: str

    def __str__(self):
        return f"{self.name}={conf.get(self.name)!r}"


@dataclass(frozen=True)
class Rule:
    """One machine-checkable rule.

    - ``id``: stable identifier (``C05`` = domain-rules §5 check 5; letters split a check);
    - ``title`` (Chinese), ``source`` (regulation and article), ``tag`` ("C"/"S"/"U");
    - ``scope``: branch / group / member / committee — what one violation is about;
    - ``period``: month / quarter / year — how often the rule is counted;
    - ``severity``: error / warning / reminder (a check may lower it for one finding, e.g.
      a term that expires in 90 days is a warning, an expired one an error);
    - ``check``: the check type; ``params``: its parameters (``S(...)`` = a setting);
    - ``enabled_by``: a boolean setting that switches the rule on (None = always on);
    - ``calendar``: shown as a row of the branch calendar (required records).
    """

    id: str
    title: str
    source: str
    tag: str
    scope: str
    period: str
    severity: str
    check: str
    params: dict = field(default_factory=dict)
    enabled_by: str | None = None
    calendar: bool = False
    note: str = ""

    def __reduce__(self):
        """Pickled by id (kept findings, ``store``): read back as the rule declared now."""
        return rule_by_id, (self.id,)

    def param(self, name: str, default=None):
        """The parameter's current value (settings resolved)."""
        value = self.params.get(name, default)
        return conf.get(value.name) if isinstance(value, S) else value

    @property
    def enabled(self) -> bool:
        return self.check != "unavailable" and (self.enabled_by is None or bool(conf.get(self.enabled_by)))

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def scope_label(self) -> str:
        return SCOPE_LABELS[self.scope]

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS[self.period]

    def param_display(self) -> list[tuple[str, str]]:
        """(name, "value" or "SETTING=value") pairs for the rules page."""
        return [(k, str(v) if isinstance(v, S) else repr(v) if not isinstance(v, str) else v)
                for k, v in self.params.items()]


RULES: tuple[Rule, ...] = (
    # --- 1–4 structure (TZ ch.2, ch.6) ---------------------------------------------------
    Rule("C01a", "正式党员3人以上的单位应成立党支部", f"{TZ}第二章", "C", "committee", MONTH, ERROR,
         "structure", {"aspect": "members_outside_branch", "min_full": S("FULL_MEMBERS_FOR_BRANCH")}),
    Rule("C01b", "党支部正式党员不足3人，应与邻近单位成立联合党支部", f"{TZ}第二章", "C", "branch", MONTH,
         WARNING, "structure", {"aspect": "branch_min", "min_full": S("FULL_MEMBERS_FOR_BRANCH")}),
    Rule("C02", "党支部党员人数一般不超过50人", f"{TZ}第二章", "C", "branch", MONTH, WARNING,
         "structure", {"aspect": "branch_max", "max_members": S("BRANCH_MAX_MEMBERS")}),
    Rule("C03", "正式党员7人以上设支部委员会（3至5人，最多7人，含书记、组织、宣传、纪检委员）；不足7人设书记",
         f"{TZ}第六章", "C", "branch", MONTH, ERROR, "structure",
         {"aspect": "committee", "threshold": S("FULL_MEMBERS_FOR_COMMITTEE"), "min": S("COMMITTEE_MIN"),
          "usual_max": S("COMMITTEE_USUAL_MAX"), "max": S("COMMITTEE_MAX"),
          "roles": ("secretary", "organization_member", "propaganda_member", "discipline_member")}),
    Rule("C04", "支部委员会按期换届（一般3年，村、社区5年），届满前90天提醒", f"{TZ}第六章（二级来源称第二十一条）；{DZ}第三十一条",
         "C", "branch", MONTH, ERROR, "structure",
         {"aspect": "term", "years": S("BRANCH_TERM_YEARS"), "village_years": S("VILLAGE_TERM_YEARS"),
          "warn_days": S("TERM_WARN_DAYS")}),
    Rule("C04c", "基层党委按期换届，届满前90天提醒", f"{DZ}第三十一条", "U", "committee", MONTH, ERROR,
         "structure", {"aspect": "term", "years": S("COMMITTEE_TERM_YEARS"), "warn_days": S("TERM_WARN_DAYS")}),
    # --- 5–9 frequencies (三会一课, 主题党日) ------------------------------------------------
    Rule("C05", "设支委会的党支部每月至少召开1次支委会", f"{TZ}第十二条", "C", "branch", MONTH, ERROR,
         "frequency", {"sources": (("meeting", "branch_committee_meeting"),), "min_count": 1,
                       "applies": "has_committee"}, calendar=True),
    Rule("C06", "每个党小组每月至少召开1次党小组会", f"{TZ}第十三条", "C", "group", MONTH, ERROR,
         "frequency", {"sources": (("meeting", "group_meeting"),), "min_count": 1}, calendar=True),
    Rule("C07", "党支部每季度至少召开1次支部党员大会", f"{TZ}第十一条", "C", "branch", QUARTER, ERROR,
         "frequency", {"sources": (("meeting", "branch_general_meeting"),), "min_count": 1}, calendar=True),
    Rule("C08", "党支部每季度至少上1次党课", f"{TZ}第十一条“按期上好党课”；次数为实务做法", "S", "branch",
         QUARTER, WARNING, "frequency",
         {"sources": (("meeting", "party_lecture"), ("lecture", "lecture")), "min_count": S("LECTURES_PER_QUARTER")},
         calendar=True),
    Rule("C09", "党支部每月开展1次主题党日", f"{TZ}第五章", "C", "branch", MONTH, ERROR,
         "frequency", {"sources": (("meeting", "theme_party_day"),), "min_count": 1}, calendar=True),
    Rule("C10", "党委（党组）书记每年至少讲1次党课", f"{TZ}（二级来源称第十六条）", "C", "committee", YEAR, ERROR,
         "lecture_by_post", {"org_kind": "committee", "min_count": S("COMMITTEE_SECRETARY_LECTURES_PER_YEAR")}),
    Rule("C10b", "支部书记每年至少讲1次党课", "地方做法", "U", "branch", YEAR, WARNING,
         "lecture_by_post", {"org_kind": "branch", "min_count": S("BRANCH_SECRETARY_LECTURES_PER_YEAR")},
         enabled_by="BRANCH_SECRETARY_LECTURE"),
    Rule("C11", "党支部每年至少召开1次组织生活会，会前谈心谈话、会后整改清单", f"{TZ}第五章（二级来源称第十七或十八条）",
         "C", "branch", YEAR, ERROR, "org_life",
         {"sources": (("meeting", "organizational_life_meeting"),), "min_count": 1,
          "warn_from": S("ORG_LIFE_WARN_FROM")}, calendar=True),
    # --- 12–14 民主评议党员 (records: evaluation.Appraisal) -------------------------------------
    Rule("C12", "年内在支部的每名党员都有民主评议等次", f"{TZ}第五章；{PY}", "C", "member", YEAR, ERROR,
         "appraisal", {"aspect": "graded"}),
    Rule("C13", "优秀等次一般不超过参评党员的1/3，预备党员不评优秀", f"{PY}；预备党员不评优秀为实务做法", "C", "branch",
         YEAR, WARNING, "appraisal", {"aspect": "excellent", "max_excellent": S("EXCELLENT_MAX_FRACTION")}),
    Rule("C14", "评为基本合格的有改进记录，评为不合格的有处置记录", PY, "C", "member", YEAR, WARNING,
         "appraisal", {"aspect": "follow_up"}),
    # --- 15 coverage ------------------------------------------------------------------------
    Rule("C15", "谈心谈话全覆盖：支委之间两两谈、每名党员至少与1名支委谈1次", f"{TZ}第五章", "C", "member",
         YEAR, WARNING, "coverage", {"relation": "talk"}),
    # --- 16–19 on the record itself -------------------------------------------------------
    Rule("C16", "支委会须有半数以上委员到会", f"{TZ}第十二条", "C", "branch", MONTH, ERROR,
         "quorum", {"body": "committee", "fraction": S("QUORUM_FRACTION")}),
    Rule("C17", "党员大会须有半数以上有表决权的党员到会；表决赞成票超过应到会有表决权党员的半数",
         f"{TZ}第十一条；发展党员事项见《中国共产党发展党员工作细则》第二十条、第三十三条", "C", "branch", MONTH, ERROR,
         "quorum", {"body": "general", "fraction": S("QUORUM_FRACTION")}),
    Rule("C18", "选举时到会有选举权党员超过应到会的4/5；当选人赞成票超过实到会有选举权党员的半数",
         f"{XJ}（当选票数为二级来源）", "C", "branch", MONTH, ERROR,
         "quorum", {"body": "election", "fraction": S("ELECTION_FRACTION")}),
    Rule("C19", "会议记录完整：时间、地点、主持人、记录人、应到实到缺席及缺席原因，实到+缺席=应到",
         "实务台账格式", "S", "branch", MONTH, WARNING,
         "completeness", {"fields": S("REQUIRED_MEETING_FIELDS")}),
    # --- 20 inactivity ----------------------------------------------------------------------
    Rule("C20", "党员连续6个月无正当理由不参加党的组织生活，提请书记关注", f"{DZ}第九条（待核实）", "U",
         "member", MONTH, WARNING, "inactivity", {"months": S("INACTIVE_MONTHS")}),
    # --- 24–26 rectification ledger -------------------------------------------------------
    # (C19, C24–C26: practitioner ledger format, domain-rules §4; the source shown is the user-facing one)
    Rule("C24", "每个问题至少有1项整改措施（或立行立改并有完成记录）；措施、责任领导、责任部门、责任人、时限齐全",
         "实务“五个明确”（整改台账）", "S", "branch", MONTH, ERROR,
         "rectification", {"aspect": "links"}),
    Rule("C25", "整改超期未销号为红；10天或20天内到期为黄", "实务台账筛选", "S", "branch", MONTH,
         ERROR, "rectification",
         {"aspect": "deadline", "amber_days": S("RECTIFICATION_AMBER_DAYS"),
          "notice_days": S("RECTIFICATION_NOTICE_DAYS")}),
    Rule("C26", "销号须有完成情况、佐证材料和审核人核验；无进展记录即销号的要核查", "实务台账",
         "S", "branch", MONTH, ERROR, "rectification", {"aspect": "closeout"}),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
assert len(BY_ID) == len(RULES), "duplicate rule id"

#: Check types registered by the apps whose records the rules read and which compliance does
#: not import (:func:`register`); the built-in types are ``checks.CHECKS``.
REGISTERED_CHECKS: dict = {}
_REGISTERED: list[Rule] = []


def register(*rules: Rule, checks: dict | None = None) -> None:
    """Add ``rules`` and their check types (``checks``: name → ``fn(rule, ctx)``, the contract
    of :mod:`.checks`) from the app that owns the records they read, from its
    ``AppConfig.ready`` (the 民主生活会 checks 21–23 come from the democratic app). Registering
    the same rule again is a no-op; another rule with a taken id raises ValueError."""
    REGISTERED_CHECKS.update(checks or {})
    for rule in rules:
        if rule.id in BY_ID:
            if BY_ID[rule.id] != rule:
                raise ValueError(f"compliance rule {rule.id} is declared twice")
            continue
        BY_ID[rule.id] = rule
        _REGISTERED.append(rule)


def rule_by_id(rule_id: str) -> Rule:
    """The declared rule ``rule_id`` (built-in or registered); KeyError for an unknown id."""
    return BY_ID[rule_id]


def all_rules() -> list[Rule]:
    """Every declared rule: :data:`RULES`, then the registered ones, ordered by id."""
    return sorted([*RULES, *_REGISTERED], key=lambda r: r.id)


def active_rules() -> list[Rule]:
    """The rules evaluated now (declared, switched on and with a data source)."""
    return [rule for rule in all_rules() if rule.enabled]
