"""Slips whose wrong form is made of common words, read by the words around them
(domain/proofread/slips.py), and the 的 of an attributive."""

from __future__ import annotations

import pytest

from domain.proofread import Checker, default_lexicons


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(default_lexicons())


def _confusables(checker: Checker, text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.suggestion) for f in checker.check(text) if f.category == "confusable"]


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("各单位要在次核查本辖区内的安全隐患。", "在次", "再次"),
        ("请提前做好准备，已便及时处置。", "已便", "以便"),
        ("活动面向6岁已上儿童。", "已上", "以上"),
        ("三级已下景区不参加评比。", "已下", "以下"),
        ("请于5月1日前报名，逾期不在受理。", "不在", "不再"),
        ("各不门要协同配合。", "不门", "部门"),
        ("这一措施发挥了积极做用。", "做用", "作用"),
        ("要切实抓好按全生产。", "按全", "安全"),
        ("各类活动要却保安全。", "却保", "确保"),
        ("有关部门要加大执法力渡。", "力渡", "力度"),
        ("要狠抓工作落石。", "落石", "落实"),
        ("要竖立正确的政绩观。", "竖立", "树立"),
        ("对违规行为要严肃查出。", "查出", "查处"),
        ("坚决扼制重特大事故发生。", "扼制", "遏制"),
        ("推进文化和旅游深度融和发展。", "融和", "融合"),
        ("要加强对安全工作的领到。", "领到", "领导"),
        ("完善工作制渡。", "制渡", "制度"),
        ("填写后既可提交。", "既可", "即可"),
        ("工作人员耐心的为游客讲解展品。", "耐心的", "耐心地"),
        ("美丽地风景吸引了大批游客。", "美丽地", "美丽的"),
        ("要不段提升服务质量。", "不段", "不断"),
        ("认真贯沏落实上级部署。", "贯沏", "贯彻"),
        ("活动组织地井井有条。", "组织地", "组织得"),
        ("节目排练的有声有色。", "排练的", "排练得"),
        ("个单位要高度重视。", "个", "各"),
        ("本市以有12家单位通过验收。", "以有", "已有"),
        ("再活动期间，请游客注意安全。", "再", "在"),
        ("景区已完成改造。再此，向大家表示感谢。", "再", "在"),
        ("请个部门认真落实，全市个县区要做好汇总。", "个", "各"),
    ],
)
def test_a_slip_is_found_where_its_neighbours_make_it_one(
    checker: Checker, text: str, wrong: str, right: str
) -> None:
    assert (wrong, right) in _confusables(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "他在次日返回，我们在次年完成了改造，这点在次要位置。",
        "指引标识已便于辨认，交通已便捷。",
        "全部名单已上报，经费已下达，3家企业已上市，5人已上岗，2个项目已上会，6辆已上牌。",
        "非本市户籍人员不在受理范围内，不在开放时间内请勿入园。",
        "门票收入按全年接待量核算，按全市统一标准公示。",
        "老街区改造后却保留了原有的格局，却保持着宁静。",
        "帮助经营户努力渡过难关，合力渡过险滩。",
        "汛期山区道路易发生落石，防止落石伤人。",
        "景区入口竖立起一块花岗岩标牌。",
        "日常巡查中查出的问题要建立台账。",
        "节日的街头气氛融和温暖。",
        "获奖作者可到市文化馆领到证书，群众顺利领到了补贴。",
        "渡口管理站要控制渡船载客人数。",
        "读者既可线上预约，也可现场登记；既可参观，又可体验。",
        "他的讲解得到了观众热情的回应，这是最有效的。",
        "这片丰富地区的民俗值得一看，重要地位不可替代，独特地域文化。",
        "区域发展地区差异明显，受到保护的很多文物。",
        "三个单位获得表彰，这个部门负责审批，整个景区、每个单位、各个部门、多个部门都在。",
        "我市有20个乡镇，一个个单位，是个地方，有个村子，这是个部门的事。",
        "先完成初审，再在全市范围内，推广经验；再次活动期间，再一次过程中，照常。",
        "每人可以有2次机会，所以有3个名额，难以有一个结果。",
    ],
)
def test_the_same_words_where_they_are_right_are_no_finding(checker: Checker, text: str) -> None:
    assert _confusables(checker, text) == []
