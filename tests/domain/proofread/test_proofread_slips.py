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


# -- words right elsewhere, wrong by their neighbours (2026.12.10) ------------------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("面临的形式错综复杂。", "形式", "形势"),
        ("要认清形式，把握大局。", "形式", "形势"),
        ("市文化馆招租启示。", "启示", "启事"),
        ("公安机关已立案侦察。", "侦察", "侦查"),
        ("该案侦察终结后移送审查起诉。", "侦察", "侦查"),
        ("防止景区过渡开发和过渡商业化。", "过渡", "过度"),
        ("新旧政策衔接设置一年过度期。", "过度", "过渡"),
        ("老人激动得不能自己。", "不能自己", "不能自已"),
        ("门口贴着一付对联。", "付", "副"),
        ("工作人员共同的完成了布展。", "共同的", "共同地"),
        ("执法人员依法的查处违规经营行为。", "依法的", "依法地"),
        ("各单位要严格格守工作纪律。", "格守", "恪守"),
        ("展览布置的很精美。", "布置的", "布置得"),
        ("古建筑修复的十分完好。", "修复的", "修复得"),
        ("讲解员讲解的非常生动。", "讲解的", "讲解得"),
    ],
)
def test_a_word_right_elsewhere_is_found_where_its_neighbours_make_it_wrong(
    checker: Checker, text: str, wrong: str, right: str
) -> None:
    assert (wrong, right) in _confusables(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "活动形式多样，形式主义要不得，表现形式丰富，形式严谨。",
        "这次展览给人以深刻的启示，带来了有益启示。",
        "部队开展战场侦察，无人机侦察。",
        "过渡期内按原标准执行，做好过渡安排；反对过度包装，不要过度期待，过度期望反而不好。",
        "景区要过渡到新的管理模式。",
        "他不能自己决定，也不能自己去。",
        "请于三日内付款，一付清就发货。",
        "大家共同的目标，依法的原则，共同的家园。",
        "在专家科学的指导下，在政府积极的引导下。",
        "严格守住底线，风格守正创新。",
        "展览布置的展品很多，修复的文物，讲解的内容很丰富。",
    ],
)
def test_those_words_where_they_are_right_are_no_finding(checker: Checker, text: str) -> None:
    assert _confusables(checker, text) == []


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("各地区要另辟溪径，攻艰克难。", "攻艰克难", "攻坚克难"),
        ("要防范于未然，警种长鸣。", "防范于未然", "防患于未然"),
        ("大家要不醒人事地干。", "不醒人事", "不省人事"),  # 要不 is a word, 不醒人事 is no join
        ("造成资源浪废。", "浪废", "浪费"),
        ("这次事件暴漏出管理漏洞。", "暴漏", "暴露"),
    ],
)
def test_common_miswritings_of_words_and_idioms(
    checker: Checker, text: str, wrong: str, right: str
) -> None:
    assert (wrong, right) in _confusables(checker, text)


@pytest.mark.parametrize(
    "text",
    [
        "交通迅速恢复，审批漏洞已堵上，风暴漏水，泥石流漏报，一贯切实可行，仿佛象征着希望。",
        "各单位要不折不扣落实。",
    ],
)
def test_those_miswritings_stand_not_in_correct_text(checker: Checker, text: str) -> None:
    assert _confusables(checker, text) == []


def test_the_other_slurs_on_disabled_people_are_usage_warnings(checker: Checker) -> None:
    text = "为聋哑人提供服务，照顾瘫子。"
    found = [
        (f.text, f.suggestion, f.severity) for f in checker.check(text) if f.category == "usage"
    ]
    assert found == [
        ("聋哑人", "听力言语残疾人", "warn"),
        ("瘫子", "肢体残疾人", "warn"),
    ]


# -- everyday words whose slip is another word (2026.12.10) ---------------------------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("工作正再推进。", "正再", "正在"),
        ("游客置留景区。", "置留", "滞留"),
        ("该项目以于3月开工。", "以于", "已于"),
        ("各项准备工作以就绪。", "以就绪", "已就绪"),
        ("改造以完成，即将开放。", "以完成", "已完成"),
        ("须持有演出经济机构的委托。", "经济", "经纪"),
        ("这是解决问题的有效途经。", "途经", "途径"),
        ("活动其间，请注意安全。", "其间", "期间"),
        ("景区开方时间为8时至17时。", "开方", "开放"),
        ("请主意安全。", "主意", "注意"),
        ("请保管好随身财务。", "财务", "财物"),
        ("新生须按时报道。", "报道", "报到"),
        ("各别景区存在安全隐患。", "各别", "个别"),
        ("认真落实工作部属。", "部属", "部署"),
        ("现将结果公式如下。", "公式", "公示"),
        ("项目正式起动。", "起动", "启动"),
        ("群众自发祭典先烈。", "祭典", "祭奠"),
        ("这种作法值得推广。", "作法", "做法"),
    ],
)
def test_an_everyday_word_whose_slip_is_another_word(
    checker: Checker, text: str, wrong: str, right: str
) -> None:
    assert (wrong, right) in _confusables(checker, text)


def test_those_other_words_where_they_are_right_are_no_finding(checker: Checker) -> None:
    text = (
        "以完成任务为目标，以开放促发展，可以完成。所以结束了。途经市区的线路，途经3个站。"
        "其间，他说。医生开方。拿主意，出主意。个人财务状况。新闻报道。部属和领导。数学公式。"
        "发动机起动。作法自毙。真正再现。设置留言。经济发展。演出经济效益。"
    )
    assert _confusables(checker, text) == []


# -- whole-word homophones of the commonest words of official prose (2026.12.10) -----------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("市文化和旅游局开战了送文化下乡活动。", "开战", "开展"),
        ("两岸嘉宾共通参观了展览。", "共通", "共同"),
        ("评委标示，选手表现出色。", "标示", "表示"),
        ("环境质量文定达标。", "文定", "稳定"),
        ("全国终点文物保护单位。", "终点", "重点"),
        ("这是展览的中点文物之一。", "中点", "重点"),
        ("发现问题要机时反映。", "机时", "及时"),
        ("现将有关工作的同知如下。", "同知", "通知"),
        ("倡导卫生建康的生活方式。", "建康", "健康"),
        ("激发小费潜力。", "小费", "消费"),
        ("传承乡风问明。", "问明", "文明"),
        ("坚持以人民为中信。", "中信", "中心"),
        ("对检察中发现的问题要立即整改。", "检察", "检查"),
        ("市住建局连合编制了规划。", "连合", "联合"),
        ("会同市文华和旅游局开展检查。", "文华和旅游", "文化和旅游"),
    ],
)
def test_a_homophone_word_of_a_common_word(
    checker: Checker, text: str, wrong: str, right: str
) -> None:
    assert (wrong, right) in _confusables(checker, text)


def test_those_homophone_words_where_they_are_right_are_no_finding(checker: Checker) -> None:
    text = (
        "两国开战。共通之处。标示牌，标示清楚。文定之喜。马拉松终点，线段中点。机时费。府同知。"
        "建康城。小费标准，给小费。问明情况。中信银行，为中信集团服务。检察院，检察机关，人民检察，"
        "检察官，检察监督，检察工作，依法进行检察监督，公益诉讼检察。连合。"
    )
    assert _confusables(checker, text) == []
