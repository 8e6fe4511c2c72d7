"""Claims and newsroom usage read with the words around them.

**Advertising Law claims** (《中华人民共和国广告法》第九条第三项: no 国家级, 最高级, 最佳
and the like). The list (``lexicons/absolute_term.toml``) holds the fixed claims; a
scope followed by a superlative is the same claim in any words: 全国最美, 全市最大的,
国内首个, 省内唯一 — a scope word (全国, 全省, 国内, 世界, 史上……), perhaps 的, then 最 with
the word it makes, or 首个/首家/唯一. 最后, 最近, 最新, 最终, 最早 and 最多/最少 (counts,
not praise) are not claims.

**Newsroom usage** (新华社《新华社新闻信息报道中的禁用词和慎用词》, 法律类):

* once a court has judged (被判处, 判决, or 判处 told before the name: 判处犯罪嫌疑人李某), the
  person is no longer a 犯罪嫌疑人: a warning;
* of the Muslims' cattle, sheep and poultry one writes 宰, not 杀 (民族宗教类): 杀牛羊 in a
  sentence that speaks of 穆斯林, 回族, 清真 or their festivals;
* a procuratorate that disputes a judgment 抗诉, it does not 上诉;
* a court sentences to 罚金, an accessory penalty (《刑法》第三十四条); 罚款 is an
  administrative penalty (《行政处罚法》第九条): 罚款 in a sentence where 判处 stands
  before it (判处其罚款, 判处有期徒刑一年，并处罚款) is 罚金 (判处罚款 side by side is a
  term of the usage list);

**The Party's formulations** (《中国共产党章程》): the guiding thought is named whole,
习近平新时代中国特色社会主义思想 (新时代中国特色社会主义思想 alone, not cited in quotation
marks, is a warning); the confidences are four since 文化自信 joined them (三个自信, and
道路自信、理论自信、制度自信 with no 文化自信 in the sentence, unless it tells that history);
a five-year plan's short name stands in quotation marks (“十四五”规划, as the Central
Committee's proposals write it; 十四五个 and 二十四五岁 are numbers).

**Approximate numbers** (GB/T 15835-2011 and the usage of 概数): a number is made approximate
once, by a word before it or by one after it. A word of about (约, 大约, 大概), of not quite
(近, 将近, 接近) or of more than (超过, 逾, 多达, 高达) before it, and 余 or 多 right after it or
左右, 上下 or 以上 after its unit, say the same thing twice (约20万人左右, 超过1000多万人次,
逾百余人) or two things at once (近10万余人次: 近 is less, 余 more); so do 约 and 之多 (约有
3000人之多), and 余 or 多 with 左右 (10余人左右) or with 以上 (百余年以上), and a word of about
with 左右 when a verb stands between it and the number (大约需要40分钟左右). 近100年来 and
达10万余人次 say it once; 附近, 最近, 预约 and 最高达 are other words.

All warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.proofread.context import inside
from domain.proofread.model import WARN, Finding, new_finding

Rule = Callable[[str, int, int], Finding | None]

SOURCE = (
    "《中华人民共和国广告法》第九条第三项（2021年修正）；"
    "新华社《新华社新闻信息报道中的禁用词和慎用词》（2016年7月修订）；"
    "《中华人民共和国刑法》第三十四条；《中华人民共和国行政处罚法》第九条；"
    "GB/T 15835-2011《出版物上数字用法》；《中国共产党章程》（2022年10月22日通过）；"
    "《中共中央关于制定国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》"
)
DATE = "2021-04-29"
VERSION = "2026.12.30"

SCOPES: tuple[str, ...] = (
    "全国", "全省", "全市", "全县", "全区", "全球", "世界", "国内", "省内", "市内", "县内",
    "业内", "行业", "全网", "史上", "同类", "亚洲", "中国", "全世界", "全中国", "华东", "华南",
    "华北", "华中", "西南", "西北", "东北", "全城", "本市", "本省", "全镇", "全乡", "省会",
    # A text's own place as the scope (我市首个, 本县首家, 当地最大的).
    "我市", "我省", "我县", "我区", "本县", "本区", "当地", "全州", "全盟",
    "本地", "本地区", "该地区", "区域内", "本区域", "周边地区",
)  # fmt: skip
# 最 that makes no praise: order, time, counts and limits, and the points of the compass
# (我县最北端的白云峰).
_NOT_PRAISE = frozenset("后近新终早晚初先多少低高长短小大远东南西北")
# ...except these, which are claims about a place or a thing (最大的景区, 最高水平).
_PRAISE_ANYWAY = ("最大", "最高", "最长", "最小")
_SCOPES_BY_LENGTH = sorted(SCOPES, key=len, reverse=True)
# A measure may stand between the scope and 最 (全省规模最大, 全市人气最旺).
_MEASURES = ("规模", "面积", "人气", "销量", "口碑", "档次", "品质", "性价比")
_CLAIM = re.compile(
    "(?:的)?(?:" + "|".join(_MEASURES) + ")?"
    "(最[\u4e00-\u9fff]|首个|首家|首座|首款|首发|唯一|第一家|独一家|仅此一家)"
)


# 全省最大的温泉度假区, 全市最高的观景台: after 的, a place or a business is praised; 全市
# 最高的气温 and 全省最大的降雨量 are measures.
_PLACE_AFTER = re.compile(
    "的[^，。；：！？、\n]{0,8}?(?:景|度假区|园区|公园|乐园|酒店|宾馆|饭店|民宿|商场|博物馆"
    "|纪念馆|美术馆|展馆|场馆|基地|市场|广场|古镇|古村|小镇|街区|企业|品牌|产业园|温泉|溶洞"
    "|滑雪场|游乐场|综合体|观景台|剧院|书店|餐厅|商圈|步行街|度假村|营地)"
)

_CLAIM_STARTS = (
    "最", "的最", "首个", "首家", "首座", "首款", "首发", "唯一", "的唯一", "第一家", "独一家",
    "仅此一家", *_MEASURES,
)  # fmt: skip


# The words of an award or a list whose title holds a claim (入选“中国最美乡村”名单).
_AWARDED = re.compile("入选|评选|荣获|获评|被评为|获得|称号|名单|榜单|授予")


def _claim(text: str, start: int, end: int) -> Finding | None:
    # The anchor is the scope and the start of the claim: the rule reads from the scope.
    end = start + next(len(scope) for scope in _SCOPES_BY_LENGTH if text.startswith(scope, start))
    m = _CLAIM.match(text, end)
    if m is None:
        return None
    word = m.group(1)
    if word[0] == "最":
        if (
            word[1] in _NOT_PRAISE
            and word not in _PRAISE_ANYWAY
            and not text.startswith("最新鲜", m.start(1))  # (freshness is praise)
        ):
            return None
        if (
            word in _PRAISE_ANYWAY
            and text.startswith(
                (
                    "的",
                    "值",
                    "限",
                    "量",
                    "程度",
                    "承载",
                    "气温",
                    "温度",
                    "水位",
                    "海拔",
                    "时速",
                    "峰",
                ),
                m.end(),
            )
            and not _PLACE_AFTER.match(text, m.end())
        ):
            return None  # 全省最大承载量, 最高限价, 世界最高峰: a limit or a fact, not praise
        if word == "最受" and text.find("关注", m.end(), m.end() + 8) != -1:
            return None  # 最受游客关注的问题: attention, not praise
    if inside(text, start, start, "“", "”") and _AWARDED.search(
        text, max(0, start - 12), start + 40
    ):
        return None  # 入选“中国最美乡村”名单: the title of an award or a list
    stop = m.end() + (word == "最新" and text.startswith("鲜", m.end()))  # (最新鲜)
    span = text[start:stop]
    return new_finding(
        "absolute_term", WARN, start, stop, span, None,
        f"广告法禁用的绝对化用语：{span}",
        "absolute_term:范围+最高级",
    )  # fmt: skip


_JUDGED = re.compile(
    "被(?:[^，。；！？\n]{0,16})?(?:判处|判决|判刑|宣判)|一审判决|终审判决|判决生效"
)
_SENTENCE = re.compile("[。；！？\n]")
_CLAUSE_MARK = re.compile("[，。；：！？\n]")


def _clause_after(text: str, end: int, reach: int = 40) -> str:
    return text[end : _sentence_end(text, end, reach)]


# 判处犯罪嫌疑人……: the sentence passed before the name (not 判决前, before the verdict).
_JUDGED_BEFORE = re.compile("判处|(?:判决|宣判|判刑)(?!前|之前|以前)")


def _suspect_judged(text: str, start: int, end: int) -> Finding | None:
    if not _JUDGED.search(_clause_after(text, end)) and not _JUDGED_BEFORE.search(
        text, _sentence_start(text, start), start
    ):
        return None
    return new_finding(
        "usage", WARN, start, end, "犯罪嫌疑人", "被告人",
        "不规范表述：法院判决后不再称“犯罪嫌疑人”，称“被告人”或“罪犯”",
        "usage:犯罪嫌疑人+判决",
    )  # fmt: skip


def _procuratorate_appeal(text: str, start: int, end: int) -> Finding | None:
    after = _clause_after(text, end, 30)
    at = after.find("上诉")
    if at == -1:
        return None
    lo = end + at
    return new_finding(
        "usage", WARN, lo, lo + 2, "上诉", "抗诉",
        "不规范表述：检察机关对法院判决不服，称“抗诉”，不称“上诉”",
        "usage:检察院上诉",
    )  # fmt: skip


_ADMINISTRATIVE_FINE = ("判处", "处以", "予以", "给予", "行政")
_SENTENCE_REACH = 40


def _fine_sentenced(text: str, start: int, end: int) -> Finding | None:
    if text.endswith(_ADMINISTRATIVE_FINE, 0, start):
        return None  # 判处罚款 is a term of the list; 处以罚款 and the rest are right
    if text.find("判处", _sentence_start(text, start), start) == -1:
        return None
    return new_finding(
        "usage", WARN, start, end, "罚款", "罚金",
        "不规范表述：法院判处的财产刑称“罚金”，“罚款”是行政处罚",
        "usage:判处罚金",
    )  # fmt: skip


# A number in figures or in Chinese numerals (10万, 1.5, 三十, 百), and the unit and measure that
# may stand between it and a word after it (人次, 万元, 名).
_NUMERAL = "0-9０-９.一二三四五六七八九十百千万亿两"
_UNIT = "[^，。；！？、\n0-9]{0,4}?"
# Words after a number that make it approximate: 余 and 多 right after it (10余, 三十多, 百余),
# 左右, 上下 and 以上 after its unit. 左右 and 上下 that start another word are not these
# (左右两侧, 上下班, 上下游, 上下文).
_AROUND = (
    "左右(?!两|为难|开弓|逢源|手|摇|晃|侧|边)"
    "|上下(?!班|游|车|楼|级|文|限|功夫|一心|联动|贯通|结合|浮动|波动|其手|两|半)"
)
_TAIL = f"(?:([余多])|{_UNIT}(?:({_AROUND})|(以上)(?!述)))"
# Words before a number that make it approximate: about (约), not quite (近), more than (超过).
ABOUT_WORDS = ("约", "大约", "大概")
NEAR_WORDS = ("近", "将近", "接近")
# (不少于3天以上, 至少5人以上: a floor, and 以上 after it, says it twice.)
OVER_WORDS = ("超过", "逾", "多达", "高达", "不少于", "不低于", "至少")
# After a word of about, the number may be had (约有200人) and said to be many (之多).
_ABOUT_NUMBER = re.compile(f"(?:有|为|计|合)?[{_NUMERAL}]+(?:{_TAIL}|{_UNIT}(之多))")
_NUMBER_TAIL = re.compile(f"[{_NUMERAL}]+{_TAIL}")
# A number with 余 or 多 before 左右 or 上下 (10余人左右), read back from them.
_APPROXIMATE_BEFORE = re.compile(f"[{_NUMERAL}]+([余多]){_UNIT}$")
_AROUND_HERE = re.compile(_AROUND)
# A number and its unit right before 左右 or 上下, and the bounds that may follow them.
_NUMBER_BEFORE = re.compile(f"[{_NUMERAL}]+{_UNIT}$")
_BOUNDS = ("以上", "以下")
_APPROXIMATING = re.compile(
    "(?:" + "|".join((*ABOUT_WORDS, *NEAR_WORDS, *OVER_WORDS)) + ")(?:有|为|计|合)?$"
)


# 预约, 节约, 制约……: 约 ending another word. 大约 has its own anchor.
_NOT_ABOUT = frozenset("预节制公契签邀相履违隐婉简集大和条特")
# 附近, 最近, 靠近……: 近 ending another word (最近10余年来 is in recent years); 将近 and 接近
# have their own anchors.
_NOT_NEAR = frozenset("附最靠临邻贴亲就走挨新晚远左相逼迫几凑拉将接")
# 最高达 and 最多达 say a peak reached (单日最高达10万余人次); 身高达, 塔高达 a height reached.
_NOT_HIGH = frozenset("最身楼塔山树峰坝墙屋殿顶碑台柱桥门城浪体层总净株岩崖")
_NOT_BEFORE = {
    "约": _NOT_ABOUT,
    "近": _NOT_NEAR,
    "高达": _NOT_HIGH,
    "多达": frozenset("最许很"),
    "至少": frozenset("甚"),  # 甚至少数
}

_NUMBER_STARTS = tuple("0123456789一二三四五六七八九十两")
_CHINESE_HUNDREDS = tuple("百千万")  # 逾百余人, 近千余件, 近万余人


def _approximate(text: str, start: int, end: int, word: str, lo: int) -> Finding | None:
    if start and text[start - 1] in _NOT_BEFORE.get(word, ()):
        return None
    m = (_ABOUT_NUMBER if word in ABOUT_WORDS else _NUMBER_TAIL).match(text, lo)
    if m is None:
        return None
    return _said_twice(text, start, m.end(), word, next(group for group in m.groups() if group))


def _said_twice(text: str, lo: int, hi: int, first: str, second: str) -> Finding:
    """The finding of a number made approximate twice, by ``first`` and ``second``."""
    return new_finding(
        "usage", WARN, lo, hi, text[lo:hi], None,
        f"概数重复：“{first}”与“{second}”不同时使用", "usage:概数重复",
    )  # fmt: skip


def _approximated_by(word: str) -> Rule:
    def rule(text: str, start: int, end: int) -> Finding | None:
        return _approximate(text, start, end, word, start + len(word))

    return rule


def _around_after_approximate(text: str, start: int, end: int) -> Finding | None:
    """ "10余人左右": 余 or 多 after the number and 左右 or 上下 after its unit; "1万人左右以上":
    以上 or 以下 right after them."""
    if text.startswith(_BOUNDS, end) and _AROUND_HERE.match(text, start):
        m = _NUMBER_BEFORE.search(text, max(0, start - 16), start)
        if m is not None:
            return _said_twice(text, m.start(), end + 2, text[start:end], text[end : end + 2])
    if not _AROUND_HERE.match(text, start):
        return None
    m = _APPROXIMATE_BEFORE.search(text, max(0, start - 16), start)
    if m is None:
        return _about_with_around(text, start, end)
    lo = m.start()
    if _APPROXIMATING.search(text, max(0, lo - 4), lo):
        return None  # 约10余人左右: the word before the number is read by its own rule
    return _said_twice(text, lo, end, m.group(1), text[start:end])


# 大约需要40分钟左右, 约需3小时左右: a word of about, a verb between it and the number, and
# 左右 or 上下 after the number's unit (约3小时左右 itself is the 约 rule's).
_ABOUT_VERB_NUMBER = re.compile(
    f"(大约|大概|约)[^，。；：！？、\n{_NUMERAL}]{{1,4}}?[{_NUMERAL}]+{_UNIT}$"
)


def _about_with_around(text: str, start: int, end: int) -> Finding | None:
    m = _ABOUT_VERB_NUMBER.search(text, max(0, start - 16), start)
    if m is None:
        return None
    lo = m.start()
    if m.group(1) == "约" and lo and text[lo - 1] in _NOT_ABOUT:
        return None  # 预约, 节约……
    return _said_twice(text, lo, end, m.group(1), text[start:end])


def _bound_after_approximate(text: str, start: int, end: int) -> Finding | None:
    """ "百余年以上", "10多家企业以上": 以上 or 以下 after a number made approximate by 余 or 多
    (以上述方式 is no bound)."""
    if text.startswith("述", end):
        return None
    m = _APPROXIMATE_BEFORE.search(text, max(0, start - 16), start)
    if m is None:
        return None
    lo = m.start()
    if _APPROXIMATING.search(text, max(0, lo - 4), lo):
        return None  # 约10余人以上: the word before the number is read by its own rule
    return _said_twice(text, lo, end, m.group(1), text[start:end])


# 新华社《新闻信息报道中的禁用词和慎用词》(民族宗教类): of the Muslims' cattle, sheep and
# poultry one writes 宰, not 杀 (古尔邦节宰牛羊): 杀 in a sentence that speaks of them.
_MUSLIM = re.compile("穆斯林|回族|清真|古尔邦|宰牲节|开斋节|伊斯兰")


def _slaughter(text: str, start: int, end: int) -> Finding | None:
    if _MUSLIM.search(text, _sentence_start(text, start), _sentence_end(text, end)) is None:
        return None
    return new_finding(
        "usage", WARN, start, start + 1, "杀", "宰",
        "不规范表述：穆斯林宰牛羊家禽只说“宰”，不写作“杀”",
        "usage:穆斯林宰牲",
    )  # fmt: skip


# -- the Party's formulations ----------------------------------------------------------
# The name of the guiding thought is written whole (《中国共产党章程》, 2017 and 2022):
# 新时代中国特色社会主义思想 alone is the 2017 report's first wording, and a citation of it
# stands in quotation marks.
THOUGHT = "新时代中国特色社会主义思想"
THOUGHT_FOUNDER = "习近平"
_CONFIDENCES = ("道路自信", "理论自信", "制度自信", "文化自信")


def _thought_unnamed(text: str, start: int, end: int) -> Finding | None:
    if text.endswith(THOUGHT_FOUNDER, 0, start) or text.endswith(("“", "‘"), 0, start):
        return None
    return new_finding(
        "usage", WARN, start, end, THOUGHT, THOUGHT_FOUNDER + THOUGHT,
        f"不规范表述：指导思想的名称应完整表述为“{THOUGHT_FOUNDER + THOUGHT}”",
        "usage:指导思想全称",
    )  # fmt: skip


def _three_confidences(text: str, start: int, end: int) -> Finding | None:
    """三个自信, and 道路自信、理论自信、制度自信 without 文化自信: since 2016 (the Party's
    95th anniversary) and the 2017 constitution, the confidences are four."""
    lo = _sentence_start(text, start)
    hi = _sentence_end(text, end)
    if text.startswith("三个自信", start):
        if text.find("四个自信", lo, hi) != -1 or text.find(_CONFIDENCES[3], lo, hi) != -1:
            return None  # told as a history: 从“三个自信”到“四个自信”
        return new_finding(
            "usage", WARN, start, end, "三个自信", "四个自信",
            "不规范表述：“四个自信”（道路自信、理论自信、制度自信、文化自信）",
            "usage:四个自信",
        )  # fmt: skip
    # 制度自信: the last of the three, with the other two before it and no 文化自信 around.
    if text.find(_CONFIDENCES[0], lo, start) == -1 or text.find(_CONFIDENCES[1], lo, start) == -1:
        return None
    if text.find(_CONFIDENCES[3], lo, hi) != -1:
        return None
    first = text.find(_CONFIDENCES[0], lo, start)
    return new_finding(
        "usage", WARN, first, end, text[first:end], None,
        "不规范表述：“四个自信”（道路自信、理论自信、制度自信、文化自信）少了“文化自信”",
        "usage:四个自信",
    )  # fmt: skip


# The five-year plans are named by number in quotation marks (“十四五”时期, “十五五”规划), as
# the Central Committee's proposals and the plans themselves write them.
FIVE_YEAR_PLANS = ("十一五", "十二五", "十三五", "十四五", "十五五", "十六五")
_NUMERALS = frozenset("0123456789〇一二三四五六七八九十百")
# 二十四五岁, 十四五个人: a number of fourteen or fifteen, not a plan.
_COUNTED_AFTER = tuple("个岁人天名位次件家元万千百年分米斤张条届号层章页")


def _plan_unquoted(text: str, start: int, end: int) -> Finding | None:
    if (start and text[start - 1] in _NUMERALS) or text.startswith(_COUNTED_AFTER, end):
        return None
    if text.endswith(("“", "‘", '"', "'"), 0, start) and text.startswith(("”", "’", '"', "'"), end):
        return None
    plan = text[start:end]
    return new_finding(
        "usage", WARN, start, end, plan, f"“{plan}”",
        f"不规范表述：五年规划的简称加引号，写作“{plan}”",
        "usage:五年规划简称加引号",
    )  # fmt: skip


def _start_after(mark: re.Pattern[str], text: str, start: int) -> int:
    """Where the stretch ending at ``start`` begins: after the last ``mark`` before it, at
    most :data:`_SENTENCE_REACH` back."""
    lo = start - _SENTENCE_REACH if start > _SENTENCE_REACH else 0
    for m in mark.finditer(text, lo, start):
        lo = m.end()
    return lo


def _sentence_start(text: str, start: int) -> int:
    return _start_after(_SENTENCE, text, start)


def _clause_start(text: str, start: int) -> int:
    return _start_after(_CLAUSE_MARK, text, start)


def _sentence_end(text: str, end: int, reach: int = _SENTENCE_REACH) -> int:
    m = _SENTENCE.search(text, end, end + reach)
    return m.start() if m else min(len(text), end + reach)


# The formulations that list their items in a fixed order (the Party's documents and the
# 2022 report): 社会主义核心价值观, 四个意识, 新发展理念, 五位一体, 乡村振兴's 总要求,
# 三严三实, the standard of a good cadre. A list of at least three of a formulation's items,
# one of them changed (诚信、友爱 for 友善; 核心意识、责任意识 for 看齐意识) or out of its place
# (富强、文明、民主), is that formulation miswritten. A changed item shares a character with
# the right one (公平 for 公正): 爱国、敬业、诚信、奉献 is a list of its own. The other lists
# the same items make in order are right (富强、民主、文明、和谐、美丽, the 2017 report's goal).
FORMULATIONS: tuple[tuple[str, ...], ...] = (
    (
        "富强",
        "民主",
        "文明",
        "和谐",
        "自由",
        "平等",
        "公正",
        "法治",
        "爱国",
        "敬业",
        "诚信",
        "友善",
    ),
    ("政治意识", "大局意识", "核心意识", "看齐意识"),
    ("创新", "协调", "绿色", "开放", "共享"),
    ("经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"),
    ("产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕"),
    ("严以修身", "严以用权", "严以律己", "谋事要实", "创业要实", "做人要实"),
    ("信念坚定", "为民服务", "勤政务实", "敢于担当", "清正廉洁"),
    _CONFIDENCES,  # 四个自信
    ("稳就业", "稳金融", "稳外贸", "稳外资", "稳投资", "稳预期"),  # 六稳
    ("伟大祖国", "中华民族", "中华文化", "中国共产党", "中国特色社会主义"),  # 五个认同
)
_ALSO_RIGHT: tuple[tuple[str, ...], ...] = (("富强", "民主", "文明", "和谐", "美丽"),)
_LIST_MARKS = "、，"
_LAST_MARKS = "和及"
# An item's end inside the running sentence (诚信、友爱的社会主义核心价值观, 生态建设“五位一体”).
_ITEM = re.compile("[\u4e00-\u9fff]{2,6}?(?=[、，的和及“”等]|[^\u4e00-\u9fff]|$)")


def _in_order(items: list[str], known: tuple[str, ...]) -> bool:
    """The items are some of ``known``'s, each once, in its order."""
    places = [known.index(item) for item in items if item in known]
    return len(places) == len(items) and places == sorted(set(places))


def _items(text: str, start: int, known: tuple[str, ...]) -> list[tuple[int, str]]:
    """The list that starts at ``start``: its items and where each stands. Past a comma only
    an item of ``known`` goes on with it (富强、民主、文明、和谐，自由……)."""
    items: list[tuple[int, str]] = []
    at = start
    while len(items) < len(known) + 1:
        m = _ITEM.match(text, at)
        item = m.group() if m is not None else _last_item(text, at, known) if items else None
        if item is None or (items and text[at - 1] == "，" and item not in known):
            break
        if m is None:  # the list's last item, run on into the sentence (……和平是……)
            items.append((at, item))
            break
        items.append((at, item))
        at = m.end()
        if at >= len(text) or text[at] not in _LIST_MARKS:
            # The last item after 和 or 及 (社会建设和生态文明建设), not 和谐 read as a mark.
            if len(items) >= 2 and at < len(text) and text[at] in _LAST_MARKS:
                m = _ITEM.match(text, at + 1)
                if m is not None and not text.startswith("和谐", at):
                    items.append((at + 1, m.group()))
            break
        at += 1
    return items


def _last_item(text: str, at: int, known: tuple[str, ...]) -> str | None:
    """An item of the length of one of ``known``'s that runs on into its sentence (核心意识
    、责任意识落实到……): the longest that shares a character with an item of that length."""
    for length in sorted({len(item) for item in known}, reverse=True):
        found = text[at : at + length]
        if (
            len(found) == length
            and _CJK_RUN.fullmatch(found)
            and any(len(item) == length and set(item) & set(found) for item in known)
        ):
            return found
    return None


_CJK_RUN = re.compile("[\u4e00-\u9fff]+")


def _formulation(text: str, start: int, end: int) -> Finding | None:
    mark = text[start - 1] if start else ""
    if mark == "、" or (
        mark == "，" and _ITEM_BEFORE_COMMA.search(text, max(0, start - 7), start - 1)
    ):
        return None  # not the first item of its list: its first item reads it
    first_item = text[start : end - 1]
    for known in FORMULATIONS:
        if first_item not in known:
            continue
        items = _items(text, start, known)
        written = [item for _, item in items]
        strangers = sum(item not in known for item in written)
        if strangers > 1 or len(written) - strangers < 3 or _in_order(written, known):
            return None  # another list, or the formulation's items as they stand
        if any(_in_order(written, other) for other in _ALSO_RIGHT):
            return None
        # Where the list starts in the formulation: at its earliest item (民主、富强: at 富强).
        first = min(known.index(item) for item in written if item in known)
        for i, (at, item) in enumerate(items):
            if first + i >= len(known):
                return None
            right = known[first + i]
            if item == right:
                continue
            if item not in known and not set(item) & set(right):
                return None  # another list, that shares some items
            return new_finding(
                "usage", WARN, at, at + len(item), item, right,
                f"不规范表述：固定提法“{'、'.join(known)}”中应为“{right}”",
                "usage:固定提法",
            )  # fmt: skip
        return None
    return None


# 截至2025年9月30日为止: 截至 says "up to" already (截至目前为止 is a listed phrase).
_UP_TO = re.compile("(?:截至|截止)([^，。；：！？、\n]{1,16})$")


def _up_to_until(text: str, start: int, end: int) -> Finding | None:
    m = _UP_TO.search(text, max(0, start - 18), start)
    if m is None or m.group(1) == "目前":
        return None
    return new_finding(
        "usage", WARN, start, end, "为止", None,
        "成分赘余：“截至……为止”语义重复，删去“为止”，或改为“到……为止”", "usage:截至为止",
    )  # fmt: skip


# An item of a formulation right before a comma: the list goes on past it (……和谐，自由、平等).
_ITEM_BEFORE_COMMA = re.compile(
    "(?:" + "|".join(sorted({item for known in FORMULATIONS for item in known}, key=len)) + ")$"
)


# 经县人民法院依法提起公诉: 公诉 is the procuratorate's (向法院提起公诉 is right).
def _prosecuted_by_court(text: str, start: int, end: int) -> Finding | None:
    lo = _clause_start(text, start)
    court = text.rfind("法院", lo, start)  # the last before
    if court < 0 or "检察" in text[lo:start] or "向" in text[lo:court]:
        return None
    return new_finding(
        "usage", WARN, court, court + 2, "法院", "检察院",
        "不规范表述：公诉由人民检察院提起，法院审判", "usage:法院提起公诉",
    )  # fmt: skip


# 防止类似事故不再发生, 防止群体性食物中毒事件不发生: preventing it from not happening says
# the opposite (再次发生, 发生); what is ensured may not happen (防范风险，确保不发生).
_PREVENT = re.compile("防止|避免|杜绝|严防|谨防|以防|防范")
_ENSURED = re.compile("确保|保证|做到|力争|实现")


def _prevented_not(cut: int, put: str, rule: str) -> Rule:
    """A rule for a negation after 防止 and its like in one clause: the anchor's first
    ``cut`` characters are wrong, ``put`` is right in their place."""

    def prevented(text: str, start: int, end: int) -> Finding | None:
        lo = _clause_start(text, start)
        prevent = _PREVENT.search(text, lo, start)
        if prevent is None or _ENSURED.search(text, prevent.end(), start):
            return None
        said, right = text[start:end], put + text[start + cut : end]
        return new_finding(
            "usage", WARN, start, end, said, right,
            f"语病：“防止……{said}”意思说反了，应为“防止……{right}”", rule,
        )  # fmt: skip

    return prevented


_prevent_not_again = _prevented_not(2, "再次", "usage:防止不再")
_prevent_not = _prevented_not(1, "", "usage:防止不")


# 差强人意 is barely satisfying, still satisfying (《现代汉语词典》): not what a complaint
# or an order to put it right says of a service (服务质量差强人意，游客投诉较多).
_DISSATISFIED = re.compile(
    "投诉|整改|不满|较差|欠佳|不佳|批评|问责|通报|堪忧|亟待|有待提高|令人失望|落后|差距|督查|督办"
    "|意见较大|意见很大"
)


def _idiom_misused(
    idiom: str,
    right: str,
    why: str,
    said_of: re.Pattern[str],
    unless: re.Pattern[str] | None = None,
) -> Rule:
    """A rule for an idiom misused in a sentence that speaks of ``said_of`` (and of nothing
    of ``unless``): a warning with its ``right`` wording and ``why``."""

    def misused(text: str, start: int, end: int) -> Finding | None:
        lo, hi = _sentence_start(text, start), _sentence_end(text, end)
        if said_of.search(text, lo, hi) is None:
            return None
        if unless is not None and unless.search(text, lo, hi) is not None:
            return None
        return new_finding("usage", WARN, start, end, idiom, right, why, f"usage:{idiom}")

    return misused


_barely_satisfying = _idiom_misused(
    "差强人意", "不尽如人意",
    "误用：“差强人意”是大体上还能使人满意，说不满意用“不尽如人意”", _DISSATISFIED,
)  # fmt: skip


# 首当其冲 is to be the first hit (沿海地区首当其冲): not to lead the way (党员干部首当其冲，
# 冲锋在前) nor to come first (安全工作首当其冲).
_LEADING = re.compile("冲锋|带头|率先|挺身|身先士卒|冲在|走在前|靠前|重中之重|首要|放在首位|第一位")


# 首当其冲推出: not to lead the way with an act (率先推出).
_ACTED = ("推出", "开展", "启动", "实施", "举办", "打造", "建成", "实现", "完成", "上线", "开通")


def _first_hit(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _sentence_start(text, start), _sentence_end(text, end)
    if (
        _LEADING.search(text, lo, hi) is None
        and not text.endswith(("工作", "任务"), lo, start)
        and not text.endswith("的", lo, start)  # 安全生产是文旅行业的首当其冲: as a noun
        and not text.startswith(_ACTED, end)  # 在全市首当其冲推出: leading with an act
    ):
        return None
    return new_finding(
        "usage", WARN, start, end, "首当其冲", None,
        "误用：“首当其冲”是最先受到攻击或遭遇灾难，不是带头或放在首位", "usage:首当其冲",
    )  # fmt: skip


# 炙手可热 is of the powerful (权势): not of a product in demand (炙手可热的抢手货).
_IN_DEMAND = re.compile(
    "市场|产品|商品|抢手|销售|销量|热销|游客|景区|景点|打卡|特产|门票|网红|订单"
)


_hot_to_touch = _idiom_misused(
    "炙手可热", "备受欢迎",
    "误用：“炙手可热”形容权势大、气焰盛，说受欢迎用“备受欢迎”“十分抢手”", _IN_DEMAND,
)  # fmt: skip


# 加大群众满意度: a degree is raised (提升), not enlarged (加大 投入、力度).
_RAISED = re.compile("[^，。；：！？、\n]{0,8}?(满意度|获得感|幸福感|安全感|知晓率|满意率|意识)")


_OWN_VERB = re.compile("力度|投入|提升|提高|增强|强化|树立|培养|加强|增进")


def _enlarged_degree(text: str, start: int, end: int) -> Finding | None:
    m = _RAISED.match(text, end)
    if m is None or _OWN_VERB.search(text, end, m.start(1)):
        return None  # 加大宣传力度, 加大宣传提高群众安全意识: 加大 has its own object
    right = "增强" if m.group(1) == "意识" else "提升"
    return new_finding(
        "usage", WARN, start, end, "加大", right,
        f"搭配不当：“加大”不与“{m.group(1)}”搭配，用“{right}”", "usage:加大+程度",
    )  # fmt: skip


# 有效满足了偏远山区群众看戏难的问题: a need is met (满足需求), a problem solved (解决问题).
_PROBLEM = re.compile("[^，。；：！？、\n]{0,16}?问题")
_NEEDS = re.compile("需求|需要|要求|期待|期盼|愿望")


def _met_problem(text: str, start: int, end: int) -> Finding | None:
    m = _PROBLEM.match(text, end)
    if m is None or _NEEDS.search(text, end, m.end()):
        return None
    return new_finding(
        "usage", WARN, start, end, "满足", "解决",
        "搭配不当：“问题”用“解决”，“需求”才用“满足”", "usage:满足+问题",
    )  # fmt: skip


# 美轮美奂 praises buildings (《现代汉语词典》): not a show (晚会节目美轮美奂).
_SHOWS = re.compile("节目|演出|表演|晚会|歌舞|演唱|舞蹈|剧目")
_BUILT = re.compile("建筑|殿|楼|宫|阁|园林|装修|装饰|场馆|舞美|布景|灯光|舞台|灯会|彩灯|夜景")


# 鳞次栉比 is of houses in rows, not of people (游客鳞次栉比); 罄竹难书 of crimes, not of good
# deeds; 始作俑者 of what went wrong, not of a good thing started.
_CROWD = re.compile("游客|市民|观众|人群|人流|群众|游人|行人|读者")
_HOUSES = re.compile("房屋|建筑|楼|店铺|商铺|民居|屋|厦")
_row_of_people = _idiom_misused(
    "鳞次栉比", "摩肩接踵",
    "误用：“鳞次栉比”形容房屋等排列密集，说人多用“摩肩接踵”“熙熙攘攘”", _CROWD, unless=_HOUSES,
)  # fmt: skip
_GOOD_DEEDS = re.compile("事迹|贡献|功绩|成绩|好事|善举|功劳|成就|荣誉")
_BAD_DEEDS = re.compile("罪|恶|劣迹|坏事|暴行")
_countless_deeds = _idiom_misused(
    "罄竹难书", "不胜枚举",
    "误用：“罄竹难书”形容罪行多，说好事多用“不胜枚举”", _GOOD_DEEDS, unless=_BAD_DEEDS,
)  # fmt: skip
_STARTED_WELL = re.compile("发起|创办|首倡|倡导|开创|坚持|举办|创立|创始|功不可没")
_WENT_WRONG = re.compile("问题|事故|乱象|罪|恶|污染|骗局|谣言|违法|违规|灾|祸|风气")
_first_of_good = _idiom_misused(
    "始作俑者", "首倡者",
    "误用：“始作俑者”指坏事的开创者，不用于好事", _STARTED_WELL, unless=_WENT_WRONG,
)  # fmt: skip


_beautiful_building = _idiom_misused(
    "美轮美奂", "精彩纷呈",
    "误用：“美轮美奂”形容建筑物高大华美，不用于节目、演出", _SHOWS, unless=_BUILT,
)  # fmt: skip


# 残疾人与正常人平等: the word of the disability norms is 健全人.
_DISABILITY = re.compile("残疾|残障|盲人|聋人|视障|听障|智障|肢残")


def _able_bodied(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(("群", "体", "类"), end):
        return None  # 正常人群, 正常人体
    lo = start - _SENTENCE_REACH if start > _SENTENCE_REACH else 0
    if _DISABILITY.search(text, lo, _sentence_end(text, end)) is None:
        return None
    return new_finding(
        "usage", WARN, start, end, "正常人", "健全人",
        "规范表述：与残疾人相对，称“健全人”，不称“正常人”", "usage:健全人",
    )  # fmt: skip


# In a criminal case the accused is the 被告人, the one wronged the 被害人 (被告 and 受害人 are
# a civil case's words).
_CRIMINAL = re.compile("涉嫌|公诉|刑事|犯罪|罪(?!犯)|判处|有期徒刑")
_COURT_HEARING = re.compile("公诉|被告人|庭审|法庭|开庭")


def _defendant_criminal(text: str, start: int, end: int) -> Finding | None:
    if end >= len(text) or text[end] in "人单方席的与和及、，。；：" or text.startswith("知", end):
        return None
    lo, hi = _sentence_start(text, start), _sentence_end(text, end)
    if "原告" in text[lo:hi] or "民事" in text[lo:hi] or _CRIMINAL.search(text, lo, hi) is None:
        return None
    return new_finding(
        "usage", WARN, start, end, "被告", "被告人",
        "不规范表述：刑事案件称“被告人”，“被告”是民事、行政案件用语", "usage:刑事被告人",
    )  # fmt: skip


def _victim_in_court(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _sentence_start(text, start), _sentence_end(text, end)
    if "民事" in text[lo:hi] or _COURT_HEARING.search(text, lo, hi) is None:
        return None
    if _CRIMINAL.search(text, lo, hi) is None and "公诉" not in text[lo:hi]:
        return None
    return new_finding(
        "usage", WARN, start, end, "受害人", "被害人",
        "不规范表述：刑事诉讼中称“被害人”", "usage:刑事被害人",
    )  # fmt: skip


# 党的二十大三中全会: a plenary session is of a Central Committee, counted by its term (二十届三中
# 全会); the congress is 二十大.
_TERM_NUMERALS = frozenset("一二三四五六七八九十")


def _plenum_of_congress(text: str, start: int, end: int) -> Finding | None:
    if start < 3 or text[start - 1] not in _TERM_NUMERALS or text[start - 2] != "大":
        return None
    if text[start - 3] not in _TERM_NUMERALS:
        return None
    return new_finding(
        "usage", WARN, start - 2, end, text[start - 2 : end], "届" + text[start - 1 : end],
        "不规范表述：中央全会按届次称“二十届三中全会”，“二十大”是党的代表大会", "usage:届中全会",
    )  # fmt: skip


# 经区人民法院批准，犯罪嫌疑人刘某已被依法逮捕: an arrest is approved by the procuratorate (批准
# 逮捕); a court decides one (决定逮捕).
def _arrest_approved_by_court(text: str, start: int, end: int) -> Finding | None:
    lo = _sentence_start(text, start)
    court = text.rfind("法院", lo, start)
    if court < 0 or text.find("批准", court, start) < 0 or "检察" in text[lo:start]:
        return None
    return new_finding(
        "usage", WARN, court, court + 2, "法院", "检察院",
        "不规范表述：批准逮捕由人民检察院作出，法院是“决定逮捕”", "usage:法院批准逮捕",
    )  # fmt: skip


# 失业率为4.8%，比上年同期下降0.4%; 增速比一季度提高1.2%: a rate compared with a rate
# changes by percentage points (百分点), not by a per cent of itself.
_RATES = ("率", "增速", "增幅", "比重", "占比", "比例")
_RATE_STATED = re.compile(r"(?:为|是|达|达到)?[0-9]+(?:\.[0-9]+)?[%％]，?\Z")
_RATE_CHANGE = re.compile(
    r"(?:同期|季度|上年|去年|年初|上月|上半年|上年末)?"
    r"(?:提高|下降|上升|回落|降低|减少|增加|提升|扩大|缩小|下滑|回升)了?([0-9]+(?:\.[0-9]+)?)[%％]"
)


def _rate_in_per_cent(text: str, start: int, end: int) -> Finding | None:
    m = _RATE_CHANGE.match(text, end)
    if m is None:
        return None
    before = text[_clause_start(text, max(0, start - 30)) if start > 30 else 0 : start]
    stated = _RATE_STATED.search(before)  # 失业率为4.8%，比上年……: the rate told, then compared
    head = before[: stated.start()] if stated else before
    if not head.endswith(_RATES):
        return None
    said = text[m.start(1) : m.end()]
    right = m.group(1) + "个百分点"
    return new_finding(
        "usage", WARN, m.start(1), m.end(), said, right,
        f"不规范表述：比率之间的增减用“百分点”：{said} → {right}", "usage:百分点",
    )  # fmt: skip


# 由2013年的3000亿元增加到今年的9000亿元，增长了3倍: grown by twice itself (增长了2倍), or to
# three times (增长到3倍); 翻一番 is twice, 翻两番 four times; and what falls does not fall by
# times (下降了4倍: 下降了75%).
_AMOUNT = r"([0-9]+(?:\.[0-9]+)?)(万|亿)?"
_YEAR_OF = r"(?:[0-9]{4}年(?:底|末)?的?)?"  # 由2013年的3000亿元
_FROM_TO = re.compile(
    rf"(?:由|从)[^，。；0-9]{{0,12}}?{_YEAR_OF}[^，。；0-9]{{0,6}}?{_AMOUNT}[^，。；0-9]{{0,6}}?"
    rf"(?:增加|增长|提高|上升|扩大|提升)(?:到|至)[^，。；0-9]{{0,12}}?{_YEAR_OF}"
    rf"[^，。；0-9]{{0,6}}?{_AMOUNT}"
)
_AMOUNT_UNITS = {None: 1, "万": 10_000, "亿": 100_000_000}
_GROWN_BY = re.compile(r"(?:增长|增加|提高|上升|扩大)了?([0-9]+(?:\.[0-9]+)?)\Z")
_FELL_BY = re.compile(
    r"(?:下降|降低|减少|缩小|减小|缩减|下跌)了?([0-9]+(?:\.[0-9]+)?|[二三四五六七八九十两])\Z"
)
_DOUBLINGS = {"翻了一番": 2, "翻一番": 2, "翻了两番": 4, "翻两番": 4}


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text[lo:hi]``."""
    matches = list(pattern.finditer(text, lo, hi))
    return matches[-1] if matches else None


def _ratio_told(text: str, lo: int, start: int) -> float | None:
    """The ratio of the later amount to the earlier one, where the sentence tells both."""
    told = _last(_FROM_TO, text, lo, start)
    if told is None or told.group(1) is None:
        return None
    earlier = float(told.group(1)) * _AMOUNT_UNITS[told.group(2)]
    later = float(told.group(3)) * _AMOUNT_UNITS[told.group(4)]
    return later / earlier if earlier else None


def _times(text: str, start: int, end: int) -> Finding | None:
    lo = _sentence_start(text, start)
    near = text[max(lo, start - 12) : start]
    fell = _FELL_BY.search(near)
    if fell is not None:
        said = fell.group(0) + "倍"
        return new_finding(
            "usage", WARN, start - len(fell.group(0)), end, said, None,
            f"语病：减少不用倍数（{said}），用百分数或“一半”", "usage:减少用倍数",
        )  # fmt: skip
    grown = _GROWN_BY.search(near)
    if grown is None:
        return None
    ratio = _ratio_told(text, lo, start)
    times = float(grown.group(1))
    if ratio is None or abs(ratio - times) > 0.01 * times or abs(ratio - 1 - times) < 0.01:
        return None  # 增长了3倍 where the amount is four times: right
    said = grown.group(0) + "倍"
    right = said.replace(grown.group(1), f"{times - 1:g}")
    return new_finding(
        "usage", WARN, start - len(grown.group(0)), end, said, right,
        f"语病：增长到原来的{times:g}倍是“增长了{times - 1:g}倍”（或“增长到{times:g}倍”）",
        "usage:增长倍数",
    )  # fmt: skip


def _doubled(text: str, start: int, end: int) -> Finding | None:
    lo = _sentence_start(text, start)
    ratio = _ratio_told(text, lo, start)
    said = text[start:end]
    times = _DOUBLINGS[said]
    if ratio is None or abs(ratio - times) < 0.01 * times:
        return None
    right = (
        {2: "翻了一番", 4: "翻了两番"}.get(round(ratio))
        if abs(ratio - round(ratio)) < 0.01
        else None
    )
    if right is None:
        return None
    return new_finding(
        "usage", WARN, start, end, said, right,
        f"语病：翻一番是原来的2倍，翻两番是4倍；这里是{ratio:g}倍", "usage:翻番",
    )  # fmt: skip


# The verbs of the formulas: 增强“四个意识”、坚定“四个自信”、做到“两个维护”，深刻领悟“两个确立”.
_FORMULA_VERBS = {
    "四个意识": ("增强", "树立", "树牢", "强化"),
    "四个自信": ("坚定", "增强"),  # 增强“四个自信” is a term of the list
    "两个维护": ("做到", "践行", "落实"),
    "两个确立": ("领悟", "拥护", "认识", "理解", "把握"),
}
_VERBS = re.compile(
    "增强|树立|树牢|强化|坚定|做到|践行|落实|领悟|拥护|认识|理解|把握|提高|提升|坚持"
)
_FORMULA_REACH = 14


def _formula_verb(text: str, start: int, end: int) -> Finding | None:
    name = text[start:end]
    lo = max(_clause_start(text, start), start - _FORMULA_REACH)
    verb = _last(_VERBS, text, lo, start)  # the nearest before
    if verb is None or verb.group(0) in _FORMULA_VERBS[name]:
        return None
    if any(other in text[verb.end() : start] for other in _FORMULA_VERBS):
        return None  # 增强“四个意识”、“四个自信”: the verb is another's
    right = _FORMULA_VERBS[name][0]
    if right == "领悟":
        right = "深刻领悟"
    return new_finding(
        "usage", WARN, verb.start(), verb.end(), verb.group(0), right,
        "规范提法：增强“四个意识”、坚定“四个自信”、做到“两个维护”，深刻领悟“两个确立”",
        f"usage:{name}+动词",
    )  # fmt: skip


# 区市场监管局对该企业处以罚金五万元: a fine of an administrative body is 罚款; 罚金 is a
# sentence of a court (判处罚金, 并处罚金).
_BY_COURT = re.compile("法院|判处|判决|并处|刑")


def _fine_by_office(text: str, start: int, end: int) -> Finding | None:
    # The anchor is 处以罚金, or 元罚金 after a sum (处以200元罚金).
    if text[start] == "元":
        lo = start - 16 if start > 16 else 0
        if _FINED_SUM.search(text, lo, start) is None:
            return None
    lo, hi = _sentence_start(text, start), _sentence_end(text, end)
    if _BY_COURT.search(text, lo, hi) is not None:
        return None
    return new_finding(
        "usage", WARN, end - 2, end, "罚金", "罚款",
        "不规范表述：行政机关处以“罚款”，“罚金”是法院判处的刑罚", "usage:行政罚款",
    )  # fmt: skip


_FINED_SUM = re.compile("处以[0-9０-９.,，一二三四五六七八九十百千万两]{1,12}$")


# 对违法交通管制规定的车辆: a rule is broken (违反规定); 违法 is "against the law" itself.
_RULES_BROKEN = re.compile("[^，。；：！？、\n的和与及行为违规]{0,10}?(?:规定|规则|制度|管理办法)")


def _break_rules(text: str, start: int, end: int) -> Finding | None:
    m = _RULES_BROKEN.match(text, end)
    if m is None or (start and text[start - 1] in "非合不"):
        return None
    return new_finding(
        "usage", WARN, start, end, "违法", "违反",
        "搭配不当：违反规定、规则用“违反”，“违法”是违反法律", "usage:违法+规定",
    )  # fmt: skip


# 严禁游客不得攀爬: 严禁 and 不得 both forbid, and together they say the opposite.
def _banned_twice(text: str, start: int, end: int) -> Finding | None:
    hi = min(_sentence_end(text, end, 24), end + 16)
    clause = _CLAUSE_MARK.search(text, end, hi)
    if clause is not None:
        hi = clause.start()
    no = text.find("不得", end, hi)
    if no == -1:
        return None
    return new_finding(
        "usage", WARN, start, no + 2, text[start : no + 2], None,
        f"语病：“{text[start:end]}”与“不得”重复否定，删去其一", "usage:严禁不得",
    )  # fmt: skip


# 年满18周岁以上: 年满 is "having reached"; 以上 says it again.
_AGE_AND_OVER = re.compile("[0-9一二三四五六七八九十]{1,3}周?岁以上")


def _of_age_and_over(text: str, start: int, end: int) -> Finding | None:
    m = _AGE_AND_OVER.match(text, end)
    if m is None:
        return None
    return new_finding(
        "usage", WARN, start, m.end(), text[start : m.end()], text[start : m.end() - 2],
        "成分赘余：“年满”与“以上”语义重复", "usage:年满以上",
    )  # fmt: skip


# 广大共产党员充分发挥战斗堡垒作用: a Party organisation is a 战斗堡垒, its members are 先锋模范.
_ORGANISATIONS = re.compile("党组织|支部|党委|党组|党总支|基层组织")
_MEMBERS = re.compile("党员|干部|同志")


def _bastion_of_members(text: str, start: int, end: int) -> Finding | None:
    lo = _sentence_start(text, start)
    members = _MEMBERS.search(text, lo, start)
    if members is None or _ORGANISATIONS.search(text, lo, start) is not None:
        return None
    return new_finding(
        "usage", WARN, start, end, "战斗堡垒作用", "先锋模范作用",
        "规范提法：党组织发挥“战斗堡垒作用”，党员发挥“先锋模范作用”", "usage:战斗堡垒",
    )  # fmt: skip


def _model_of_organisations(text: str, start: int, end: int) -> Finding | None:
    lo = max(_clause_start(text, start), start - 16)
    if _ORGANISATIONS.search(text, lo, start) is None or _MEMBERS.search(text, lo, start):
        return None
    return new_finding(
        "usage", WARN, start, end, "先锋模范作用", "战斗堡垒作用",
        "规范提法：党组织发挥“战斗堡垒作用”，党员发挥“先锋模范作用”", "usage:战斗堡垒",
    )  # fmt: skip


def _collocation(
    verb: str,
    objects: str,
    right: str,
    why: str,
    unless: str = "",
    reach: int = 8,
    *,
    closing: bool = False,
) -> Rule:
    """A rule for ``verb`` whose object, within ``reach`` characters of its clause, ends in
    one of ``objects``: the verb is ``right``, unless one of ``unless`` stands between.
    ``closing``: only where the object ends the clause (召开……活动。, not 召开活动推进会)."""
    ends = re.compile(
        f"[^，。；：！？、\\n]{{0,{reach}}}?(?:{objects})"
        + ("(?=[，。；：！？、\\n]|$)" if closing else "")
    )
    vetoed = re.compile(unless) if unless else None

    def collocated(text: str, start: int, end: int) -> Finding | None:
        m = ends.match(text, end)
        if m is None or (vetoed is not None and vetoed.search(text, end, m.end())):
            return None
        return new_finding(
            "usage", WARN, start, end, verb, right, f"搭配不当：{why}", f"usage:{verb}+搭配"
        )

    return collocated


def _either(*rules: Rule) -> Rule:
    """The first finding of ``rules`` (one anchor, several objects)."""

    def first(text: str, start: int, end: int) -> Finding | None:
        for rule in rules:
            found = rule(text, start, end)
            if found is not None:
                return found
        return None

    return first


# Words of respect for others, used of oneself: 我局执法人员将莅临各大商场, 我局已垂询专家,
# 我局将鼎力相助; and words of modesty used of others: 欢迎市民拜读我局编印的手册, 编辑部
# 已对投稿进行了斧正 (斧正 is asked for: 敬请斧正).
_OURSELVES = re.compile("我局|我们|我委|我办|我厅|我处|我馆|我院|我中心|我单位|本局|本单位|本馆")
_ASKING_OTHERS = re.compile("欢迎|敬请|恭请|邀请|请|望|希")


def _courtesy(
    word: str,
    right: str,
    why: str,
    *,
    wrong_after: re.Pattern[str],
    right_after: re.Pattern[str] | None = None,
    wrong_without: bool = False,
) -> Rule:
    """A rule for a word of courtesy: wrong where the sentence before it holds
    ``wrong_after`` (or, with ``wrong_without``, where it does not), unless it holds
    ``right_after``."""

    def judged(text: str, start: int, end: int) -> Finding | None:
        lo = max(_sentence_start(text, start), start - 40)
        found = wrong_after.search(text, lo, start) is not None
        if found == wrong_without:
            return None
        if right_after is not None and right_after.search(text, lo, start) is not None:
            return None
        return new_finding(
            "usage", WARN, start, end, word, right, f"谦敬词误用：{why}", f"usage:{word}"
        )

    return judged  # fmt: skip


_COURTESIES = {
    "莅临": _courtesy(
        "莅临", "前往", "“莅临”是敬辞，称别人到来，不用于自己",
        wrong_after=_OURSELVES, right_after=_ASKING_OTHERS,
    ),
    "垂询": _courtesy(
        "垂询", "咨询", "“垂询”是敬辞，称别人询问，不用于自己",
        wrong_after=_OURSELVES, right_after=_ASKING_OTHERS,
    ),
    "鼎力相助": _courtesy(
        "鼎力相助", "全力协助", "“鼎力相助”是敬辞，称别人的帮助，不用于自己",
        wrong_after=_OURSELVES, right_after=re.compile("感谢|谢谢|得益于|离不开|承蒙"),
    ),
    "拜读": _courtesy(
        "拜读", "阅读", "“拜读”是谦辞，称自己阅读别人的文章，不请别人“拜读”",
        wrong_after=_ASKING_OTHERS,
    ),
    "斧正": _courtesy(
        "斧正", "修改", "“斧正”是请别人修改自己文章的敬辞，不称自己修改",
        wrong_after=_ASKING_OTHERS, wrong_without=True,
    ),
}  # fmt: skip


# 不断增强服务水平, 增强服务质量: a level, a quality or an efficiency is raised (提高、提升), a
# capacity strengthened (增强能力);
# 改善……水平 as well (改善生活水平 is usual); 增加身体素质: a quality is strengthened (增强);
# 提高排查力度: efforts are increased (加大力度).
_COLLOCATIONS = {
    "增强": _collocation(
        "增强",
        "水平|服务质量|工作质量|发展质量|教学质量|办事效率|工作效率|行政效率",
        "提升",
        "“水平”“质量”“效率”用“提高”“提升”，不用“增强”",
        unless="能力|和|意识",
    ),
    "改善": _collocation(
        "改善", "水平", "提升", "“水平”用“提高”“提升”，不用“改善”", unless="生活|能力|和|条件"
    ),
    "增加": _collocation(
        "增加", "素质|体质|凝聚力|自信心", "增强", "“素质”“体质”用“增强”“提高”，不用“增加”"
    ),
    "提高": _either(
        _collocation("提高", "力度", "加大", "“力度”用“加大”，不用“提高”", unless="和|、|与"),
        _collocation(
            "提高",
            "规模|范围|覆盖面",
            "扩大",
            "“规模”“范围”用“扩大”，不用“提高”",
            unless="和|与|水平|质量|效益",
            reach=10,
            closing=True,
        ),
    ),
    # 解决群众多样化的文化需求: needs are met (满足), problems solved.
    "解决": _collocation(
        "解决",
        "需求|需要",
        "满足",
        "“需求”用“满足”，不用“解决”",
        unless="问题|困难|和|与|及",
        reach=14,
        closing=True,
    ),
    # 召开……展演活动: an event is held (举办).
    "召开": _collocation(
        "召开",
        "活动|展演|演出|比赛|展览|展销",
        "举办",
        "活动用“举办”“开展”，不用“召开”",
        unless="会|和|与|及",
        reach=14,
        closing=True,
    ),
}


def _verb_before(verb: str, right: str, why: str, unless: str = "", reach: int = 14) -> Rule:
    """A rule anchored at an object and the mark that ends its clause (会议，, 任务。): a
    finding on ``verb`` when it stands before the object within ``reach`` characters of
    the clause, unless one of ``unless`` stands between. (The verbs are common words, the
    objects at a clause's end are not: the rule runs seldom.)"""
    vetoed = re.compile(unless) if unless else None

    def collocated(text: str, start: int, end: int) -> Finding | None:
        lo = max(_clause_start(text, start), start - reach - len(verb))
        at = text.rfind(verb, lo, start)
        if at == -1 or (vetoed is not None and vetoed.search(text, at + len(verb), start)):
            return None
        return new_finding(
            "usage", WARN, at, at + len(verb), verb, right, f"搭配不当：{why}",
            f"usage:{verb}+搭配",
        )  # fmt: skip

    return collocated


# 开展全区安全生产工作会议: a meeting is held (召开); 确保全面实现今年城镇新增就业任务: a task is
# completed (完成), an aim achieved.
_CLAUSE_MARKS = "，。；！？、"
_HELD_MEETING = _verb_before(
    "开展", "召开", "会议用“召开”“举行”，不用“开展”", unless="精神|筹备|服务|保障|和|与|及"
)
_DONE_TASK = _verb_before("实现", "完成", "“任务”用“完成”，不用“实现”", unless="目标|和|与|及")
_COLLOCATIONS.update(
    {
        **{
            meeting + mark: _HELD_MEETING
            for meeting in ("会议", "座谈会", "推进会", "调度会", "大会")
            for mark in _CLAUSE_MARKS
        },
        **{"任务" + mark: _DONE_TASK for mark in _CLAUSE_MARKS},
    }
)


# 通过本次活动，使广大群众……: 通过 opening the sentence and 使 opening the next clause leave
# the sentence without a subject.
_SENTENCE_OPENERS = frozenset("。！？\n")
_CAUSED = ("使", "让")


def _through_caused(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] not in _SENTENCE_OPENERS:
        return None
    comma = text.find("，", end, end + 30)
    if comma < 0 or not text.startswith(_CAUSED, comma + 1):
        return None
    if _SENTENCE.search(text, end, comma) is not None:
        return None
    return new_finding(
        "usage", WARN, start, comma + 2, text[start : comma + 2], None,
        "语病：“通过……，使……”缺少主语，删去“通过”或“使”", "usage:通过使",
    )  # fmt: skip


NORM_ANCHORS: dict[str, Rule] = {
    "被告": _defendant_criminal,
    "受害人": _victim_in_court,
    "提起公诉": _prosecuted_by_court,
    **dict.fromkeys(("不再发生", "不再出现"), _prevent_not_again),
    "正常人": _able_bodied,
    "差强人意": _barely_satisfying,
    "首当其冲": _first_hit,
    "炙手可热": _hot_to_touch,
    "加大": _enlarged_degree,
    "满足": _met_problem,
    "美轮美奂": _beautiful_building,
    "鳞次栉比": _row_of_people,
    "罄竹难书": _countless_deeds,
    "始作俑者": _first_of_good,
    **dict.fromkeys(("不发生", "不出现"), _prevent_not),
    "为止": _up_to_until,
    **{
        item + mark: _formulation
        for known in FORMULATIONS
        for item in known
        for mark in _LIST_MARKS
    },
    # The scope with what starts a claim, so that the rule runs only where one may stand.
    **{scope + claim: _claim for scope in SCOPES for claim in _CLAIM_STARTS},
    "犯罪嫌疑人": _suspect_judged,
    **dict.fromkeys(("检察院", "检察机关"), _procuratorate_appeal),
    "罚款": _fine_sentenced,
    "中全会": _plenum_of_congress,
    "逮捕": _arrest_approved_by_court,
    **{
        "比" + period: _rate_in_per_cent
        for period in (
            "上年同期",
            "上年",
            "去年同期",
            "去年",
            "一季度",
            "上季度",
            "上月",
            "上半年",
            "年初",
            "上年末",
            "同期",
        )
    },
    "倍": _times,
    "处以罚金": _fine_by_office,
    "元罚金": _fine_by_office,
    "违法": _break_rules,
    "严禁": _banned_twice,
    "禁止": _banned_twice,
    "年满": _of_age_and_over,
    "战斗堡垒作用": _bastion_of_members,
    "先锋模范作用": _model_of_organisations,
    **_COLLOCATIONS,
    **_COURTESIES,
    "通过": _through_caused,
    **dict.fromkeys(_DOUBLINGS, _doubled),
    **dict.fromkeys(_FORMULA_VERBS, _formula_verb),
    # A word of about, not quite or more than before a number (近10万余人次, 约20余家), not
    # every 约 of 预约 or 近 of 附近; and 左右 or 上下 after 余 or 多 (10余人左右).
    **{
        word + first: _approximated_by(word)
        for word in (*ABOUT_WORDS, *NEAR_WORDS, *OVER_WORDS)
        for first in (
            *_NUMBER_STARTS,
            *_CHINESE_HUNDREDS,
            *(("有", "为", "计", "合") if word in ABOUT_WORDS else ()),
        )
    },
    **dict.fromkeys(("左右", "上下"), _around_after_approximate),
    **dict.fromkeys(_BOUNDS, _bound_after_approximate),
    **{"杀" + animal: _slaughter for animal in ("牛", "羊", "鸡", "鸭", "鹅", "骆驼", "牲")},
    THOUGHT: _thought_unnamed,
    **dict.fromkeys(("三个自信", _CONFIDENCES[2]), _three_confidences),
    **dict.fromkeys(FIVE_YEAR_PLANS, _plan_unquoted),
}
