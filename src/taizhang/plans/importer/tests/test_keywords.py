"""recurrence, evidence, responsible, clean: the keyword readers."""

from __future__ import annotations

import pytest

from taizhang.plans.importer.clean import clean_line, normalize_width, remove_markers, split_lines
from taizhang.plans.importer.evidence import CODES, keyword_for, suggest_evidence
from taizhang.plans.importer.pipeline import make_title
from taizhang.plans.importer.recurrence import Recurrence, parse_recurrence
from taizhang.plans.importer.responsible import owners_from_text, responsible_from_text


@pytest.mark.parametrize(("text", "rrule", "count"), [
    ("每月安排1天集中学习", "FREQ=MONTHLY", 1),
    ("每月至少安排1天时间进行集中学习", "FREQ=MONTHLY", 1),
    ("每季度通报一次整改进展", "FREQ=MONTHLY;INTERVAL=3", 1),
    ("个人自学每周不少于2小时", "FREQ=WEEKLY", 1),
    ("每半年开展一次政治生态分析研判", "FREQ=MONTHLY;INTERVAL=6", 1),
    ("每年召开一次", "FREQ=YEARLY", 1),
    ("每月至少组织2次集中学习", "FREQ=MONTHLY", 2),
    ("每季度开展三次走访", "FREQ=MONTHLY;INTERVAL=3", 3),
    ("按月报送", "FREQ=MONTHLY", 1),
])
def test_recurrence(text, rrule, count):
    assert parse_recurrence(text) == Recurrence(rrule=rrule, min_count=count)


@pytest.mark.parametrize("text", [
    "每名班子成员至少发言1次", "传达到每一名党员", "每个支部", "每位党员", "召开年度民主生活会", "",
])
def test_not_recurrence(text):
    assert parse_recurrence(text) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("召开党委会。研究谋划党委及各支部主题教育工作", "committee_meeting"),
    ("召开党委扩大会议。组织领导班子成员召开党委扩大会议", "enlarged_committee_meeting"),
    ("讲好专题党课", "lecture"),
    ("普通党员全员讲好“微党课”", "lecture"),
    ("深入开展基层调研", "research_visit"),
    ("形成问题清单", "problem"),
    ("召开专题民主生活会", "democratic_life_meeting"),
    ("做好年度民主生活会会前准备", "democratic_preparation"),
    ("做好民主生活会准备工作", "democratic_preparation"),
    ("召开专题组织生活会", "organizational_life_meeting"),
    ("开展民主评议党员", "appraisal"),
    ("开展谈心谈话", "talk"),
    ("撰写对照检查材料", "self_examination"),
    ("设立党员示范岗", "model_post"),
    ("组建党员志愿服务队", "volunteer_activity"),
    ("开展群众满意度测评", "survey"),
    ("抓好建章立制", "institution"),
    ("开展建言献策活动", "suggestion"),
    ("选树宣传一批先进典型", "role_model"),
    ("党支部结合实际，每月至少安排1天时间进行集中学习", "study_session"),
    ("层层压实责任", None),
])
def test_evidence(text, kind):
    assert suggest_evidence(text) == kind


def test_evidence_prefers_the_title():
    text = "召开党委会。听取各支部集中学习情况汇报"
    assert suggest_evidence(text) == "committee_meeting"
    # an explicit title wins over the body's first keyword
    assert suggest_evidence("听取各支部集中学习情况汇报，召开党委会", title="召开党委会") == "committee_meeting"
    assert suggest_evidence("听取各支部集中学习情况汇报，召开党委会", title="听取汇报") == "study_session"


def test_evidence_vocabulary_is_the_glossary():
    assert set(CODES) >= {
        "committee_meeting", "enlarged_committee_meeting", "central_group_study",
        "branch_general_meeting", "branch_committee_meeting", "group_meeting", "theme_party_day",
        "democratic_life_meeting", "organizational_life_meeting", "study_session", "self_study",
        "lecture", "research_visit", "suggestion", "talk", "problem",
        "rectification", "self_examination", "appraisal", "role_model", "model_post",
        "volunteer_activity", "survey", "institution",
    }
    # Labels live in the registry (core.sources); the importer only names a code by keyword.
    assert keyword_for("role_model") == "先进典型"
    assert keyword_for("institution") == "建章立制"
    assert keyword_for("no_such_code") is None


@pytest.mark.parametrize(("text", "level"), [
    ("抓好领导班子主题教育", "committee"),
    ("抓实基层党组织主题教育", "branch"),
    ("党委班子成员", "committee"),
    ("各党支部、各部门", "branch"),
    ("全体党员", "member"),
    ("党员领导干部以普通党员身份参加", "committee"),
    ("工作要求", None),
    ("", None),
])
def test_responsible_from_text(text, level):
    assert responsible_from_text(text) == level


def test_owners_from_parentheses():
    owners = owners_from_text("（牵头单位：党委办公室；责任单位：各党支部）")
    assert (owners.lead_unit, owners.responsible_units, owners.responsible) == ("党委办公室", "各党支部", "branch")
    owners = owners_from_text("(牵头部门:组织部)")
    assert (owners.lead_unit, owners.responsible_units, owners.responsible) == ("组织部", "", None)
    assert owners_from_text("召开党委会") is None


def test_clean_removes_markers_and_keeps_text():
    assert remove_markers("##paidbegin##要把握正确政治方向") == "要把握正确政治方向"
    assert clean_line("前文##paidend##后文") == "前文后文"
    assert clean_line("##paidend##") == ""
    assert clean_line("\u3000\u30001．召开党委会\u200b。 ") == "1.召开党委会。"
    assert clean_line("第一条\u3000\u3000为了") == "第一条 为了"
    assert clean_line("A&nbsp;B") == "A B"
    assert normalize_width("２０２３年（一）") == "2023年（一）"


def test_split_lines_crlf_cr_lf():
    assert split_lines("\ufeffa\r\nb\rc\nd\n") == ["a", "b", "c", "d"]
    assert split_lines("a\u2028b") == ["a\u2028b"]
    assert split_lines("") == []


@pytest.mark.parametrize(("text", "title"), [
    ("根据上级部署要求，各支部认真开展自查自纠工作并形成清单，11月底前完成。", "各支部认真开展自查自纠工作并形成清单"),
    ("为深入贯彻落实党的二十大精神，召开专题学习会议研究部署，推动工作。", "召开专题学习会议研究部署"),
    # "为" starting a task is the task itself, not a lead-in
    ("为群众办实事解难题，各支部每季度至少走访一次困难群众家庭。", "为群众办实事解难题"),
    ("召开党委会，10月15日前完成", "召开党委会"),
    ("结合实际", "结合实际"),  # nothing else to choose
])
def test_titles_pass_over_lead_in_clauses(text, title):
    assert make_title(text) == title


# -- Nouns that name a standing rule, aim or list: only work that produces the record counts --

@pytest.mark.parametrize(("text", "kind"), [
    # rules followed, not made: no institution
    ("落实三会一课制度", None),
    ("严格执行请销假制度", None),
    ("认真遵守各项规章制度", None),
    ("落实谈心谈话制度", "talk"),  # the talks are the work
    ("严格落实组织生活会制度", "organizational_life_meeting"),
    ("完善学习计划并严格执行请销假制度", None),  # 完善 governs the plan, not the rule
    # rules made or revised: institution
    ("建立健全谈心谈话制度", "institution"),
    ("完善党员教育管理制度", "institution"),
    ("制定党员积分管理办法", "institution"),
    ("修订《党委会议事规则》", "institution"),
    ("健全整改落实机制", "institution"),
    ("形成长效机制", "institution"),
    ("抓好建章立制", "institution"),
    ("加强制度建设", "institution"),
    ("把好经验以制度形式固定下来", "institution"),
    ("建立健全行得通、做得实、管长远的制度机制", "institution"),
    # a satisfaction aim is not a survey
    ("提升群众满意度", None),
    ("不断提高服务对象满意度", None),
    ("开展群众满意度测评", "survey"),
    ("组织满意度问卷调查", "survey"),
    # a list worked from is not the list made
    ("根据问题清单逐项整改", "rectification"),
    ("对问题清单的整改情况逐一跟踪", "rectification"),
    ("对照问题清单逐项销号", "rectification"),
    ("针对群众反映的意见建议抓好整改", "rectification"),
    ("梳理形成问题清单", "problem"),
    ("广泛征求意见建议", "suggestion"),
    ("征求服务对象意见建议", "suggestion"),
])
def test_evidence_reads_nouns_with_their_verbs(text, kind):
    assert suggest_evidence(text) == kind


def test_evidence_prefers_a_rule_made_over_the_kind_it_regulates():
    # the task is to write the rule, not to hold talks
    assert suggest_evidence("建立健全谈心谈话制度，每年开展一次谈心谈话") == "institution"
    assert suggest_evidence("召开党委会，研究制定整改工作机制") == "committee_meeting"  # title first
