"""港澳台 named beside countries and as states: the rules a fixed list cannot hold.

After 新华社《新华社新闻信息报道中的禁用词和慎用词》（2016年7月修订）, the parts on
regions and sovereignty. The terms themselves (台湾总统, 中港台, 香港政府……) are in
``lexicons/sovereignty.toml``; these rules read the words around an anchor:

* 台湾 counted among countries by a plain list with no 国家 word after it
  ("来自英国、法国、香港、澳门的艺术家"): where they stand side by side the text says
  "国家和地区"; a warning, as the list may be read with the words that follow;
* the titles and organs of a state after 台湾 with words between (台湾新当选的总统,
  台湾地区的总统): 台湾地区领导人, and the organs in quotation marks;
* the organs of the Taiwan authorities named without quotation marks (立法院, 行政院,
  监察院, 考试院, 司法院, 中央研究院): 台湾地区“立法院”;
* 香港 or 台湾 abbreviated beside 中 (中港文化交流, 中台关系): 内地与香港, 两岸关系;
* 出国 to 香港, 澳门 or 台湾, and 港澳台 visitors who 来华 or 回国: they 赴港、来内地、来大陆;
* the 中华民国 calendar after 1949 (民国112年): the years are written 公元.

All of them are anchors of the checker's one automaton (see
:mod:`domain.proofread.context`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.proofread.context import told_of_its_time
from domain.proofread.dates import chinese_count
from domain.proofread.model import BLOCK, WARN, Finding, new_finding

SOURCE = "新华社《新华社新闻信息报道中的禁用词和慎用词》（2016年7月修订）：港澳台和领土主权类"
DATE = "2016-07-01"
VERSION = "2026.12.30"

CATEGORY = "sovereignty"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CLAUSE_END = re.compile("[，。；：！？\n（）“”《》]")

# Countries a region may be listed with: the foreign ones of the context rules and a few
# the newsroom lists name besides (the names as the Ministry of Foreign Affairs writes them).
COUNTRIES: tuple[str, ...] = (
    "美国", "英国", "法国", "德国", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时", "瑞士",
    "奥地利", "瑞典", "挪威", "丹麦", "芬兰", "希腊", "波兰", "捷克", "匈牙利", "俄罗斯",
    "乌克兰", "日本", "韩国", "朝鲜", "蒙古国", "越南", "老挝", "柬埔寨", "泰国", "缅甸",
    "马来西亚", "新加坡", "印度尼西亚", "印尼", "菲律宾", "文莱", "印度", "巴基斯坦",
    "孟加拉国", "尼泊尔", "斯里兰卡", "哈萨克斯坦", "土耳其", "以色列", "沙特阿拉伯",
    "阿联酋", "埃及", "南非", "加拿大", "墨西哥", "巴西", "阿根廷", "智利", "澳大利亚",
    "新西兰",
)  # fmt: skip
_REGION_NAMES = ("香港", "澳门", "台湾", "港澳台", "港澳", "港台")
_REGION = re.compile("|".join(_REGION_NAMES))
_LIST_ITEM = re.compile(
    "(?:" + "|".join(sorted((*COUNTRIES, *_REGION_NAMES), key=len, reverse=True)) + ")"
    "(?:地区|特别行政区)?"
)
_GLUE = re.compile("、|和|及|与|以及")
_COUNTRY = re.compile("|".join(COUNTRIES))
_LIST_REACH = 40
_ITEM_AND_GLUE_BEFORE = re.compile(f"(?:{_LIST_ITEM.pattern})(?:{_GLUE.pattern})$")
_GLUE_CHARS = frozenset("、和及与以")
# Words after a list that name what it is: countries and regions together, or the
# regions' own word (地区), or a list of places inside China.
_NAMED_AFTER = re.compile(
    "等?(?:[0-9一二三四五六七八九十两多几]+个?)?(?:国家和地区|国家或地区|国家（地区）|地区|国家|国)"
)


def _list_around(text: str, start: int, end: int) -> tuple[int, int, list[str]]:
    """The plain list of places that the region at [start, end) is an item of: its span
    and its items (countries and regions joined by 、和及与)."""
    items = [text[start:end]]
    lo, hi = start, end
    # Forwards.
    while True:
        glue = _GLUE.match(text, hi)
        if glue is None:
            break
        item = _LIST_ITEM.match(text, glue.end())
        if item is None:
            break
        items.append(item.group())
        hi = item.end()
    # Backwards: an item and its glue right before lo.
    while lo:
        m = _ITEM_AND_GLUE_BEFORE.search(text[max(0, lo - 9) : lo])
        if m is None:
            break
        lo -= len(m.group())
        items.insert(0, _LIST_ITEM.match(text, lo).group())  # type: ignore[union-attr]
    return lo, hi, items


_MAINLAND_REACH = 8  # 中国内地和 before the list


def _listed_with_countries(text: str, start: int, end: int) -> Finding | None:
    """A region listed with foreign countries, and nothing after the list saying
    "国家和地区" (the plain 国家 after it is the blocking rule's, context.py)."""
    if not (
        (end < len(text) and text[end] in _GLUE_CHARS) or (start and text[start - 1] in _GLUE_CHARS)
    ):
        return None  # the common case: no list around the name
    if text.startswith(("特别行政区", "特区"), end):
        return None  # 德国、新加坡和香港特别行政区: the region named as what it is
    if text.endswith("中国", max(0, start - 2), start):
        return None  # 泰国、中国香港、新加坡: named as a region of China
    if _COUNTRY.search(text, max(0, start - _LIST_REACH), end + _LIST_REACH) is None:
        return None  # no country near enough to be an item of the list
    lo, hi, items = _list_around(text, start, end)
    if len(items) < 2 or not any(item in COUNTRIES for item in items):
        return None
    if _REGION.search(text, lo, start) is not None:
        return None  # the first region of the list reports it
    if _NAMED_AFTER.match(text, hi) or "地区" in text[lo:hi]:
        return None
    if text.find("内地", max(0, lo - _MAINLAND_REACH), lo) != -1:
        return None  # 中国内地和香港、澳门以及新加坡: the regions named as regions
    clause_end = _CLAUSE_END.search(text, hi, hi + 60)
    rest = text[hi : clause_end.start() if clause_end else min(len(text), hi + 60)]
    if "地区" in rest or "国家" in rest:
        return None  # named after the list (……等国家和地区); 国家 alone is context.py's
    if "境外" in rest or "海外" in rest:
        return None  # 远销香港、新加坡等境外市场: outside the mainland, which they are
    return new_finding(
        CATEGORY, WARN, lo, hi, text[lo:hi], None,
        "港澳台与国家并列时应称“国家和地区”，或在地名后加“地区”（如“中国台湾地区”）",
        f"{CATEGORY}:地区与国家并列",
    )  # fmt: skip


# -- 台湾 and the words of a state ---------------------------------------------------------
# Titles and organs of a state (新华社: 台湾地区领导人; the organs in quotation marks).
STATE_WORDS: tuple[str, ...] = (
    "总统", "副总统", "总统府", "国家元首", "元首", "中央政府", "国会", "国旗", "国歌", "国父",
    "首都", "外交部", "国防部", "行政院", "立法院", "国防部长", "外交部长", "行政院长",
    "立法委员", "国军", "大使馆", "大使", "总理",
)  # fmt: skip
# The ministries and other organs named as a state's (台湾地区的教育部: 台湾地区教育主管部门);
# the list holds them right after 台湾 (台湾教育部), this rule with words between. Not
# where they start a longer word (台湾地区的教育部门).
ORGAN_WORDS: tuple[str, ...] = (
    "中央银行", "教育部", "文化部", "内政部", "经济部", "交通部", "财政部", "法务部", "劳动部",
    "卫福部", "国安局", "国史馆", "中央研究院", "中研院", "监察院", "考试院", "司法院",
    "选委会", "中选会", "陆委会", "国发会", "国科会", "海巡署", "移民署", "观光局",
)  # fmt: skip
# What the list holds with 的 as well (台湾的外交部): the rule leaves those to it.
_LISTED_WITH_DE = frozenset(
    {"外交部", "国防部", "立法院", "行政院", "总统府", "国会", "国旗", "总统"}
)
_BETWEEN = (
    "(?:地区)?(?:的)?(?:新任|现任|前任|新当选的|新当选|当选|首位|首任|女|新一届|下一任|历任|前)?"
)
_TAIWAN_STATE = re.compile(
    "台湾"
    + _BETWEEN
    + "("
    + "|".join(sorted((*STATE_WORDS, *ORGAN_WORDS), key=len, reverse=True))
    + ")(?![门处局])"
)


def _taiwan_state(text: str, start: int, end: int) -> Finding | None:
    m = _TAIWAN_STATE.match(text, start)
    if m is None:
        return None
    word, between = m.group(1), text[start + 2 : m.start(1)]
    if not between or (between == "的" and word in _LISTED_WITH_DE):
        return None  # 台湾总统, 台湾的外交部 and the like are terms of the list
    if text.startswith("”", m.end(1)) or text.startswith("“", m.start(1) - 1):
        return None
    return new_finding(
        CATEGORY, BLOCK, start, m.end(), text[start : m.end()],
        "台湾地区领导人" if word in ("总统", "副总统", "国家元首", "元首") else None,
        f"台湾不能称“{word}”等国家名义的职务和机构：称“台湾地区领导人”，机构名称加引号",
        f"{CATEGORY}:台湾+国家名义",
    )  # fmt: skip


# The organs of the Taiwan authorities, written only in quotation marks.
TAIWAN_ORGANS: tuple[str, ...] = (
    "立法院", "行政院", "监察院", "考试院", "司法院", "中央研究院", "总统府", "国史馆",
    "陆委会", "大陆委员会", "海基会",
)  # fmt: skip
_QUOTED_OK = frozenset({"海基会"})  # 海基会 is a foundation, named as it is
_REPUBLIC_UNTIL = 1949  # the organs in a sentence dated to their years in Nanjing are history


def _taiwan_organ(text: str, start: int, end: int) -> Finding | None:
    word = text[start:end]
    if word in _QUOTED_OK or text.endswith("台湾", 0, start):
        return None  # 台湾立法院 and the like are terms of the list
    if (start and text[start - 1] in '“‘"「') or text.startswith(("”", "’", '"', "」"), end):
        return None
    if word == "总统府":
        lo = max(0, start - 12)
        if "台" not in text[lo:start]:
            return None  # another country's 总统府
    elif word == "司法院" and text.startswith(("校", "长"), end):
        return None
    lo = max(0, start - 30)
    if word in ("行政院", "司法院", "考试院", "监察院") and "台" not in text[lo : end + 30]:
        return None  # in history (民国时期的行政院) or another country's, not ours to say
    if "国民政府" in text[lo:start] or told_of_its_time(text, start, end, _REPUBLIC_UNTIL):
        return None  # 1928年，南京国民政府设立行政院、立法院等五院; 1928年，中央研究院在南京成立
    return new_finding(
        CATEGORY, WARN, start, end, word, f"“{word}”",
        f"台湾地区的“{word}”等机构名称应加引号，或称“台湾地区立法机构”等",
        f"{CATEGORY}:台湾机构加引号",
    )  # fmt: skip


# -- 中港, 中台: a region abbreviated beside China ----------------------------------------
_BESIDE_CHINA_AFTER = re.compile(
    "两地|双方|之间|关系|交流|合作|贸易|经贸|文化|青年|融合|跨境|边境|往来|协作|联合|艺术|民间"
    "|旅游|交往|对话|互动|携手|论坛|联谊|文旅|文体|经济|商贸|科技|教育|体育|影视|学术"
    "|农业|民俗|渔业|产业|宗教|医疗|卫生|婚姻|同胞|民众|人员|企业|客商|商界"
)
_NOT_BESIDE_CHINA = frozenset("集空途市心城华点央国据务技台")


def _beside_china(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] in _NOT_BESIDE_CHINA:
        return None  # 集中港口, 数据中台, 业务中台……
    if not _BESIDE_CHINA_AFTER.match(text, end):
        return None
    pair = text[start:end]
    suggestion = "两岸" if pair == "中台" else "内地与香港"
    return new_finding(
        CATEGORY, WARN, start, end, pair, suggestion,
        f"不将香港、澳门、台湾与中国并列（“{pair}”）：称“内地与香港”“两岸”",
        f"{CATEGORY}:中港中台",
    )  # fmt: skip


# -- 出国 to the regions, and 来华 from them --------------------------------------------
_ABROAD_TO = re.compile(
    "(?:旅游|旅行|游玩|访问|考察|探亲|留学)?(?:前往|到|去|赴)(香港|澳门|台湾|港澳台|港澳)"
)


# 出国游热度不减，赴香港、澳门旅游人数……: the trips the sentence goes on to tell of are to
# the regions, and no country is named.
_TRIP = re.compile("游|旅游|旅行")
_REGIONS_VISITED = re.compile("香港|澳门|台湾|港澳")
_SENTENCE_END = re.compile("[。；！？\n]")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``, looking back at most :data:`_LIST_REACH`."""
    lo = max(0, start - _LIST_REACH)
    for m in _SENTENCE_END.finditer(text, lo, start):
        lo = m.end()
    stop = _SENTENCE_END.search(text, end)
    return lo, stop.start() if stop is not None else len(text)


def _abroad_trips(text: str, start: int, end: int) -> Finding | None:
    trip = _TRIP.match(text, end)
    if trip is None:
        return None
    lo, hi = _sentence_bounds(text, start, end)
    if _REGIONS_VISITED.search(text, trip.end(), hi) is None and (
        _GOING_TO.search(text, lo, start) is None  # 赴香港、澳门出国旅游
    ):
        return None
    if _COUNTRY.search(text, max(0, start - _LIST_REACH), hi) is not None:
        return None  # 出国游 to 泰国, and trips to 香港 besides
    return new_finding(
        CATEGORY, WARN, start, trip.end(), text[start : trip.end()], "出境" + trip.group(),
        "去港澳台不是“出国”：称“出境游”，或“出国（境）游”", f"{CATEGORY}:出国赴港澳台",
    )  # fmt: skip


# 赴香港参加学术交流须办理出国审批手续: the papers of a trip the sentence tells of.
_PAPERS = re.compile("审批|报批|手续|证照|证件")
_GOING_TO = re.compile("(?:赴|前往|去|到)(?:香港|澳门|台湾|港澳)")


def _abroad_papers(text: str, start: int, end: int) -> Finding | None:
    papers = _PAPERS.match(text, end)
    if papers is None:
        return None
    lo, hi = _sentence_bounds(text, start, end)
    if _GOING_TO.search(text, lo, hi) is None or _COUNTRY.search(text, lo, hi) is not None:
        return None
    return new_finding(
        CATEGORY, WARN, start, end, "出国", "出境",
        "去港澳台不是“出国”：办理的是“出境”手续，或称“出国（境）”", f"{CATEGORY}:出国赴港澳台",
    )  # fmt: skip


def _abroad(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(("（境）", "(境)", "境"), end):
        return None  # 出国（境）: the abroad and the regions both
    m = _ABROAD_TO.match(text, end)
    if m is None:
        return _abroad_trips(text, start, end) or _abroad_papers(text, start, end)
    return new_finding(
        CATEGORY, BLOCK, start, m.end(), text[start : m.end()], None,
        f"去{m.group(1)}不是“出国”：称“赴港”“赴台”或“出境”",
        f"{CATEGORY}:出国赴港澳台",
    )  # fmt: skip


# The regions and their residents and businesspeople, as the subject of 来华 or 回国.
_RESIDENTS = re.compile("|".join((*_REGION_NAMES, "台胞", "台商", "台青", "港商", "澳商", "港胞")))


_FOREIGNERS = ("外国", "外籍", "外商", "外资", "境外", "国际", "海外", *COUNTRIES)


def _to_china(text: str, start: int, end: int) -> Finding | None:
    lo = max(0, start - 20)
    clause = _CLAUSE_END.search(text[lo:start][::-1])
    if clause is not None:
        lo = start - clause.start()
    regions = list(_RESIDENTS.finditer(text, lo, start))
    if not regions:
        return None
    region = regions[-1]
    before = text[lo:start]
    if any(word in before for word in _FOREIGNERS):
        return None  # foreigners come to China (来华), the regions' residents with them
    return new_finding(
        CATEGORY, BLOCK, region.start(), end, text[region.start() : end], None,
        "港澳台居民来内地（大陆）不称“来华”“来中国”",
        f"{CATEGORY}:港澳台来华",
    )  # fmt: skip


def _home_to_china(text: str, start: int, end: int) -> Finding | None:
    """港澳台同胞回国: the regions' residents come to the mainland, they do not return to
    a country from abroad (a warning: 回国 may belong to someone else in the clause)."""
    found = _to_china(text, start, end)
    if found is None:
        return None
    return new_finding(
        CATEGORY, WARN, found.start, found.end, found.text, None,
        "港澳台居民来内地（大陆）不称“回国”：称“来内地”“回大陆”“回乡”",
        f"{CATEGORY}:港澳台回国",
    )  # fmt: skip


# 来自香港、澳门的外国游客: visitors from the regions are not foreigners; with them the
# word is 境外 (境外游客). Foreigners named beside them (来自香港和日本的外国游客) are left.
_FROM = re.compile("来自|从")


def _regions_as_foreign(text: str, start: int, end: int) -> Finding | None:
    lo = max(0, start - 30)
    for mark in _CLAUSE_END.finditer(text, lo, start):
        lo = mark.end()
    if text.startswith("的", start):  # 来自香港、澳门的外国游客: who came from there
        came = None
        for found in _FROM.finditer(text, lo, start):
            came = found  # the last before the anchor
        if came is None:
            return None
        lo = came.end()
    # (香港、澳门籍外国留学生, 台湾、香港等海外地区, 香港居民按外国人办理: the regions named
    # right before, in the clause)
    if _RESIDENTS.search(text, lo, start) is None:
        return None
    if _COUNTRY.search(text, lo, start) is not None or "国外" in text[lo:start]:
        return None
    if text.endswith(("港澳台", "港澳台地区"), lo, start):
        return None  # (港澳台等海外: the list's own term)
    at = end - 2  # the anchor ends with 外国 or 海外
    word = text[at:end]
    return new_finding(
        CATEGORY, WARN, at, end, word, "境外",
        f"港澳台不属{'海外' if word == '海外' else '外国'}：其游客、人员称“境外”或直称“港澳台”",
        f"{CATEGORY}:港澳台外国",
    )  # fmt: skip


# Members of APEC are economies (中国香港、中国台北 among them), of the WTO members: not
# 成员国 (亚太经合组织21个成员国 → 成员经济体).
_ECONOMIES = re.compile("亚太经合组织|亚太经济合作组织|APEC|世界贸易组织|世贸组织|WTO")


def _members_not_states(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _sentence_bounds(text, start, end)
    found = _ECONOMIES.search(text, lo, hi)
    if found is None or found.end() == start:
        return None  # (亚太经合组织成员国: the usage list's own term)
    right = "成员经济体" if "贸" not in found.group() and found.group() != "WTO" else "成员"
    return new_finding(
        "usage", WARN, start, end, "成员国", right,
        f"{found.group()}的成员不都是国家：称“{right}”", "usage:成员经济体",
    )  # fmt: skip


# 台湾队 and 台湾代表队 at an international event are 中国台北队; between the two sides
# (海峡两岸邀请赛) the team is 台湾队.
def _taiwan_team(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _sentence_bounds(text, start, end)
    if _CROSS_STRAIT.search(text, lo, hi) is not None:
        return None
    name = text[start:end]
    return new_finding(
        CATEGORY, WARN, start, end, name, "中国台北" + name[2:],
        "国际体育赛事中称“中国台北”", f"{CATEGORY}:{name}",
    )  # fmt: skip


# The 中华民国 calendar does not go on after 1949 (民国38年): 民国39年 and later, in Arabic
# or Chinese numerals, count the years of the Taiwan authorities (新华社: 一律不使用
# “中华民国”纪年).
_MINGUO_YEAR = re.compile("([0-9]{1,3}|[一二三四五六七八九十百零〇]{1,5})年")
_CN_YEAR_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _minguo_number(numeral: str) -> int | None:
    if numeral.isdigit():
        return int(numeral)
    if "百" in numeral or "十" in numeral:
        return chinese_count(numeral)
    if len(numeral) == 3:  # 民国一一四年, digit by digit as 二〇二五年 is
        return int("".join(str(_CN_YEAR_DIGITS[ch]) for ch in numeral))
    return None  # 民国一二年: twelve or one-two, no year to tell


def _minguo(text: str, start: int, end: int) -> Finding | None:
    m = _MINGUO_YEAR.match(text, end)
    if m is None:
        return None
    year = _minguo_number(m.group(1))
    if year is None or year <= 38:
        return None  # a year of the Republic before 1949: history
    return new_finding(
        CATEGORY, BLOCK, start, m.end(), text[start : m.end()], f"{year + 1911}年",
        "1949年以后不使用“中华民国”纪年：用公元纪年",
        f"{CATEGORY}:民国纪年",
    )  # fmt: skip


# 大陆 is said beside 台湾, 内地 beside 香港 and 澳门 (新华社: 内地与香港, 大陆与台湾).
_CLAUSE = re.compile("[，。；：！？\n]")


def _clause(text: str, start: int, end: int) -> str:
    lo = max(0, start - 20)
    before = _CLAUSE.search(text[lo:start][::-1])
    if before is not None:
        lo = start - before.start()
    after = _CLAUSE.search(text, end, end + 20)
    return text[lo : after.start() if after else min(len(text), end + 20)]


# (港资, 台商: the people and the capital of each, 台商在内地 → 在大陆, 港资企业来大陆 → 来内地.)
_HK_MACAU = re.compile("香港|澳门|港澳|赴港|来港|访港|港资|港商|港企|港人|澳资|澳商")
_TAIWAN = re.compile("台湾|台胞|赴台|两岸|港澳台|台商|台资|台企|台青|金门|马祖|澎湖")


def _mainland(text: str, start: int, end: int) -> Finding | None:
    word = text[start:end]
    clause = _clause(text, start, end)
    hk_macau = _HK_MACAU.search(clause) is not None
    taiwan = _TAIWAN.search(clause) is not None
    if word == "大陆" and hk_macau and not taiwan and "中国大陆" not in clause:
        suggestion, message = "内地", "与香港、澳门对称时用“内地”，不用“大陆”"
    elif (
        word == "大陆"
        and text.endswith("中国", 0, start)
        and not (hk_macau or taiwan)
        and _COUNTRY.search(clause) is not None
    ):
        # 新华社: in international contexts China is 中国, not 中国大陆.
        start -= 2
        word, suggestion, message = "中国大陆", "中国", "在国际场合称“中国”，不称“中国大陆”"
    elif word == "内地" and taiwan and not hk_macau:
        suggestion, message = "大陆", "与台湾对称时用“大陆”，不用“内地”"
    else:
        return None
    return new_finding(
        CATEGORY, WARN, start, end, word, suggestion, message, f"{CATEGORY}:内地大陆"
    )


# Flights between the mainland and 香港, 澳门 or 台湾 are regional ones (地区航线), not
# international: the anchor is the word, the rule wants one of the regions in its clause.
_REGION_PLACES = re.compile("香港|澳门|台湾|台北|高雄|台中|台南|桃园|金门|港澳")


_REGION_FLIGHTS_AFTER = re.compile("[和与及、](?:港澳台|港澳|香港|澳门|台湾)(?:地区)?(?:航线|航班)")


def _international_flight(text: str, start: int, end: int) -> Finding | None:
    clause = _clause(text, start, end)
    if _REGION_PLACES.search(clause) is None or _COUNTRY.search(clause) is not None:
        return None
    if any(word in clause for word in ("国际和地区", "国际及地区", "国际、地区", "地区和国际")):
        return None
    if _REGION_FLIGHTS_AFTER.match(text, end):
        return None  # 国际航班和港澳台地区航班: the two set side by side
    return new_finding(
        CATEGORY, WARN, start, end, text[start:end], "地区" + text[start + 2 : end],
        "往来香港、澳门、台湾的航线、航班是地区航线，不称“国际”",
        f"{CATEGORY}:港澳台国际航线",
    )  # fmt: skip


# 港澳台 counted inside the foreigners (外国游客12万人次（含港澳台）): they are 境外, not 外国.
_FOREIGN_WORDS = re.compile("外国|外籍|国外")


def _regions_inside_foreign(text: str, start: int, end: int) -> Finding | None:
    lo = max(0, start - 30)
    stop = max(text.rfind(mark, lo, start) for mark in "。；！？\n")
    found = list(_FOREIGN_WORDS.finditer(text, max(lo, stop + 1), start))
    if not found:
        return None
    foreign = found[-1]
    if "境外" in text[foreign.start() - 2 : start] or _REGION.search(text, foreign.end(), start):
        return None  # 境外, or the regions named beside the foreigners already
    span = text[foreign.start() : end]
    return new_finding(
        CATEGORY, WARN, foreign.start(), end, span, None,
        "港澳台不属于“外国”：称“境外”，或“外国和港澳台”并列",
        f"{CATEGORY}:外国含港澳台",
    )  # fmt: skip


# The 国立 of the Taiwan authorities' schools and museums is quoted (“国立”); the list holds
# the common names after 台湾 (国立台湾大学……), this rule any other with 台湾 near.
_TAIWAN_NEAR = re.compile("台湾|台北|台南|台中|高雄|新竹|嘉义|桃园|花莲|台东|宜兰")
_LISTED_NATIONAL = (
    "台湾", "台北", "台南", "高雄", "新竹", "嘉义", "彰化", "屏东", "宜兰", "政治大学", "成功大学",
    "中兴大学", "中正大学", "东华大学", "阳明交通大学", "历史博物馆", "故宫",
)  # fmt: skip


_INSTITUTION = re.compile(
    f"[{_CJK}]{{2,12}}?(?:大学|学院|博物馆|美术馆|图书馆|剧院|音乐厅|纪念馆|中学|医院)"
)


def _national(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(_LISTED_NATIONAL, end) or (start and text[start - 1] in '“‘"「'):
        return None
    lo, hi = max(0, start - 30), min(len(text), end + 20)
    if _TAIWAN_NEAR.search(text, lo, hi) is None or _COUNTRY.search(text, lo, hi) is not None:
        return None  # 韩国国立中央博物馆: another country's
    name = _INSTITUTION.match(text, end)
    if name is None:
        return None
    hi = name.end()
    return new_finding(
        CATEGORY, WARN, start, hi, text[start:hi], None,
        "台湾地区以“国立”名义的学校、场馆名称，“国立”加引号",
        f"{CATEGORY}:国立加引号",
    )  # fmt: skip


Rule = Callable[[str, int, int], Finding | None]


def _taiwan(text: str, start: int, end: int) -> Finding | None:
    return _taiwan_state(text, start, end) or _listed_with_countries(text, start, end)


# 来自台湾的农业专家与中国的种植户交流: beside 台湾 the other side is 大陆, not 中国 (台湾与中国
# side by side is a listed phrase; 与中国香港 and the like name a region).
_REGION_AFTER_CHINA = ("台湾", "香港", "澳门", "港澳", "内地", "大陆", "台北", "其他")
_TAIWAN_REACH = 12  # 台湾 and the other side: 来自台湾的农业专家与中国的种植户


def _taiwan_then_china(text: str, start: int, end: int) -> Finding | None:
    if text.startswith(_REGION_AFTER_CHINA, end) or text.endswith(
        ("台湾", "港澳", "香港", "澳门"), 0, start
    ):
        return None
    lo, _ = _sentence_bounds(text, start, end)
    taiwan = text.rfind("台湾", lo, start)
    if taiwan < 0 or start - taiwan > _TAIWAN_REACH or text.endswith("中国", lo, taiwan):
        return None
    if _COUNTRY.search(text, taiwan, start) is not None:
        return None  # 台湾问题上，美国与中国……: another party stands between
    return new_finding(
        CATEGORY, WARN, start + 1, end, "中国", "大陆",
        "与台湾对称时称“大陆”，不把台湾与“中国”并列", f"{CATEGORY}:台湾与中国",
    )  # fmt: skip


def _named_where(
    said_of: re.Pattern[str],
    marked: str,
    right: str | None,
    why: str,
    rule: str,
    *,
    unless_in: str | None = None,
    unless_after: tuple[str, ...] = (),
) -> Rule:
    """A rule for a name that is wrong in a sentence that speaks of ``said_of``: a warning
    on the anchor's first characters, ``marked``, with their ``right`` wording and ``why``;
    none where the sentence holds ``unless_in`` or the anchor is followed by
    ``unless_after``."""

    def named(text: str, start: int, end: int) -> Finding | None:
        lo, hi = _sentence_bounds(text, start, end)
        if said_of.search(text, lo, hi) is None or text.startswith(unless_after, end):
            return None
        if unless_in is not None and unless_in in text[lo:hi]:
            return None
        return new_finding(
            CATEGORY, WARN, start, start + len(marked), marked, right, why, f"{CATEGORY}:{rule}"
        )

    return named


# 来自中国台湾的青年参加海峡两岸夏令营: between the two sides 台湾 is named alone (中国台湾 is
# for the world's stages: 中国台湾选手); 中国台湾地区 and 中国台湾省 name the region as a part
# of China.
_CROSS_STRAIT = re.compile("两岸|海峡|大陆|祖国大陆|台胞|台湾同胞|台商|台青")

_taiwan_cross_strait = _named_where(
    _CROSS_STRAIT, "中国", None, "两岸交流中称“台湾”，“中国台湾”用于国际场合", "两岸称台湾",
    unless_after=("地区", "省"),
)  # fmt: skip


# 东京湾 is the foreign name of the 北部湾 (between Guangxi, Hainan and Vietnam); Tokyo's bay
# is 东京湾 too, and is left alone.
_GULF_OF_TONKIN = re.compile("越南|广西|北海|钦州|防城|海南|涠洲|中越|北部湾")

_gulf_of_tonkin = _named_where(
    _GULF_OF_TONKIN, "东京湾", "北部湾", "中越之间的海湾称“北部湾”，不用“东京湾”", "北部湾",
    unless_in="日本",
)  # fmt: skip


# 已加入加拿大国籍的华侨李女士: a 华侨 is a Chinese citizen living abroad; one who has taken
# another nationality is a 华人 (外籍华人).
_NATURALISED = re.compile("(?:加入|取得|入籍|改入)[^，。；：！？\n]{0,8}国籍|外国国籍")


def _naturalised_overseas(text: str, start: int, end: int) -> Finding | None:
    lo = max(_sentence_bounds(text, start, end)[0], start - 20)
    if _NATURALISED.search(text, lo, start) is None or text.startswith("华人", end):
        return None  # 华侨华人: both named
    return new_finding(
        CATEGORY, WARN, start, end, "华侨", "外籍华人",
        "加入外国国籍的称“华人”“外籍华人”；“华侨”是定居国外的中国公民", f"{CATEGORY}:华侨",
    )  # fmt: skip


# 1987年，国民政府开放台湾民众赴大陆探亲: after 1949 the authorities in Taiwan are 台湾当局.
_YEAR_AFTER_1949 = re.compile("(?:19[5-9][0-9]|20[0-9]{2})年")


def _nationalist_government(text: str, start: int, end: int) -> Finding | None:
    if text.endswith(("南京", "广州", "武汉", "重庆"), 0, start) or text.startswith(
        ("旧址", "遗址", "时期", "档案", "大楼", "主席", "成立"), end
    ):
        return None  # 南京国民政府旧址: the government of before 1949, by its seat or its site
    lo, hi = _sentence_bounds(text, start, end)
    if "台湾" not in text[lo:hi] or _YEAR_AFTER_1949.search(text, lo, hi) is None:
        return None
    return new_finding(
        CATEGORY, WARN, start, end, "国民政府", "台湾当局",
        "1949年以后称“台湾当局”，不称“国民政府”", f"{CATEGORY}:国民政府",
    )  # fmt: skip


# 海外游客（含港澳台）: what holds the regions is 境外, not 海外 or 国外.
_ABROAD_WORD = re.compile("(海外|国外|外国)[^，。；：！？、\n（(]{0,4}$")


def _abroad_with_regions(text: str, start: int, end: int) -> Finding | None:
    m = _ABROAD_WORD.search(text, max(0, start - 8), start)
    if m is None:
        return None
    return new_finding(
        CATEGORY, WARN, m.start(1), m.end(1), m.group(1), "境外",
        "含港澳台的统计称“境外”，港澳台不属“海外”“国外”", f"{CATEGORY}:境外含港澳台",
    )  # fmt: skip


REGION_ANCHORS: dict[str, Rule] = {
    **dict.fromkeys(("（含港澳台", "(含港澳台"), _abroad_with_regions),
    "国民政府": _nationalist_government,
    "中国台湾": _taiwan_cross_strait,
    "东京湾": _gulf_of_tonkin,
    "华侨": _naturalised_overseas,
    **dict.fromkeys(("与中国", "和中国", "同中国", "跟中国"), _taiwan_then_china),
    **dict.fromkeys(("香港", "澳门"), _listed_with_countries),
    "台湾": _taiwan,
    **dict.fromkeys(TAIWAN_ORGANS, _taiwan_organ),
    "中港": _beside_china,
    "中台": _beside_china,
    "出国": _abroad,
    **dict.fromkeys(
        ("来华", "访华", "来中国", "到中国", "赴中国", "访问中国", "前往中国", "入境中国"),
        _to_china,
    ),
    **dict.fromkeys(("的外国", "籍外国", "按外国", "等海外"), _regions_as_foreign),
    "成员国": _members_not_states,
    **dict.fromkeys(("台湾队", "台湾代表队"), _taiwan_team),
    "大陆": _mainland,
    "内地": _mainland,
    "回国": _home_to_china,
    **dict.fromkeys(
        ("国际航线", "国际航班", "国际货运航线", "国际客运航线", "国际货运航班", "国际客运航班"),
        _international_flight,
    ),
    **{
        word + region: _regions_inside_foreign
        for word in ("含", "包括", "其中")
        for region in ("港澳台", "香港", "澳门", "台湾")
    },
    "国立": _national,
    "民国": _minguo,
}
