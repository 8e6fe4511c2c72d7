"""Context rules: history, citations, proper names, words judged by what follows, and an
organisation's allow list."""

from __future__ import annotations

import pytest

from domain.proofread import Checker, default_lexicons, parse_lexicon
from domain.proofread.context import neighbours

CHECKER = Checker([lex for lex in default_lexicons() if not lex.is_name_title])


def found(text: str, category: str | None = None) -> list[tuple[str, str, str, str | None]]:
    findings = CHECKER.check(text)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [
        (f.category, f.text, f.severity, f.suggestion)
        for f in findings
        if category is None or f.category == category
    ]


# -- history ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "2018年，原国家旅游局与原文化部的职责整合，组建文化和旅游部。",
        "前卫生部部长出席了开幕式。",
        "原江城县旅游局局长王某退休后，仍关心全县旅游发展。",
        "原来的县工商局办公楼现由县市场监督管理局使用。",
        "根据《国家旅游局关于印发旅游安全管理办法的通知》，景区应当制定应急预案。",
        "泰国国家旅游局、法国文化部、美国农业部的代表出席了论坛。",
        # The 原 of a list's first name is the others' too.
        "原市工商局、质监局、食药监局的职能整合至市市场监督管理局。",
        "原市文化广电新闻出版局和市旅游局的档案已移交。",
    ],
)
def test_a_former_institution_named_as_history_is_no_finding(text: str) -> None:
    assert found(text, "outdated_name") == []


def test_a_reform_year_in_the_sentence_makes_a_block_a_warning() -> None:
    text = "2018年机构改革中，国家旅游局与文化部的职责整合。"
    assert [(t, s) for _, t, s, _ in found(text, "outdated_name")] == [
        ("国家旅游局", "warn"),
        ("文化部", "warn"),
    ]
    for text in (
        "县工商局、质监局的职能已于2019年整合至新组建的部门。",
        "县旅游局的职责于2019年并入相关部门。",
    ):
        assert {s for _, _, s, _ in found(text, "outdated_name")} == {"warn"}, text
    title = "关于国家旅游局有关规定的清理情况\n2018年机构改革后，有关规章已全部清理。"
    assert [s for _, _, s, _ in found(title, "outdated_name")] == ["warn"]


def test_a_sentence_that_tells_the_reform_with_the_new_name_is_no_finding() -> None:
    for text in (
        "2018年机构改革中，国家旅游局与文化部的职责整合，组建文化和旅游部。",
        "2018年，国务院机构改革将文化部、国家旅游局的职责整合，组建文化和旅游部。",
        "关于国家旅游局有关规定的清理情况\n2018年机构改革后，有关规章由文化和旅游部清理。",
    ):
        assert found(text, "outdated_name") == [], text
    # The new name in another sentence does not tell this one's reform.
    text = "2018年机构改革中，国家旅游局的职责整合。现由文化和旅游部负责。"
    assert [s for _, _, s, _ in found(text, "outdated_name")] == ["warn"]


def test_a_sentence_dated_before_a_reform_year_makes_a_block_a_warning() -> None:
    for text in (
        "2018年以前，此类许可由县旅游局办理。",
        "2016年3月前，县工商局设有个体工商户登记窗口。",
    ):
        assert [s for _, _, s, _ in found(text, "outdated_name")] == ["warn"]
    # A list without 原 names bodies of today: each old name blocks.
    assert [s for _, _, s, _ in found("市工商局、质监局联合开展检查。", "outdated_name")] == [
        "block",
        "block",
    ]
    # A deadline after the latest reform is no history: the old name used today blocks.
    assert [s for _, _, s, _ in found("请县工商局于2026年6月以前完成整改。", "outdated_name")] == [
        "block"
    ]


@pytest.mark.parametrize(
    ("text", "old"),
    [
        ("目前国家旅游局已发布通知。", "国家旅游局"),
        ("日前县工商局开展检查。", "工商局"),
        ("原则上县旅游局不再受理。", "县旅游局"),
        ("请县食药监局于月底前报送。", "食药监局"),
        ("国家旅游局近日发布通知。", "国家旅游局"),
    ],
)
def test_an_old_name_used_today_still_blocks(text: str, old: str) -> None:
    assert found(text, "outdated_name") == [
        ("outdated_name", old, "block", found(old, "outdated_name")[0][3])
    ]


@pytest.mark.parametrize(
    ("text", "old", "severity", "new"),
    [
        # 2026.12.13: the bodies merged in 2018, and local names that changed since.
        ("中央国家机关工委召开警示教育大会。", "中央国家机关工委", "block", "中央和国家机关工委"),
        ("中央直属机关工委组织专题培训。", "中央直属机关工委", "block", "中央和国家机关工委"),
        ("深圳出入境检验检疫局开展检查。", "出入境检验检疫局", "block", "海关"),
        ("县交通局负责旅游公路养护。", "县交通局", "warn", "县交通运输局"),
        ("省交通厅发布节日出行提示。", "省交通厅", "warn", "省交通运输厅"),
        ("省地方金融监督管理局提示风险。", "地方金融监督管理局", "warn", "地方金融管理局"),
    ],
)
def test_a_body_merged_or_renamed_is_named_as_it_is_now(
    text: str, old: str, severity: str, new: str
) -> None:
    assert found(text, "outdated_name") == [("outdated_name", old, severity, new)]


def test_the_names_of_today_and_the_merged_bodies_told_as_history_are_quiet() -> None:
    text = (
        "中央和国家机关工委召开会议。市交通运输局、县交通运输局、省交通运输厅联合检查。"
        "2018年机构改革前，原深圳出入境检验检疫局负责口岸检疫。省地方金融管理局发布提示。"
    )
    assert found(text, "outdated_name") == []


# -- words judged by what follows --------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["截止2025年底，全市共有景区86家。", "截止目前，已受理申请23件。", "截止今年6月"]
)
def test_jiezhi_before_a_point_in_time_is_jiezhi_up_to(text: str) -> None:
    assert found(text) == [("confusable", "截止", "warn", "截至")]


@pytest.mark.parametrize(
    "text",
    [
        "截至2025年底，全市共有景区86家。",
        "申报截止日期为2026年4月30日。",
        "报名于5月1日截止。",
        "截止到2025年底，共受理申请23件。",
    ],
)
def test_jiezhi_in_its_right_place_is_quiet(text: str) -> None:
    assert found(text) == []


def test_jiezhi_up_to_where_a_deadline_is_meant() -> None:
    assert found("申报截至日期为4月30日。") == [("confusable", "截至日期", "warn", "截止日期")]


def test_a_year_in_chinese_numerals_writes_ling_as_the_circle() -> None:
    assert found("定于二零二六年五月举办") == [("confusable", "二零二六", "warn", "二〇二六")]
    assert found("二〇一零年") == [("confusable", "二〇一零", "warn", "二〇一〇")]
    assert found("二〇一〇年") == []
    assert found("零售企业零距离服务") == []


def test_zuifan_before_a_verdict() -> None:
    assert found("罪犯李某已被依法刑事拘留。") == [("usage", "罪犯", "warn", "犯罪嫌疑人")]
    assert found("罪犯张某因盗窃罪被判处有期徒刑三年。") == []


def test_beigaoren_in_a_civil_case() -> None:
    civil = "在这起合同纠纷中，原告诉称被告人未履行合同。"
    assert found(civil) == [("usage", "被告人", "warn", "被告")]
    assert found("检察院提起公诉，被告人当庭认罪。") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("吸引日本、韩国、台湾等国家的游客", "台湾等国家"),
        ("来自美国和香港、澳门等国家的选手", "香港、澳门等国家"),
        ("韩国、日本和台湾三国位居前三", "台湾三国"),
    ],
)
def test_a_region_counted_among_countries_blocks(text: str, span: str) -> None:
    assert [(c, t, s) for c, t, s, _ in found(text)] == [("sovereignty", span, "block")]


@pytest.mark.parametrize(
    "text",
    [
        "吸引日本、韩国、台湾等国家和地区的游客",
        "推动香港与东盟等国家开展合作",
        "香港等国家级旅游度假区",
        "《三国演义》连环画展",
        "组织企业赴德国、新加坡和香港特别行政区开展经贸推介活动。",
        "赴新加坡、澳门特区考察。",
    ],
)
def test_countries_and_regions_named_right_are_quiet(text: str) -> None:
    assert found(text, "sovereignty") == []


# -- proper names and citations -----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "山海关素有“天下第一关”之称。",
        "趵突泉被誉为天下第一泉。",
        "综艺节目《王牌对王牌》在我市取景。",
        "舞剧《天下第一》首演。",
    ],
)
def test_an_absolute_term_inside_a_proper_name_is_no_claim(text: str) -> None:
    assert found(text, "absolute_term") == []


@pytest.mark.parametrize(
    ("text", "term"), [("打造全国第一的旅游目的地", "全国第一"), ("王牌产品", "王牌")]
)
def test_an_absolute_term_as_a_claim_is_still_found(text: str, term: str) -> None:
    assert [t for _, t, _, _ in found(text, "absolute_term")] == [term]


@pytest.mark.parametrize(
    "text",
    [
        # advice to the reader, not a seller's claim
        "节假日期间出行，建议市民首选公共交通工具。",
        "市体育局提醒，夏季游泳应首选正规游泳场馆。",
        # a season, a result, a league, a domain, a qualification
        "每年9月至11月是接种流感疫苗的最佳时间。",
        "四月中旬是赏樱的最佳时节。",
        "我市游泳队在全省锦标赛中取得了历史最好名次。",
        "我市俱乐部成功晋级国内足球顶级联赛。",
        "网站已完成向国家顶级域名“.cn”的迁移。",
        "市体育局为12名新晋国家级社会体育指导员颁发证书。",
    ],
)
def test_an_absolute_term_that_makes_no_claim_is_quiet(text: str) -> None:
    assert found(text, "absolute_term") == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("本店是全市最佳的火锅店，欢迎品尝。", "全市最佳"),
        ("本品是送礼首选，限时优惠。", "首选"),  # advice from no one but the seller
        ("游客的首选，建议提前预订。", "首选"),  # the advice comes after it
        ("与之相对应首选的是本店套餐。", "首选"),  # 对应 is no 应 of advice
        ("顶级食材，匠心打造。", "顶级"),
        # The labelled corpus reads these as claims for a person to look at, too: a rank,
        # an award's name, a title conferred, a claim a report quotes.
        ("我市文化产业增加值增速位居全省第一。", "全省第一"),
        ("现场还将颁发“最佳剧目奖”。", "最佳"),
        ("部分饭店在宣传中使用“至尊客房”“顶级服务”等用语。", "顶级"),
    ],
)
def test_an_absolute_term_as_a_claim_or_quoted_is_still_found(text: str, term: str) -> None:
    assert term in [t for _, t, _, _ in found(text, "absolute_term")]


def test_a_quoted_term_marked_unless_quoted_is_a_citation() -> None:
    assert found("台湾“国立台湾大学”的学生来访。", "sovereignty") == []
    assert [t for _, t, _, _ in found("国立台湾大学的学生来访。", "sovereignty")] == ["国立台湾"]


# -- the organisation's allow list -------------------------------------------------------
ALLOW = """
category = "allow"
version = "2026.12.1"
severity = "info"

[[entry]]
term = "国家旅游局旧址"
note = "本市文物保护单位名称"

[[entry]]
term = "王牌旅游线路"
note = "本局品牌活动名称"

[[entry]]
term = "2025年6月31日纪念碑"
note = "雕塑作品名称（碑文如此）"
"""


def test_allowed_terms_never_produce_findings_of_any_category() -> None:
    text = "参观国家旅游局旧址，体验王牌旅游线路，瞻仰2025年6月31日纪念碑。"
    assert {f[0] for f in found(text)} == {"outdated_name", "absolute_term", "date"}
    lists = [lex for lex in CHECKER.lexicons if not lex.is_allow_list]
    allowing = Checker([*lists, parse_lexicon(ALLOW)])
    assert allowing.check(text) == []
    assert allowing.lexicon_versions["allow"] == "2026.12.1"
    # Outside an allowed term, the same words are still found.
    assert [f.text for f in allowing.check("国家旅游局发布王牌线路")] == ["国家旅游局", "王牌"]


# -- words right or wrong by what stands near them ----------------------------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("请登陆市图书馆官方网站预约。", "登陆", "登录"),
        ("详情可游览市文化和旅游局官网。", "游览", "浏览"),
        ("对游客反应的问题逐一核实。", "反应", "反映"),
        ("防止游客个人信息泄漏。", "泄漏", "泄露"),
        ("全家在景区渡过了一个愉快的假期。", "渡过", "度过"),
        ("各景区必需严格执行预约制度。", "必需", "必须"),
        ("即要保护好文物，又要让文物活起来。", "即要", "既要"),
        ("游客需知：入园请出示预约码。", "需知", "须知"),
    ],
)
def test_a_word_wrong_where_it_stands_is_found(text: str, wrong: str, right: str) -> None:
    assert [(c, t, s) for c, t, _, s in found(text)] == [("confusable", wrong, right)]


@pytest.mark.parametrize(
    "text",
    [
        "台风登陆后，景区暂停开放。",
        "游客游览景区时请注意安全。",
        "过敏反应情况应及时报告。",
        "燃气泄漏是酒店安全检查的重点。",
        "企业在各方帮助下渡过难关。",
        "口罩等防疫必需品储备充足。",
        "会议即要求各单位立即整改。",
        "你需知道开放时间。",
    ],
)
def test_the_same_word_in_its_right_place_is_quiet(text: str) -> None:
    assert found(text, "confusable") == []


# -- department abbreviations in a list --------------------------------------------------
def test_old_department_abbreviations_in_a_list_of_departments_block() -> None:
    text = "各地要会同工商、公安、交通运输等部门开展联合检查，联合安监、气象等部门做好预警。"
    assert [(t, s, sug) for c, t, s, sug in found(text) if c == "outdated_name"] == [
        ("工商", "block", "市场监管"),
        ("安监", "block", "应急管理"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "支持工商业、服务业等部门协同发展。",
        "个体工商户、农户等部门登记。",
        "市场监管、应急管理等部门参加。",
    ],
)
def test_the_abbreviations_inside_other_words_are_quiet(text: str) -> None:
    assert found(text, "outdated_name") == []


# -- words right or wrong by what stands near them (2026.12 additions) ----------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("市委对此做出重要部署。", "做出", "作出"),
        ("他创造了新的世界记录。", "记录", "纪录"),
        ("自即日起起用新公章。", "起用", "启用"),
        ("不断提升城市品味。", "品味", "品位"),
        ("要认真的做好各项工作。", "认真的", "认真地"),
        ("今年的活动开展的很好。", "开展的", "开展得"),
    ],
)
def test_a_word_wrong_by_its_neighbours(text: str, wrong: str, right: str) -> None:
    assert found(text, "confusable") == [("confusable", wrong, "warn", right)]


@pytest.mark.parametrize(
    "text",
    [
        "会议记录由办公室整理。",
        "游客可以细细品味古城的韵味。",
        "他以认真的态度对待每一项工作。",
        "一年来开展的很多工作得到了群众肯定。",
        "工人们做出了一张新桌子。",
    ],
)
def test_the_same_words_where_they_are_right(text: str) -> None:
    assert found(text, "confusable") == []


# -- regions among countries ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("吸引台湾和其他国家的游客。", "台湾和其他国家"),
        ("日本、韩国、台湾等亚洲国家。", "台湾等亚洲国家"),
        ("韩国、日本和台湾三个国家位居前三。", "台湾三个国家"),
    ],
)
def test_a_region_counted_in_a_group_of_countries(text: str, span: str) -> None:
    assert found(text, "sovereignty") == [("sovereignty", span, "block", None)]


@pytest.mark.parametrize(
    "text",
    ["台湾及其他国家和地区的游客。", "香港与东南亚国家合作。", "内蒙古与俄罗斯、蒙古国接壤。"],
)
def test_a_region_beside_a_group_of_countries_is_fine(text: str) -> None:
    assert found(text, "sovereignty") == []


def test_mongolia_among_countries_is_mongolia_the_state() -> None:
    assert found("来自俄罗斯、蒙古和日本的客商。", "sovereignty") == [
        ("sovereignty", "蒙古", "warn", "蒙古国")
    ]
    assert found("蒙古族歌手赴俄罗斯演出。", "sovereignty") == []


# -- words right or wrong by what stands near them (2026.12.6 additions) ---------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("对发现的问题要及时反应、及时处置。", "反应", "反映"),
        ("群众可向社区反应情况。", "反应", "反映"),
        ("报名于5月10日截至，逾期不再受理。", "截至", "截止"),
        ("展厅挂着一副精美的山水画。", "副", "幅"),
        ("门口贴着一幅春联。", "幅", "副"),
        ("游客可通过官方平台预定门票。", "预定", "预订"),
        ("开幕式预订于5月1日举行。", "预订", "预定"),
        ("要扎扎实实的推进各项工作。", "扎扎实实的", "扎扎实实地"),
        ("演员把角色的性格诠释的淋漓尽致。", "诠释的", "诠释得"),
    ],
)
def test_more_words_wrong_by_their_neighbours(text: str, wrong: str, right: str) -> None:
    assert found(text, "confusable") == [("confusable", wrong, "warn", right)]


@pytest.mark.parametrize(
    "text",
    [
        "群众反应强烈，纷纷点赞。",
        "出现过敏反应情况应及时就医。",
        "截至2025年底，全市共有A级景区42家。",
        "截至目前，已完成投资3亿元。",
        "展厅挂着一幅精美的山水画。",
        "门口贴着一副春联。",
        "他一副认真的样子。",
        "这副画家的派头引人注目。",
        "会议预定于5月1日召开。",
        "游客可通过官方平台预订门票。",
        "扎扎实实的作风是干出来的。",
        "演员的诠释得到观众认可。",
    ],
)
def test_the_same_words_right_by_their_neighbours(text: str) -> None:
    assert found(text, "confusable") == []


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("讲解员耐心的解答游客的问题。", "耐心的", "耐心地"),
        ("他高兴的说，今年游客多了。", "高兴的", "高兴地"),
        ("展厅打扫的干干净净。", "打扫的", "打扫得"),
        ("各单位要及早作好准备。", "作好", "做好"),
        ("这即是机遇，也是挑战。", "即是", "既是"),
    ],
)
def test_manner_and_degree_words_by_their_neighbours(text: str, wrong: str, right: str) -> None:
    assert found(text, "confusable") == [("confusable", wrong, "warn", right)]


@pytest.mark.parametrize(
    "text",
    [
        "代表团受到了热情的接待。",
        "检查组进行了认真的检查。",
        "讲解员作了详细的介绍。",
        "干干净净的环境让游客满意。",
        "他把它当作好朋友。",
        "这即是我们的目标。",
    ],
)
def test_manner_and_degree_words_where_they_are_right(text: str) -> None:
    assert found(text, "confusable") == []


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("今年接待游客到达120万人次。", "到达", "达到"),
        ("当前形式依然复杂。", "当前形式", "当前形势"),
        ("活动形势多样，内容丰富。", "形势多样", "形式多样"),
    ],
)
def test_words_right_by_a_count_or_a_situation(text: str, wrong: str, right: str) -> None:
    assert found(text, "confusable") == [("confusable", wrong, "warn", right)]


@pytest.mark.parametrize(
    "text",
    ["游客到达景区后请排队入园。", "列车到达12号站台。", "当前形势依然复杂。", "活动形式多样。"],
)
def test_words_right_by_what_follows_them(text: str) -> None:
    assert found(text, "confusable") == []


def test_a_slip_of_another_tone_is_found() -> None:
    # A pinyin input method offers every character of the syllable: 召开 → 招开.
    findings = [f for f in CHECKER.check("定于明天招开座谈会。") if f.category == "confusable"]
    assert [(f.text, f.suggestion) for f in findings] == [("招开", "召开")]


def test_one_neighbour_check_serves_the_word_pairs_and_the_slips() -> None:
    near = neighbours(after="发展|共生", before="深度|文旅", reach=2)
    text = "推进深度融和，融和共同发展，融和温暖；文旅融和。"
    hits = [i for i in range(len(text)) if text.startswith("融和", i)]
    assert [near(text, i, i + 2) for i in hits] == [True, True, False, True]
    # A stop between the word and what follows parts them; reach 0 reads right after.
    assert not near("融和，发展", 0, 2)
    assert neighbours(after="发展")("融和发展", 0, 2)
    assert not neighbours(after="发展")("融和共发展", 0, 2)


# -- 2026.12.21: redundancies, Taiwan beside 我国, words of official prose ---------------
@pytest.mark.parametrize(
    ("text", "category", "term"),
    [
        ("我市射击队在省运会上勇夺5枚金牌，凯旋而归。", "usage", "凯旋而归"),
        ("主办方将为前500名游客免费赠送纪念品。", "usage", "免费赠送"),
        ("截至目前为止，全区已完成改造项目23个。", "usage", "截至目前为止"),
        ("全市旅游总收入比去年同比增长15.6%。", "usage", "比去年同比"),
        ("两支球队实力悬殊很大。", "usage", "悬殊很大"),
        ("一线医护人员无时无刻都在守护群众健康。", "usage", "无时无刻都"),
        ("全市抽检不合格率比去年降低了一倍。", "usage", "降低了一倍"),
        ("热烈庆祝市第一中学70周年诞辰。", "usage", "周年诞辰"),
        ("我市选手不孚众望，一举夺得金牌。", "usage", "不孚众望"),
        ("除值班人员外，其它工作人员请有序离场。", "usage", "其它工作人员"),
        ("今年以来，我国与台湾之间的贸易额同比增长8%。", "sovereignty", "我国与台湾"),
        ("市台办负责同志会见了来访的台湾外宾一行。", "sovereignty", "台湾外宾"),
        ("市外事办接待了马其顿驻华使馆参赞一行。", "sovereignty", "马其顿驻华"),
    ],
)
def test_redundancies_and_wordings_of_the_lists(text: str, category: str, term: str) -> None:
    assert term in [t for _, t, _, _ in found(text, category)]


@pytest.mark.parametrize(
    "text",
    [
        "市外事办接待了北马其顿驻华使馆参赞一行。",
        "面向港澳地区和海外华侨华人开展招商推介活动。",
        "这在我市足球史上尚属首次。",  # 尚属: no slip of 尚书
        "澳门在葡萄牙管治时期留下了大量中西合璧的建筑。",  # 管治: no slip of 管制
        "市疾控中心提醒，误食野生菌应立即就医。",  # 市 opening a clause: no slip 市疾
        "近日，区卫健委、市疾控中心联合开展检查。",
        "凯旋归来的运动员受到热烈欢迎。",
        "两岸贸易额同比增长8%。",
    ],
)
def test_those_words_where_they_are_right_are_quiet(text: str) -> None:
    assert found(text) == []


# -- 2026.12.21: a duty that moved in the 2018 reform; local bodies' names ---------------
@pytest.mark.parametrize(
    ("text", "term", "right"),
    [
        ("今年我市退役士兵安置工作由市民政局统一组织实施。", "民政局", "退役军人事务局"),
        ("困难群众医疗救助申请，可向户籍所在地区民政局提出。", "民政局", "医疗保障局"),
        ("职工医疗保险门诊共济政策调整，具体请咨询市人社局。", "人社局", "医疗保障局"),
        ("市发改委近日调整部分医疗服务价格。", "发改委", None),
        ("根据市编办批复，核定事业编制15名。", "市编办", "市委编办"),
        ("市外办负责人参加了国务院港澳办组织召开的座谈会。", "国务院港澳办", "中央港澳办"),
        ("因公出国（境）审批事项请向市外侨办报送材料。", "市外侨办", "市外办"),
        ("市政府应急办组织开展了年度地震应急演练。", "市政府应急办", "市应急管理局"),
    ],
)
def test_a_body_named_for_a_duty_it_no_longer_has(text: str, term: str, right: str | None) -> None:
    assert (term, right) in [(t, s) for _, t, _, s in found(text, "outdated_name")]


@pytest.mark.parametrize(
    "text",
    [
        "市民政局开展低保核查，市人社局发布养老保险新政。",
        "2018年以前，退役士兵安置由市民政局负责。",
        "原市民政局承担的优抚职责已划入市退役军人事务局。",
        "市委编办、中央港澳办、市外办、市应急管理局联合开展调研。",
        "2018年，市安监局转隶至市应急管理局。",
        "请向市外办报送材料。",  # 请向: no slip of 倾向
    ],
)
def test_those_bodies_where_they_are_named_rightly_are_quiet(text: str) -> None:
    assert found(text, "outdated_name") == [] and found(text, "confusable") == []


def test_a_body_reformed_in_a_year_told_with_its_change_is_at_most_a_warning() -> None:
    said = found("公安边防部队于2018年改制，相关职责划归国家移民管理局。", "outdated_name")
    assert [(t, s) for _, t, s, _ in said] == [("公安边防部队", "warn")]
