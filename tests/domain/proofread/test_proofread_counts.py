"""Counts and what they count: measure words by their noun, 两 before a measure, numbers
and units as GB/T 15835 and GB 3100 write them, and clock times no clock shows."""

from __future__ import annotations

import pytest

from domain.proofread import Checker, default_lexicons

CHECKER = Checker([lex for lex in default_lexicons() if not lex.is_name_title])


def found(text: str) -> list[tuple[str, str, str | None]]:
    findings = CHECKER.check(text)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [(f.category, f.text, f.suggestion) for f in findings]


# -- measure words ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        # Of the same sound: right after the measure, after a word of size or age, after
        # a modifier with 的, or as the phrase's last noun.
        ("学生们种下一颗树苗。", "颗", "棵"),
        ("村口有一颗百年古树。", "颗", "棵"),
        ("天上有一棵星星。", "棵", "颗"),
        ("这坐石拱桥始建于明代。", "坐", "座"),
        ("寺内两坐宋代砖塔均为文物保护单位。", "坐", "座"),
        ("城东将建成一坐综合性美术馆，明年开放。", "坐", "座"),
        ("公司组建了一只队伍参加比赛。", "只", "支"),
        ("市文旅局组建了一只文艺志愿服务队伍，深入社区演出。", "只", "支"),
        ("湖面上停着三搜游船。", "搜", "艘"),
        ("他在比赛中获得了两梅金牌。", "梅", "枚"),
        # A measure of another kind of thing.
        ("每位游客限购两本门票。", "本", "张"),
        ("墓中出土一张保存完好的汉代铜镜。", "张", "面"),
        ("码头新投用的三辆电动游船可载120名游客。", "辆", "艘"),
        ("元宵灯会当晚，三百辆无人机组成图案。", "辆", "架"),
        ("音乐会将演奏十二篇中外经典歌曲。", "篇", "首"),
        ("他创作的一首散文获得一等奖。", "首", "篇"),
        ("该镇今年新建一间乡村寄宿制学校。", "间", "所"),
        ("服饰展中一条民国时期的织锦旗袍引人驻足。", "条", "件"),
        ("牧场里的一匹白牦牛成了游客合影的明星。", "匹", "头"),
        ("赛场上，三头蒙古马并驾齐驱。", "头", "匹"),
        ("村民们赠送了一幅锦旗。", "幅", "面"),
        # (信 is what 书 may not be followed by in the table, and a noun of its own.)
        ("他给图书馆寄来一本感谢信。", "本", "封"),
        ("上周他寄来一峰感谢信。", "峰", "封"),
        # Things of an office's everyday texts.
        ("获奖运动员将捧起一张象征最高荣誉的水晶奖杯。", "张", "座"),
        ("每个单元设有两辆电梯。", "辆", "台"),
        ("本周六将举办一首关于宋词欣赏的公益讲座。", "首", "场"),
        # The count after its noun, at the end of the clause.
        ("今春沿湖新栽樱花树三百余颗，预计明年盛开。", "颗", "棵"),
        ("书法家们为市民免费书写对联300余幅。", "幅", "副"),
        ("影展期间将展映国产纪录片二十篇，观众可免费预约。", "篇", "部"),
        ("全市现有旅行社八十所，从业人员三千人。", "所", "家"),
    ],
)
def test_a_measure_word_that_does_not_count_its_noun(text: str, wrong: str, right: str) -> None:
    assert found(text) == [("confusable", wrong, right)]


@pytest.mark.parametrize(
    "text",
    [
        "他一坐就是半天。",
        "一座古老的石桥横跨河面。",
        "一棵棵树苗排列整齐。",
        "他写得一手好字，一手好隶书。",
        "这只是我们的队伍。",
        "一只手拿着一支笔。",
        "一座城市的名片，一支笔写出的故事。",
        "一张桌子上摆着三只碗。",
        "第六条　采购人应当编制采购需求。",
        "这条街上的灯笼都是本地手艺人扎的。",
        "这家书店开在一座老仓库里。",
        "这架明代古琴，琴底刻有琴名。",
        "这只银锁寓意平安。",
        "看看一根竹子如何变成艺术品。",
        "首届帆船赛共有16支船队参加。",
        "考古人员在坑内发现象牙六十余根。",
        "这座砖室墓由墓道、甬道和墓室组成。",
        "一头牛，一条狗，一只狗，一尊佛像，一座佛像，一面铜镜，一件铜镜。",
        "这件玉琮高三十余厘米，这件宫灯设计精妙。",
        "一米二以下儿童免票，一米二到一米五之间购买半价票。",
        "一半红烧，一半做成酸菜鱼。",
        "这块儿的老房子都是青砖灰瓦，冰川湖像一块宝石。",
        "来自国内外的16支船队参加比赛。",
        "每头补贴八百元，那篇文章，数辆车，上千台设备，十间房。",
    ],
)
def test_a_measure_word_that_counts_its_noun_or_is_no_measure(text: str) -> None:
    assert [f for f in found(text) if f[0] == "confusable"] == []


# -- 两 before a measure ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("每位成人可免费携带二个儿童入园。", "两个"),
        ("景区新增二辆接驳巴士。", "两辆"),
        ("讲座安排二场，每场二小时。", None),
    ],
)
def test_two_before_a_measure_is_liang(text: str, right: str | None) -> None:
    found_two = [f for f in found(text) if f[0] == "date" and f[1] == "二"]
    assert found_two and all(f[2] == "两" for f in found_two)


@pytest.mark.parametrize(
    "text",
    [
        "第二个展厅，十二个展厅，周二开放，初二学生。",
        "二本院校、二套房和央视二台。",
        "一二个人，二等奖，二胡演奏，二维码。",
        "光绪二年，二十个，二手书。",
    ],
)
def test_two_where_it_is_right(text: str) -> None:
    assert [f for f in found(text) if f[1] == "二"] == []


# -- numbers and units --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "wrong", "right", "category"),
    [
        ("本景区门票对老年人优惠百分之50。", "百分之50", "50%", "date"),
        ("百分之72.5的受访游客表示满意。", "百分之72.5", "72.5%", "date"),
        ("根据《26年度文化惠民工程实施方案》，新增阅报栏。", "26年", "2026年", "date"),
        ("这套服饰是05年由家属捐赠的。", "05年", "2005年", "date"),
        ("25年全市共接待游客8600万人次。", "25年", "2025年", "date"),
        ("截至25年底，全市共有A级景区42家。", "25年", "2025年", "date"),
        ("山顶夜间气温为8-12℃，请注意保暖。", "-", "～", "punctuation"),
        ("文物借展费用一般为5万-8万元。", "-", "～", "punctuation"),
        ("票价上涨了10-20%。", "-", "～", "punctuation"),
        ("这件青花瓷瓶高45公分。", "公分", "厘米", "usage"),
        ("这件青铜鼎通高六十五公分。", "公分", "厘米", "usage"),
        ("该瀑布落差约60公尺。", "公尺", "米", "usage"),
        ("景区为游客免费提供1公升饮用水。", "公升", "升", "usage"),
        ("湿地公园总面积达12万平方，水域约占三分之一。", "平方", "平方米", "usage"),
        ("临时展厅面积约800平方，可举办专题展览。", "平方", "平方米", "usage"),
        ("水库蓄水量达1200万立方，可满足用水。", "立方", "立方米", "usage"),
    ],
)
def test_numbers_and_units_as_the_standards_write_them(
    text: str, wrong: str, right: str, category: str
) -> None:
    assert found(text) == [(category, wrong, right)]


@pytest.mark.parametrize(
    "text",
    [
        "门票优惠50%，或百分之五十。",
        "15年累计投入资金3亿元，10年磨一剑，30年来我市变化巨大。",
        "建筑面积3万平方米，面积12平方公里，蓄水300立方米。",
        "最小公分母，身高120厘米。",
        "电话0571-88888888，标准GB/T 15835-2011，日期2026-12-04。",
        "气温8～12℃，涨幅10%～20%，费用5万～8万元。",
    ],
)
def test_numbers_and_units_written_right(text: str) -> None:
    assert found(text) == []


# -- clock times no clock shows -----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("古城夜游项目运营时间延长至25:00。", "25:00", "次日1:00"),
        ("跨年音乐会于22:00开始，预计24:30结束。", "24:30", "次日0:30"),
        ("美食街周末营业时间调整为17:00至26:00。", "26:00", "次日2:00"),
        ("展馆闭馆时间为17:60。", "17:60", "18:00"),
        ("午间演出于11:60开始。", "11:60", "12:00"),
    ],
)
def test_a_clock_time_no_clock_shows(text: str, wrong: str, right: str) -> None:
    assert found(text) == [("date", wrong, right)]


@pytest.mark.parametrize(
    "text",
    [
        "决赛比分25:20，比例尺1:60。",
        "展馆24:00闭馆。",
        "夜间22:00—6:00禁止燃放烟花爆竹。",
        "马拉松成绩2:25:30。",
    ],
)
def test_a_score_a_ratio_and_a_night_in_24_hour_time(text: str) -> None:
    assert found(text) == []


def test_a_measure_in_a_word_is_no_measure_before_the_words_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The word frequencies are read on first use; a measure may be the first thing judged.
    from domain.proofread import context

    monkeypatch.setattr(context, "_JOIN_WORDS", None)
    monkeypatch.setattr(context, "_FREQ", {})
    text = "这快递员送来的门票。"
    assert context.counted(text, 0, 2) is None  # 快递, not 这快 (张) 门票
    assert context.counted("他寄来一峰感谢信。", 3, 5) is not None
