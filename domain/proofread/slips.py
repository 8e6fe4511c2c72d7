"""Input slips whose wrong form is itself made of common words, read by what stands near.

Most miswritings are one character replaced by another of the same reading (安全 →
按全, 再次 → 在次). The generated part of the confusable list holds the slips that are
safe to report wherever they stand; it leaves out, by design, those whose two pieces are
both common words (按|全年, 在|次日, 不在|受理范围, 努力|渡过): such a string stands in
correct text too. Yet these are the slips of everyday official prose, and the words
around them tell the two apart: 按全 before 生产 or 意识 is 安全, before 年 or 市 it is
按全年, 按全市. Each rule here is one such slip with the words that make it one (a
word that follows, or one that ends right before it) and the words that make it right
(never a finding when one of them follows).

The second kind is the particle of an attributive (GB/T: 的地得 分用): a quality before
the thing it qualifies takes 的, not 地 (美丽的风景, 良好的氛围); the nouns are such that
地 with their first character makes no word (地方, 地区, 地位 are left out).

The third kind is a whole word that a pinyin input method offers for another of the
same reading (开展 → 开战, 重点 → 终点, 途径 → 途经, 期间 → 其间), or a word that is
right elsewhere and wrong by what follows (形式 before 严峻, 启示 after 招聘): a word
either way, so each is read by the words that make it the slip, and never where they
make it right (两国开战, 马拉松终点, 途经市区). 发挥 and 发扬 are read so by the noun that
ends their object (发挥作用, 发扬传统: 发挥优良传统 is the slip, 发挥传统优势 is not).

Sources: the readings of 《现代汉语词典》（第7版） and the usage of 的地得 (《现代汉语词典》
“的”“地”条); the slips are the same-reading replacements of the commonest words of
official prose (the method of ``confusable_generated.tsv``), kept by hand where the
words around them decide. All warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.proofread.context import CLAUSE_STOPS, neighbours
from domain.proofread.model import WARN, Finding, new_finding

SOURCE = (
    "《现代汉语词典》（第7版）词形与“的”“地”用法；常用公文词语的同音误输入（人工核查语境）；"
    "《咬文嚼字》易混词辨析；《中华人民共和国立法法》（施行）与《中华人民共和国民法典》第五百八十七条（定金）"
)
DATE = "2026-12-05"
VERSION = "2026.12.29"

Rule = Callable[[str, int, int], Finding | None]
_STOPS = re.compile("[，。；：！？、\n]")


def slip(
    wrong: str,
    right: str,
    why: str,
    after: str | None = None,
    before: str | None = None,
    not_after: str | None = None,
    not_before: str | None = None,
    reach: int = 0,
    unless_in_clause: str | None = None,
    needs_before: str | None = None,
    stops: str = CLAUSE_STOPS,
) -> Rule:
    """A rule for ``wrong``: a finding when one of ``after`` follows it within ``reach``
    characters of its clause (with ``stops``, of the stretch up to one of them), or one
    of ``before`` ends right before it; never when one of ``not_after`` follows right
    after it, one of ``not_before`` ends right before it, or one of ``unless_in_clause``
    stands later in its clause; and, with ``needs_before``, only when one of those ends
    right before it."""
    near = neighbours(after, before, reach, stops)
    vetoed_after = re.compile(f"(?:{not_after})") if not_after else None
    vetoed_before = re.compile(f"(?:{not_before})$") if not_before else None
    vetoed_clause = re.compile(f"(?:{unless_in_clause})") if unless_in_clause else None
    needed = re.compile(f"(?:{needs_before})$") if needs_before else None
    message = f"疑似错别字：{wrong} → {right}（{why}）"
    rule = f"confusable:{wrong}+语境"

    def judge_slip(text: str, start: int, end: int) -> Finding | None:
        if vetoed_after is not None and vetoed_after.match(text, end):
            return None
        lo = start - 8 if start > 8 else 0
        if vetoed_before is not None and vetoed_before.search(text, lo, start):
            return None
        if needed is not None and not needed.search(text, lo, start):
            return None
        if not near(text, start, end):
            return None
        if vetoed_clause is not None:
            stop = _STOPS.search(text, end, end + 40)
            hi = stop.start() if stop else min(len(text), end + 40)
            if vetoed_clause.search(text, end, hi):
                return None
        return new_finding("confusable", WARN, start, end, wrong, right, message, rule)

    return judge_slip


def _meant(start: int, end: int, wrong: str, right: str, why: str, rule: str) -> Finding:
    """The finding of a word typed for ``right``, as :func:`slip` words it."""
    return new_finding(
        "confusable",
        WARN,
        start,
        end,
        wrong,
        right,
        f"疑似错别字：{wrong} → {right}（{why}）",
        f"confusable:{rule}",
    )


# Verbs after 再次 (在次 before them is the slip; 在次日, 在次年, 在次要 are right).
_AGAIN = (
    "核查|检查|强调|提醒|重申|开展|举办|召开|确认|出现|发生|组织|走进|来到|获得|荣获|入选"
    "|进行|当选|提出|表示|发布|发出|提示|呼吁|感谢|登上|刷新|创下|延长|延期|调整|更新|修订"
    "|修改|审核|复核|核实|核对|申请|提交|报名|启动|迎来|回到|回访|走访|深入|踏上|证明|印证"
    "|彰显|成为|亮相|举行|邀请|被|向|对|获|上榜|入围|通过|部署|动员|督促|明确|重点|聚焦"
)
# What 以便 goes on to (已便 before them is the slip; 已便于, 已便利 and 已便捷 are right).
_SO_THAT = (
    "及时|更好|尽快|游客|群众|市民|做好|开展|进行|统一|后续|掌握|查询|核实|安排|联系|通知"
    "|核对|工作人员|我们|各单位|相关|有关|准确|妥善|提前|合理|大家|广大|公众|有效|顺利"
)
# Numbers and measures before 以上 and 以下 (6岁以上, 三级以下, 100人以上).
_COUNTED = (
    "[0-9０-９]|[一二三四五六七八九十百千万亿两]"
    "|岁|级|元|人|次|米|度|倍|名|家|个|天|周|户|件|项|分|克|斤|层|吨|年"
)
# What a count qualifies (6岁以上儿童, 3A级以上景区, 60岁以下的): after 已上 or 已下 these
# say 以上, 以下, when a number or a measure stands right before.
_COUNT_OF = (
    "[，。；、）)]|的|（含|人员|学历|职称|儿童|老人|老年人|游客|景区|企业|单位|项目|规模|标准"
    "|级别|职工|干部|学生|群众|市民|村民|城市|地区|部分|者|均|需|须|可|不|免"
)
# What is no longer done (不在受理 → 不再受理; 不在受理范围内 is right).
_NO_MORE = (
    "受理|办理|接受|另行|退还|退回|重复|提供|发放|补发|安排|组织|保留|延期|追究|赘述|续签"
    "|单独|逐一|收取|允许|享受|审批|复核|说明|通知|使用|出售|销售|开展|举办"
)
# What stands in a clause where 不在 means "not within" (不在受理范围内, 不在开放时间).
_WITHIN = "范围|之列|时间|期限|区域|名单|以内|内|之中|中|列"
# A department named before 部门 (各部门, 有关部门, 职能部门).
_DEPARTMENTS = (
    "各|有关|相关|职能|主管|业务|责任|多个|等|政府|监管|执法|行业|成员|牵头|配合|协作|协同"
    "|各个|涉及|文旅|公安|交通|市场监管|应急|卫生健康|住建|财政|教育"
)
# What 作用 is said of (发挥积极作用, 起到重要作用).
_ROLES = (
    "积极|重要|关键|带动|示范|引领|推动|促进|主导|主体|基础|决定性|桥梁|纽带|支撑|保障|辐射"
    "|先锋|模范|表率|发挥|起到|起了|起着|积极的|重要的|关键的|独特|独特的|显著|巨大|应有"
)
# What 安全 is said of after 按全 (按全年, 按全市, 按全额 are right: not listed).
_SAFETY = (
    "生产|意识|保障|隐患|第一|教育|措施|稳定|可靠|有序|事故|责任|出行|防范|检查|管理|监管"
    "|知识|提示|须知|运行|风险|文明|健康|感|度汛|底线|工作"
)
# What 确保 is said of after 却保 (却保持, 却保留, 却保护 are right).
_ENSURING_BEFORE = "要|切实|务必|必须|以|并|全力|力争|努力|着力|进一步|有效|坚决|从而|以此|为"
_KEPT = "持|留|护|存|有|险|温|鲜|密|值|证|住"
# 力度 is said of a measure (执法力度, 加大力度); 力渡 is never a word, but 努力渡过 is right.
_MEASURES = (
    "加大|执法|监管|支持|整治|打击|投入|宣传|查处|改革|帮扶|惩处|处罚|保障|推进|落实|工作"
    "|治理|扶持|服务|问责|开放|补贴|政策|调控|检查|巡查|管控|增加|加强|提升|提高|督查|考核"
)
_CROSSED = "过|河|江|海|口|船|难|湖|桥"
# 落实 a task (抓好落实, 工作落实); 落石 is a falling rock (防止落石, 山体落石).
_CARRIED_OUT = (
    "抓好|抓|工作|狠抓|贯彻|全面|认真|切实|推动|推进|督促|层层|责任|政策|措施|任务|整改"
    "|部署|要求|精神|确保|抓实|压实|推动工作"
)
# 树立 an idea or an example (树立正确的政绩观, 牢固树立安全意识); 竖立 a post or a stone.
_IDEAS = (
    "正确|意识|观念|榜样|典型|形象|理念|信心|标杆|新风|良好|文明|法治|底线|宗旨|大局|品牌"
    "|口碑|自信|远大|崇高|导向|思想|目标|志向|信念|新时代"
)
# 查处 a violation (严肃查处, 依法依规查处); 查出 is what a check finds.
_PUNISHING = "严肃|从严|严厉|坚决|予以|依纪依法|依法依规|一律|从重|从快|快速|严格"
# 遏制 a trend (坚决遏制重特大事故发生); 扼制 is not used of them.
_TRENDS = (
    "事故|势头|蔓延|腐败|发生|增长|上涨|扩散|传播|违法|违规|乱象|高发|滋生|不正之风|歪风"
    "|苗头|攀升|反弹|态势"
)
# 融合 things into one (文旅融合, 深度融合发展); 融和 is warm and harmonious.
_MERGED_BEFORE = (
    "深度|文旅|产业|城乡|民族|交流|交往|文化和旅游|多元|跨界|一体化|加快|推进|促进|推动"
    "|互相|相互|深入|农文旅|商旅|体旅|有机|全面|融合|军民|区域"
)
_MERGED_AFTER = "发展|共生|互促|互动|创新|之路|模式|业态|项目|示范|共享"
# 领导 a body or a task (加强组织领导, 坚持党的领导); 领到 is to receive (领到了证书).
_LEADERSHIP = (
    "加强|坚持|党的|党委|组织|统一|集中|主要|分管|带班|上级|各级|市委|县委|区委|正确|坚强"
    "|全面|政府|的"
)
_RECEIVED = "了|过|手|取|证|奖|钱|款|物|票|到|补|工资|资金|手续"
_A_COUNT = "[0-9０-９]|[一二三四五六七八九十两]|近|超过|逾|多达"
_PREPOSITION_YI = "可|所|得|足|难|加|予|用|并|借|赖|据|是"
# 制度 of a kind (工作制度, 管理制度); 制渡 is never a word, but 控制渡口 is right.
_RULES_OF = (
    "工作|管理|规章|责任|考核|值班|监督|保障|各项|相关|有关|完善|健全|建立|落实|执行|规范"
    "|会议|财务|报告|登记|备案|审批|巡查|检查|安全"
)

# 形势 is how things stand (当前形势依然严峻, 认清形势); 形式 is a form (活动形式多样,
# 形式主义), which these words do not follow.
_STANDING = "严峻|紧迫|逼人|好转|向好|不容乐观|错综复杂|复杂多变"
_STANDING_BEFORE = (
    "认清|研判|面临的|面对的|严峻的|防控|防汛|汛情|安全|国际国内|国内外|疫情|当前的|目前的"
)
_FORMS = (
    "主义|上|多样|多种|化|感|美|和内容|与内容|逻辑|要件|审查|简单|单一|新颖|灵活|丰富|创新|各异"
)
# 启事 is a notice (招聘启事, 寻人启事); 启示 is what one learns (深刻的启示).
_NOTICES = (
    "招聘|寻人|寻物|征稿|征文|招领|招生|招租|更正|迁址|搬迁|停业|开业|招募|征集|遗失|挂失"
    "|换届|招标|招商|补录|延期"
)
# 侦查 is what police and prosecutors do in a case; 侦察 is military reconnaissance.
_CASE = "立案|刑事|公安机关|公安局|警方|检察机关|检察院|犯罪|依法"
# 过度 is too much (过度开发, 过度包装); 过渡 is passing from one state to the next.
_TOO_MUCH = (
    "开发|消费|包装|劳累|疲劳|依赖|放牧|捕捞|采伐|砍伐|医疗|索取|商业化|娱乐化|透支|解读"
    "|营销|追求|饮酒|用眼|干预|肥胖|拥挤|兴奋|焦虑|装修|诊疗|检查|用药|治疗"
)
_PASSING = "期(?!待|望|盼|许)|阶段|时期|办法|方案"
_SMOOTHLY = "平稳|顺利|平滑|自然|有序"
# 恪守 a duty or a rule; 格 ends many words (严格守住, 风格守正).
_DUTIES = (
    "职责|本分|底线|纪律|规矩|承诺|诚信|信用|职业|规则|法律|宪法|契约|中立|初心|原则|准则"
    "|规定|制度|道德|职守"
)
_GE_WORDS = "严|风|人|资|规|合|价|品|性|及|表|体|定|骨|网|空|方"

# Everyday words of public notices whose slip is itself a word (the homophones of the
# commonest words of official prose that make another word: 途径/途经, 期间/其间,
# 开放/开方, 注意/主意……), each read by the words that make it the slip.
_WAYS_BEFORE = (
    "有效|主要|重要|解决|多种|多条|唯一|合法|正规|畅通|投诉|举报|申请|获取|报名|沟通|救济|参与|的"
)
_PASSING_THROUGH = "地|点|站|城市|景点|路段|区域|线路|国家|省份|[0-9０-９]|[一二三四五六七八九十]"
_SPANS = (
    "活动|节日|假日|假期|会议|展览|展会|疫情|汛|春节|国庆|暑假|寒假|演出|比赛|赛事|施工|维修"
    "|试运行|整改|培训|运营|营业|开放|节|周|月|举办|举行|召开"
)
_OPENING_BEFORE = "对外|免费|全面|景区|正常|恢复|暂停|延长|错时|夜间|限时|预约|分时|有序|场馆|扩大"
_OPENING_AFTER = "时间|日期|期间|区域|时段|共享|包容"
_MIND_AFTER = (
    "安全|防范|保暖|防暑|防寒|出行|饮食|卫生|防火|事项|以下|观察|休息|天气|交通|保管|财物|看管"
)
_OWNED = "随身|贵重|看管好|看管|丢失|遗失|公私|携带的"
# (到县委组织部报道: to an office, to report for duty.)
_REGISTERING_BEFORE = (
    "按时|准时|前来|到校|到岗|新生|入学|逾期|按期|持证|凭证"
    "|到[^，。；：！？、\n]{1,6}(?:部|局|处|办|科|室|校|院|所|站)"
)
_REGISTERING_AFTER = "时间|地点|手续|注册|日期"
_FEW = (
    "单位|景区|企业|地方|人|商户|经营|部门|问题|现象|情况|村|乡镇|游客|人员|场所|同志|学生"
    "|干部|地区|项目|店铺|门店"
)
_DEPLOYED_BEFORE = "工作|安排|统一|周密|精心|全面|作出|做出|决策|战略|重要|认真|按照|总体|具体|专项"
_PUBLISHED_BEFORE = "名单|结果|予以|进行|拟|张贴|网上|社会|公开|现予|特此"
_PUBLISHED_AFTER = "期|名单|结果|无异议|栏"
_STARTED_BEFORE = "正式|全面|项目|工作|活动|宣布|全市|同步|率先|即将|近日|日前"
_STARTED_AFTER = "仪式|会|实施|建设|程序|预案|应急|响应|机制"
_MOURNED = "先烈|英烈|烈士|亡灵|逝者|遇难|亲人|英灵|死难"
_METHOD_BEFORE = (
    "好|经验|有效|典型|创新|先进|成功|具体|这种|这一|错误|不当|通行|一贯|常见|有益|的|等"
)
_GOING_ON = "进行|推进|开展|实施|加紧|积极|组织|建设|施工|筹备|办理|审核|制定|修订|紧张|有序"
_STRANDED_BEFORE = "游客|旅客|人员|乘客|长期|非法|被困|大量|群众"
_DATED = "[0-9０-９]|[一二三四五六七八九十]|今年|去年|本月|上月|日前|近日|昨日|昨天|今天|同日|当日"
_AGENT_OF = "演出|艺人|演艺"

# Whole-word homophones of the commonest words of official prose, as a pinyin input
# method offers them (开展 → 开战, 重点 → 终点, 及时 → 机时, 健康 → 建康, 消费 → 小费):
# the wrong word is a word, so only the words around it tell.
_CARRIED_ON_AFTER = (
    "了|“|检查|专项|整治|活动|宣传|工作|送|文化|志愿|培训|调研|排查|执法|联合|巡查|督查"
    "|安全|非遗|主题|系列|研学|群众|文明|演出|公益|综合|线上|春季|夏季|秋季|冬季"
)
_CARRIED_ON_BEFORE = (
    "联合|积极|广泛|深入|全面|集中|先后|正在|持续|组织|认真|扎实|精心|共同|定期|大力|已|将"
    "|局|厅|中心|部门|单位|各地|各级|各单位|各景区"
)
_TOGETHER = (
    "参观|参与|出席|见证|开展|推进|打造|举办|签署|发布|探讨|研究|完成|主办|承办|组织|推动"
    "|维护|努力|建设|守护|观看"
)
_SPEAKERS = (
    "他|她|负责人|专家|评委|代表|主任|局长|书记|记者|工作人员|游客|市民|群众|村民|馆长"
    "|院长|队长|县长|市长|讲解员|传承人|主办方|有关人员"
)
_STEADY_BEFORE = "质量|运行|保持|总体|社会|基本|持续|大局|形势|安全|价格|就业|经济"
_STEADY_AFTER = "达标|运行|发展|增长|向好|有序|可靠|性"
_KEY_AFTER = (
    "文物|项目|工作|任务|领域|人群|区域|景区|企业|时段|部位|环节|行业|对象|单位|工程|课题"
    "|难点|场所|线路|关注|保护|检查|整治|推进|支持|打造|扶持|建设|突出"
)
_PROMPTLY_AFTER = (
    "反映|处置|处理|关闭|报告|上报|发布|更新|整改|跟进|回应|救治|疏导|提醒|告知|通报|发现"
    "|消除|排除|调整|制止|纠正|查处|解决|掌握|公布|公开|预警|启动|撤离|就医|报警|联系"
)
_PROMPTLY_BEFORE = "要|请|并|须|应|务必|确保|必须|需|能|做到|予以"
_NOTICE_AFTER = "如下|要求|精神|规定"
_NOTICE_BEFORE = "的|下发|印发|转发|发布|接到|收到|按照|根据|有关|紧急"
_HEALTH_BEFORE = "卫生|身心|身体|人民|群众|生命|绿色|全民|心理|职业|公共|营养"
_HEALTH_AFTER = "旅游|中国|城市|码|证|教育|管理|产业|生活|发展|服务|养老|素养|知识|体检"
_SPENDING_AFTER = (
    "券|景区|场景|市场|升级|需求|活动|季|环境|品质|维权|者|热点|潜力|模式|新业态|水平|能力"
    "|结构|习惯|体验|提质|复苏|回暖|增长|人次"
)
_CIVIL_BEFORE = "乡风|社会|精神|城市|生态|交通|旅游|创建|讲|和谐|物质|政治|古代|中华"
_CIVIL_AFTER = (
    "旅游|城市|创建|实践|单位|行为|出行|礼仪|素养|程度|交通|乡风|家庭|校园|村镇|新风|观赏"
)
_CENTRE_BEFORE = "为|活动|服务|文化|游客|市民|展示|指挥|调度|研究|信息|数据|管理|会展|培训"
_CITIC = "银行|集团|证券|建设|出版|国安|信托|实业|重工|股份|公司|资本|期货|金属|泰富"
_INSPECTED_AFTER = "中|时|发现|结果|情况|组|记录|表|清单|时间|工作|方案|标准|人员|通知"
_INSPECTED_BEFORE = (
    "对|在|安全|卫生|消防|质量|专项|日常|定期|例行|联合|进行|开展|接受|组织|督导|抽样|全面"
    "|明察暗访|交叉|执法|现场|随机|突击|体质|健康|身体"
)
_PROSECUTION = "院|机关|官|长|委员|监督|建议|权|工作|系统|干警|人员|公益诉讼|机构"
_JOINTLY_AFTER = (
    "编制|印发|发布|开展|举办|主办|执法|检查|下发|发文|推出|组织|调研|出台|制定|召开|检查组"
)
_JOINTLY_BEFORE = "局|部门|单位|中心|厅|委|部|办"

SLIPS: dict[str, Rule] = {
    "在次": slip("在次", "再次", "再一次", after=_AGAIN),
    "已便": slip("已便", "以便", "以便做某事", after=_SO_THAT),
    "已上": slip("已上", "以上", "数量以上", after=_COUNT_OF, needs_before=_COUNTED),
    "已下": slip("已下", "以下", "数量以下", after=_COUNT_OF, needs_before=_COUNTED),
    "不在": slip("不在", "不再", "不再做某事", after=_NO_MORE, unless_in_clause=_WITHIN),
    "不门": slip("不门", "部门", "有关部门", before=_DEPARTMENTS),
    "做用": slip("做用", "作用", "发挥作用", before=_ROLES),
    "按全": slip("按全", "安全", "安全生产、安全意识", after=_SAFETY),
    "却保": slip("却保", "确保", "确保安全", before=_ENSURING_BEFORE, not_after=_KEPT),
    "力渡": slip("力渡", "力度", "加大力度", before=_MEASURES, not_after=_CROSSED),
    "落石": slip("落石", "落实", "抓好落实", before=_CARRIED_OUT),
    "竖立": slip("竖立", "树立", "树立观念、榜样", after=_IDEAS, before="牢固|牢牢", reach=2),
    "查出": slip("查出", "查处", "依法查处违法违规行为", before=_PUNISHING),
    "扼制": slip("扼制", "遏制", "遏制势头、事故", after=_TRENDS, reach=6),
    "融和": slip("融和", "融合", "融合发展", after=_MERGED_AFTER, before=_MERGED_BEFORE),
    "领到": slip("领到", "领导", "加强领导", before=_LEADERSHIP, not_after=_RECEIVED),
    "制渡": slip("制渡", "制度", "工作制度", before=_RULES_OF),
    # 已有 a count (全市已有12家); 以有 is the preposition 以 before 有 (所以有, 可以有).
    "形式": slip(
        "形式",
        "形势",
        "形势严峻、认清形势",
        after=_STANDING,
        before=_STANDING_BEFORE,
        not_after=_FORMS,
        reach=4,
    ),
    # 形式 is a form (采取多种形式, 形式多样); 形势 is how things stand.
    "形势": slip(
        "形势",
        "形式",
        "采取多种形式、形式多样",
        after="多样|新颖|灵活多样|丰富多彩|多种多样",
        before="多种|多样化的|灵活多样的|丰富多彩的|采取|采用",
    ),
    # (招聘工作人员启事: the people sought stand between)
    "启示": slip("启示", "启事", "招聘启事、寻人启事", before=_NOTICES + "|人员|员工|教师|志愿者"),
    "侦察": slip("侦察", "侦查", "刑事案件的侦查", before=_CASE, after="终结|羁押|机关"),
    "过渡": slip("过渡", "过度", "过度开发、过度包装", after=_TOO_MUCH),
    "过度": slip("过度", "过渡", "过渡期、平稳过渡", after=_PASSING, before=_SMOOTHLY),
    # 激动得不能自已 (cannot control oneself); 不能自己决定 is right.
    "不能自己": slip("不能自己", "不能自已", "激动得不能自已", after="[，。；！？”）\n]"),
    "格守": slip("格守", "恪守", "恪守职责", after=_DUTIES, reach=4, not_before=_GE_WORDS),
    "途经": slip(
        "途经",
        "途径",
        "解决问题的途径",
        before=_WAYS_BEFORE,
        after="之一",
        not_after=_PASSING_THROUGH,
    ),
    "其间": slip("其间", "期间", "活动期间", before=_SPANS),
    "开方": slip("开方", "开放", "开放时间", before=_OPENING_BEFORE, after=_OPENING_AFTER),
    "主意": slip(
        "主意",
        "注意",
        "注意安全",
        before="请|敬请|务必|特别|格外|提醒",
        after=_MIND_AFTER,
        not_before="拿|出|打|好|改|的|馊|鬼|没",
    ),
    "财务": slip("财务", "财物", "随身财物", before=_OWNED),
    "报道": slip("报道", "报到", "按时报到", before=_REGISTERING_BEFORE, after=_REGISTERING_AFTER),
    "各别": slip("各别", "个别", "个别单位", after=_FEW),
    "部属": slip("部属", "部署", "工作部署", before=_DEPLOYED_BEFORE),
    "公式": slip("公式", "公示", "结果公示", before=_PUBLISHED_BEFORE, after=_PUBLISHED_AFTER),
    "起动": slip("起动", "启动", "启动仪式", before=_STARTED_BEFORE, after=_STARTED_AFTER),
    "祭典": slip("祭典", "祭奠", "祭奠英烈", after=_MOURNED),
    "作法": slip("作法", "做法", "经验做法", before=_METHOD_BEFORE, not_after="自毙"),
    "正再": slip("正再", "正在", "正在进行", after=_GOING_ON, not_before="真|公|纠|端|修|改|校|更"),
    "置留": slip("置留", "滞留", "游客滞留", before=_STRANDED_BEFORE),
    "以于": slip("以于", "已于", "已于某日", after=_DATED, not_before=_PREPOSITION_YI),
    "经济": slip(
        "经济",
        "经纪",
        "演出经纪机构",
        after="机构|人员|人|公司|业务|资格|许可证",
        needs_before=_AGENT_OF,
    ),
    "开战": slip("开战", "开展", "开展活动", after=_CARRIED_ON_AFTER, before=_CARRIED_ON_BEFORE),
    "共通": slip("共通", "共同", "共同参与", after=_TOGETHER),
    "标示": slip("标示", "表示", "负责人表示", after="[，：]", needs_before=_SPEAKERS),
    "文定": slip("文定", "稳定", "保持稳定", before=_STEADY_BEFORE, after=_STEADY_AFTER),
    "终点": slip("终点", "重点", "重点文物、重点工作", after=_KEY_AFTER),
    "中点": slip("中点", "重点", "重点文物、重点工作", after=_KEY_AFTER),
    "机时": slip("机时", "及时", "及时处置", after=_PROMPTLY_AFTER, before=_PROMPTLY_BEFORE),
    "同知": slip("同知", "通知", "有关工作的通知", after=_NOTICE_AFTER, before=_NOTICE_BEFORE),
    "建康": slip("建康", "健康", "身心健康", before=_HEALTH_BEFORE, after=_HEALTH_AFTER),
    "小费": slip("小费", "消费", "文旅消费", after=_SPENDING_AFTER, not_after="标准|服务"),
    "问明": slip("问明", "文明", "文明旅游", before=_CIVIL_BEFORE, after=_CIVIL_AFTER),
    "中信": slip("中信", "中心", "以人民为中心", before=_CENTRE_BEFORE, not_after=_CITIC),
    "检察": slip(
        "检察",
        "检查",
        "安全检查",
        after=_INSPECTED_AFTER,
        before=_INSPECTED_BEFORE,
        not_after=_PROSECUTION,
    ),
    "连合": slip("连合", "联合", "联合开展", after=_JOINTLY_AFTER, before=_JOINTLY_BEFORE),
    "以有": slip("以有", "已有", "已经有", after=_A_COUNT, not_before=_PREPOSITION_YI),
}

# 既可……也可 is a pair; 既可 with no 也, 又, 还 or 亦 later in its sentence is 即可
# (填写后既可提交).
_PAIRED = re.compile("也|又|还|亦|同时|更")
_SENTENCE_END = re.compile("[。；！？\n]")


def _jike(text: str, start: int, end: int) -> Finding | None:
    stop = _SENTENCE_END.search(text, end, end + 80)
    hi = stop.start() if stop else min(len(text), end + 80)
    if _PAIRED.search(text, end, hi):
        return None
    return new_finding(
        "confusable", WARN, start, end, "既可", "即可",
        "疑似错别字：既可 → 即可（“既可”须与“也”“又”等呼应；表示“就可以”用“即可”）",
        "confusable:既可+语境",
    )  # fmt: skip


SLIPS["既可"] = _jike

# -- 个 for 各 -----------------------------------------------------------------------------
# "个单位要高度重视", "请个部门认真落实": 个 is a measure word and needs a number or a
# demonstrative before it (三个单位, 这个部门, 整个景区); where a clause starts, or after a
# word that asks or tells (请, 要求, 由, 全市), the word meant is 各.
_EACH_OF = (
    "单位|部门|乡镇|景区|县区|区县|县（市、区）|县(市、区)|地区|街道|社区|村|学校|企业|场馆"
    "|旅行社|成员单位|处室|科室|环节|方面|级|类|有关|相关|地(?!方|点|块|址|段|图|标|上|下)"
    "|市直|县直|区直|镇|乡|部委|省|市|县|区"
)
_EACH = re.compile(f"(?:{_EACH_OF})")
# The anchors: no one the start of another (个县 holds 个县区 and 个县（市、区）).
_EACH_WORDS = (
    "单位", "部门", "乡镇", "景区", "县", "区", "市", "街道", "社区", "村", "学校", "企业",
    "场馆", "旅行社", "成员单位", "处室", "科室", "环节", "方面", "级", "类", "有关", "相关",
    "地", "镇", "部委", "省",
)  # fmt: skip
_EACH_BEFORE = re.compile(
    "(?:^|[，。；：、\n（“]|请|要求|督促|通知|组织|由|对|向|与|和|及|并|全市|全县|全省|全区|全国"
    "|本市|我市|我县|我区|我省|指导|协调|会同|动员)$"
)


def _each(text: str, start: int, end: int) -> Finding | None:
    end = start + 1  # the anchor holds the first word of what follows: the finding is 个
    if _EACH.match(text, end) is None:
        return None
    lo = start - 4 if start > 4 else 0
    if not _EACH_BEFORE.search(text[lo:start]):
        return None
    return _meant(start, end, "个", "各", "“个”前须有数词或指示词；指每一个用“各”", "个+语境")


# -- 再 for 在 -----------------------------------------------------------------------------
# "再活动期间，……", "再全市范围内，……": a clause that starts with a phrase of time or place
# ending in 期间, 范围内, 基础上, 过程中 takes 在; 再 starts it only as "again" (再次, 再在,
# 再一次), which these endings do not follow. The anchors are the endings with their comma.
_SPAN_ENDINGS = ("期间，", "范围内，", "基础上，", "过程中，", "活动中，", "工作中，", "此，")
_CLAUSE_MARKS = re.compile("[，。；：！？、\n（）]")


def _zai(text: str, start: int, end: int) -> Finding | None:
    lo = start - 20 if start > 20 else 0
    if text.find("再", lo, start) == -1:
        return None  # the common case, settled in C: no 再 within reach
    head = lo
    for m in _CLAUSE_MARKS.finditer(text, lo, start):
        head = m.end()
    if head == lo and lo:
        return None  # no clause start within reach
    if not text.startswith("再", head) or text.startswith(("再在", "再次", "再一"), head):
        return None
    if text.startswith("再此基础上", head):
        return None  # a listed miswriting, reported whole
    return new_finding(
        "confusable", WARN, head, head + 1, "再", "在",
        "疑似错别字：再 → 在（表示时间、处所、范围用“在”）", "confusable:再+语境",
    )  # fmt: skip


# -- 的 after a quality, before the thing it qualifies --------------------------------------
QUALITIES = (
    "美丽", "优美", "丰富", "良好", "独特", "浓厚", "深厚", "悠久", "灿烂", "优秀", "宝贵",
    "优良", "秀丽", "壮丽", "壮美", "迷人", "优质", "便捷", "舒适", "温馨", "和谐", "浓郁",
    "深远", "广阔", "巨大", "显著", "积极", "重要", "丰硕", "精彩", "难忘", "崭新", "坚实",
    "丰富多彩", "多姿多彩",
    "热烈", "深刻", "严格", "亲切", "有效", "强烈", "有力", "明显", "诚挚", "真诚", "密切",
    "坚定", "务实", "热情",
)  # fmt: skip
# Nouns whose first character makes no word with 地 before it (not 方, 区, 位, 理, 域, 标,
# 质, 貌, 下, 点, 面, 址, 图, 段, 带, 块, 铁, 产, 税, 市, 形, 震, 平, 道, 球).
_THINGS = (
    "风景|景色|景观|环境|氛围|文化|资源|历史|传统|作用|意义|基础|条件|成绩|成效|效果|口碑"
    "|风光|风貌|品质|形象|社会|精神|品格|作风|局面|前景|机遇|印象|回忆|节日|心愿|愿望|生态"
    "|营商|成就|贡献|经验|做法|成果|收获|人文|底蕴|内涵|特色|魅力"
    # (变化着, 标准化, 关怀每一位: a verb; 掌声, 措施: a thing.)
    "|掌声|变化(?!着|了)|标准(?!化)|措施|举措|办法|手段|态度|方式|步伐|决心|信心|笑容|纪律"
    "|制度|气氛|场面|反响|关怀(?=[，。；！？])|讨论(?=[，。；！？])"
)
_THING = re.compile(f"(?:{_THINGS})")


def _quality(quality: str) -> Rule:
    message = f"“的”“地”误用：{quality}地 → {quality}的（定语后用“的”）"

    def judge_quality(text: str, start: int, end: int) -> Finding | None:
        if _THING.match(text, end) is None:
            return None
        return new_finding(
            "confusable", WARN, start, end, quality + "地", quality + "的", message,
            "confusable:地+定语",
        )  # fmt: skip

    return judge_quality


# -- 以 for 已 before a completed state ---------------------------------------------------
# "各项准备工作以就绪。", "改造工程以完成，": a state reached at the end of its clause is
# 已 (already); 以 before these verbs starts a purpose or a means, which goes on
# (以完成任务为目标, 以开放促发展).
_DONE = (
    "完成", "就绪", "结束", "竣工", "完工", "建成", "到位", "启动", "开放", "恢复", "上线",
    "办结", "落实", "开通", "开工", "闭馆", "售罄", "满员", "截止",
)  # fmt: skip
_CLAUSE_ENDS = re.compile("[，。；！？、）\n]|了")
# 工程以全面完工: an adverb of how far between 以 and the verb.
_DONE_ADVERBS = ("全面", "全部", "基本", "顺利", "圆满", "如期", "按期")


# 目前该项目以完成主体施工: with a subject that says what stands done, 以 before the verb
# and its object is 已 too, unless the clause goes on to what it is for (以完成……为目标).
_DONE_SUBJECT = re.compile("(?:目前|现|均|都|全部|基本|项目|工程|工作)[^，。；：！？、\n]{0,3}$")
_DONE_FOR = re.compile("为|来|作为|的目标")


def _yi_done(text: str, start: int, end: int) -> Finding | None:
    if not _CLAUSE_ENDS.match(text, end):
        if not _DONE_SUBJECT.search(text, max(0, start - 8), start):
            return None
        stop = _STOPS.search(text, end)
        if _DONE_FOR.search(text, end, stop.start() if stop is not None else len(text)):
            return None
    if start and text[start - 1] in "可所得足难加予用并借赖据是":
        return None  # 可以完成, 所以结束: 以 is part of a word
    done = text[start + 1 : end]
    return new_finding(
        "confusable", WARN, start, end, "以" + done, "已" + done,
        f"疑似错别字：以{done} → 已{done}（表示已经完成用“已”）", "confusable:以+完成",
    )  # fmt: skip


# -- 发挥 and 发扬 by their object ----------------------------------------------------------
# 发挥 a role, a strength (发挥作用, 发挥积极性); 发扬 a tradition, a style of work (发扬优良
# 传统, 发扬作风). Read by the noun that ends the verb's object, up to the end of its
# clause or the next of the two verbs: 发挥传统优势, 发挥传统和区位优势 and 发挥传统村落
# 的作用 are right, 发挥优良传统 and 发扬带头作用 are not.
_OBJECT_ENDS = re.compile("[，。；：！？、\n]|发挥|发扬")
_CAPACITIES = "作用|效能|效益|潜力|潜能|功能|特长|才能|才干|积极性|主动性|创造性|能动性|职能|余热"
_TRADITIONS = "传统|作风|美德|风尚"
_OBJECT_OF = {
    "发扬": (re.compile(f"(?:{_CAPACITIES})$"), "发挥", "发挥作用、积极性"),
    "发挥": (re.compile(f"(?:{_TRADITIONS})$"), "发扬", "发扬传统、作风"),
}
_OBJECT_REACH = 16


def _object_verb(text: str, start: int, end: int) -> Finding | None:
    verb = text[start:end]
    noun, right, why = _OBJECT_OF[verb]
    stop = _OBJECT_ENDS.search(text, end, end + _OBJECT_REACH + 1)
    if stop is not None:
        object_end = stop.start()
    elif len(text) <= end + _OBJECT_REACH:
        object_end = len(text)
    else:
        return None  # the object runs on beyond reach: not read
    if noun.search(text, end, object_end) is None:
        return None  # its object ends in another noun
    return new_finding(
        "confusable", WARN, start, end, verb, right,
        f"疑似错别字：{verb} → {right}（{why}）", f"confusable:{verb}+宾语",
    )  # fmt: skip


# -- a real word typed for another of the same sound (2026.12.17) --------------------------
# A pinyin input method offers both words for one spelling (huiyi: 会议 and 回忆; ziyuan:
# 资源 and 自愿); the one picked is a word, so no list of slips holds it. The words around
# it tell which was meant: 召开回忆, 旅游自愿, 特此同志, 24消失. Each rule reads only
# neighbours the other word never has in official prose, and leaves its own uses alone
# (美好回忆, 自愿报名, 张三同志, 消失的村落).
_MET = (
    "召开|举行|出席|参加|主持|列席|传达|本次|此次|这次|上次|专题|常务|视频|电话|党组|全体|联席"
    "|工作|推进|调度|部署|动员|表彰"
)
_SOURCES = (
    "旅游|文化|文旅|人力|自然|水|森林|生态|矿产|土地|红色|非遗|文物|教育|信息|数据|人才"
    "|历史|山水|温泉|海洋|冰雪|农业|乡村|景观|客源|档案|图书"
)
_ADDRESSED = (
    "活动|联系|通讯|通信|报名|举办|详细|办公|邮寄|收件|注册|网站|网页|报到|比赛|居住|会议"
    "|展览|演出|单位|培训|考试"
)
_MODAL = "要|应|应当|须|必须|务必|请|并|将|需|需要|予以|做到|确保|能够|均|都|已|可|未|不"
_PROMPT = (
    "处理|处置|上报|报告|整改|发布|更新|报送|反馈|回应|解决|掌握|跟进|通报|调整|救治|疏导"
    "|清理|修复|制止|排除|消除|化解|告知|公开|关注"
)
_PARKS = (
    "森林|湿地|主题|遗址|城市|郊野|地质|口袋|体育|文化|生态|海洋|矿山|农业|植物|动物|儿童"
    "|滨江|滨河|滨湖|国家|考古|社区|街心|沙滩"
)
_ACCEPTED = "不予|予以|窗口|网上|统一|负责|集中|依法|即时|当场|审查|并|受理|及时|投诉|已"
_REGISTERED = "实名|报名|预约|现场|逐一|如实|入住|游客|来访|信息采集|统一|扫码|服务台|进行"
_SAME_SOUND: dict[str, Rule] = {
    "回忆": slip(
        "回忆", "会议", "召开会议、会议精神", before=_MET,
        after="精神|纪要|室|议程|强调|审议|通知|主持人|要求|传达|听取", not_after="录",
    ),
    "同志": slip("同志", "通知", "特此通知、通知如下", before="特此|紧急|下发|印发|转发|另行",
               after="如下"),
    "自愿": slip(
        "自愿", "资源", "旅游资源、资源优势", before=_SOURCES,
        after="优势|丰富|禀赋|整合|配置|普查|富集|要素|转化|共享平台",
        not_after="者|服务|参加|参与|报名|原则|加入|捐|的原则|申请|签订",
    ),
    "神情": slip(
        "神情", "申请", "提出申请、申请表", before="提出|提交|递交|网上|在线|书面|予以|自愿|依",
        after="表|书|人|材料|条件|程序|流程|截止|入口|资格",
        not_after="表明|表演|表现|表露|表达|表情|表示",
    ),
    "借贷": slip("借贷", "接待", "接待游客", before="热情|负责|做好|外宾|游客|团队",
               after="游客|人次|大厅|来宾|嘉宾|外宾|参观|任务"),
    "民俗": slip(
        "民俗", "民宿", "入住民宿、民宿客栈", before="入住|开办|预订|预定|经营",
        after="客栈|酒店|入住|床位|房间|住宿|经营户|经营者|业主|老板|房源|主人|管家|预订|集聚区",
        not_after="文化|活动|风情|表演|节|村|博物|旅游|展",
    ),
    "地质": slip("地质", "地址", "活动地址、联系地址", before=_ADDRESSED,
               not_after="公园|遗迹|灾害|勘"),
    "连接": slip(
        "连接", "链接", "点击链接、报名链接",
        before="点击|报名|下载|网页|网址|网站|购票|预约|直播|问卷|原文|附件|下方|上方|以下|如下"
        "|短信|分享",
        after="进入|查看|报名|填写|下载|访问|预约|购票|观看",
        not_after="方式|线|道|器|处|点|口",
    ),
    # 即日志年底, 5月1日志7日; not 5日志愿者.
    "日志": slip("日志", "日至", "某日至某日、即日至某日",
               after="[0-9]|[一二三四五六七八九十]|次日|本月|下月|年底|月底|年末|月末",
               needs_before="[0-9]|[一二三四五六七八九十]|即|今"),
    "预期": slip(
        "预期", "逾期", "逾期未报、逾期不予受理",
        after="未(?!来|能|达|实现)|不予|视为|不再受理|作废|不交|不缴|不报|未缴|罚款|滞纳|缴纳的",
    ),
    "事实": slip(
        "事实", "实施", "实施方案、组织实施",
        before="组织|贯彻|推进|正式|分步|负责|予以|开始|同步|牵头|起|并",
        after="方案|细则|办法|步骤|计划|进度|期限|意见",
        not_after="上|证明|清楚|真相|依据|表明|胜于|认定|的|和|与|为|是|就是|求是",
    ),
    # 2个小时; not 一个消失的村落.
    "消失": slip("消失", "小时", "24小时", before="[0-9]|[0-9]+个|[两几二三四五六七八九十]个",
               not_after="的|了|在|于|殆尽|不见|无踪|得"),
    "一件": slip("一件", "意见", "征求意见、指导意见",
               before="征求|听取|反馈|指导|实施|书面|论证|各界|修改",
               after="稿(?!件)|箱(?!子|包)", not_after="事|作品|文物|展品|藏品|珍品|案|衣|礼物"),
    "师范": slip(
        "师范", "示范", "示范区、示范作用",
        after="区|点|单位|项目|县|村|街区|户|基地|工程|作用|引领|带动|带头|园区|片区|企业|景区|城市",
        not_after="区域",
    ),
    "即使": slip("即使", "及时", "及时处理、及时上报", after=_PROMPT, needs_before=_MODAL),
    "升级": slip(
        "升级", "省级", "省级文物保护单位",
        after="文物保护单位|文保单位|非物质文化遗产代表性|历史文化名|重点文物|风景名胜区|非遗代表性"
        "|旅游度假区|全域旅游示范|财政|文化和旅游厅|文旅厅|人民政府",
    ),
    "政治": slip("政治", "整治", "专项整治、排查整治",
               before="专项|排查|整改|清理|乱象|隐患|联合执法|集中排查|限期|停业|环境|综合",
               not_after="学|家|素质|理论|学习|站位|生态|建设|文化|思想|经济|体制|局|面貌|纪律|责任"),
    "知道": slip("知道", "指导", "业务指导、指导单位", before="业务|技术|加强|悉心|政策|专业|关心",
               after="单位|意见|手册|中心|性|站|目录|价", not_after="价格"),
    "公元": slip("公元", "公园", "森林公园、湿地公园", before=_PARKS + "|人民|中山|市民",
               after="管理处|管理局|门口|大门|广场",
               not_after="前|后|[0-9〇]|[一二三四五六七八九十〇]+(?:年|世纪|千|百)|纪年|年|世纪"),
    "手里": slip("手里", "受理", "不予受理、受理窗口", before=_ACCEPTED,
               after="窗口|范围|条件|部门|机构|地点|期限|通知书|回执|电话"),
    "同胞": slip("同胞", "通报", "通报批评、予以通报",
               before="予以|情况|点名|及时|定期|公开|全市通报|全省通报",
               after="批评|表扬|如下|了一批|了全市|了典型"),
    "等级": slip("等级", "登记", "实名登记、登记表", before=_REGISTERED,
               after="册|手续",
               not_after="评定|划分|评估|保护|认定|考试|证书|评价|标准|制度|管理|表"),
    "资讯": slip("资讯", "咨询", "咨询电话", before="欢迎|如需|前来|来电",
               after="电话|热线"),
    "引发": slip("引发", "印发", "印发给你们", before="现|关于",
               after="给你们|给各|你们|《|之日|了《|的文件|的通知"),
    "指挥": slip("指挥", "智慧", "智慧旅游、智慧景区",
               after="旅游|景区|文旅|博物馆|图书馆|停车|社区|导览|城市"),
    "名城": slip("名城", "名称", "单位名称",
               before="单位|企业|项目|活动|机构|产品|文件|账号|公众号|节目|作品|栏目|组织|商标|店铺"),
    "平定": slip("平定", "评定", "等级评定", before="等级|质量|星级|职称|考核|综合|评审",
               after="结果|委员会"),
    "上线": slip("上线", "上限", "人数上限",
               before="人数|金额|最高|数量|名额|总量|容量|承载量|额度|达到|已达|设有",
               not_after="当天|首日|以来|后|即|了"),
    "异议": slip("异议", "意义", "重要意义",
               before="重要|深远|现实|历史|特殊|积极|教育|纪念|深刻|时代|里程碑|非凡的|重要的"
               "|深远的|特殊的|现实的|深刻的"),
    "食品": slip("食品", "视频", "视频会议", before="短", after="会议|号|连线|通话"),
    "再现": slip("再现", "在线", "在线报名、在线预约", before="请|支持",
               after="报名|预约|咨询|申请|办理|直播|购票|投票|答题|观看|填报|问卷|平台|客服"),
    "出发": slip("出发", "处罚", "行政处罚",
               before="行政|依法|从重|从轻|予以|给予|免予|不予|作出|做出|严肃|受到",
               after="决定|金额", not_after="前|时间|时|地|点|后"),
    "之日期": slip("之日期", "之日起", "自发布之日起施行",
                after="施行|实施|生效|执行|废止|计算|，"),
    "法制": slip("法制", "法治", "法治政府、法治思维",
               after="政府|中国|社会|国家|思维|方式|化营商|、德治"),
    "权宜": slip("权宜", "权益", "合法权益",
               before="合法|消费者|游客|群众|职工|劳动者|旅游者|妇女|儿童|老年人|正当",
               not_after="之"),
    "闭目": slip("闭目", "闭幕", "闭幕式", before="圆满|胜利|顺利|隆重",
               after="式|仪式|晚会|大会"),
    "保户": slip("保户", "保护", "文物保护、生态保护",
               before="文物|生态|环境|遗产|非遗|知识产权|传承|古籍|传统村落|历史建筑|加强|依法|重点",
               after="单位|工作|措施|利用|传承|意识|范围|规划|区"),
    "文武": slip("文武", "文物", "文物保护", before="出土|馆藏|珍贵|可移动|不可移动|倒卖|盗掘|走私",
               after="保护|单位|部门|局|古迹|普查|修缮|安全|藏品|考古|遗址|展"),
    "遗志": slip("遗志", "遗址", "考古遗址", before="考古|古|文化|村落|城址|窑|革命|工业|古城|墓葬",
               after="公园|保护|博物馆|发掘|区|展示"),
    "降解": slip("降解", "讲解", "讲解服务、讲解员",
               before="免费|志愿|语音|专业|现场|导游|人工|详细|党史|耐心", after="员|词|服务"),
    "应激": slip("应激", "应急", "应急预案、应急处置",
               after="预案|处置|演练|响应|救援|值守|值班|指挥|物资|广播|避难"),
    "次序": slip("次序", "秩序", "市场秩序", before="市场|社会|公共|经营|治安|良好|旅游"),
    "智能": slip("智能", "职能", "职能部门", before="转变政府|政府|部门|监管|履行",
               after="部门|职责|作用|转变", not_after="化|设备|系统|终端|平台|服务|应用|手段"),
    # 旅游时常见 (when travelling): only with a word of a market after it as well.
    "时常": slip("时常", "市场", "旅游市场", needs_before="旅游|文旅|演出|客源|入境|县|规范",
               after="秩序|主体|监管|需求|规模|营销|推广|准入|整治"),
    "水瓶": slip("水瓶", "水平", "服务水平",
               before="服务|管理|发展|技术|专业|业务|接待|保障|治理|艺术|演出|创作|学术|平均|收入|最高"),
    "回报": slip("回报", "汇报", "工作汇报", before="工作|情况|专题|进展|述职",
               after="会|材料|提纲"),
    "电化": slip("电化", "电话", "联系电话、咨询电话",
               before="联系|咨询|举报|投诉|服务|办公|值班|预约|报名|固定", after="会议|联系",
               not_after="教育|教学"),
}  # fmt: skip


# -- A word for another word: the pairs of official prose ---------------------------------
# Both forms are words, so neither list can hold them: 考查 a pupil and 考察 a place, 树立
# an idea and 竖立 a sign, 实行 a policy and a law 施行 from its date. Each is read by the
# words that make one of them the slip (赴外地考查, 树立……警示标牌, 自……起实行。) and
# never where they make it right (考查学生, 树立信心, 实行垃圾分类). Sources: the senses
# of 《现代汉语词典》（第7版）, the 《咬文嚼字》 lists of words most often confused, the
# conventions of legislation (施行, 制定 a law or a regulation) and the 民法典 (定金 is
# the deposit returned twofold, article 587).
_AWAY_TO = "(?:赴|前往|到)[^，。；：！？、\n]{1,6}|到外地|外出|实地|专程|组团|带队"
_SIGNS = (
    "标牌|警示牌|指示牌|提示牌|宣传牌|告示牌|标识牌|标志牌|路牌|广告牌|牌子|界碑|界桩|石碑"
    "|纪念碑|雕像|塑像|旗杆|灯杆|护栏|隔离栏|围挡"
)
_RIGHTS_OF = (
    "受教育|教育|知情|选举|被选举|隐私|休息|劳动|表达|参与|申诉|控告|继承|财产|人身"
    "|平等|合法|基本|民主|正当|应有|享有"
)
_BRINGS_ABOUT = "发生|造成|出现|引发|酿成|导致|使|延误|影响了|失去|错过|无法|未能|损失"
_CEREMONIES = (
    "开班|开幕|闭幕|揭牌|签约|授牌|颁奖|升旗|开工|奠基|剪彩|入学|成人|结业|毕业|授旗|颁证"
    "|入队|入团|宣誓|交接|开营|闭营|开学|启动|公祭|祭祀|欢迎|捐赠|授勋"
)
_WORN = (
    "口罩|头盔|安全帽|党徽|团徽|胸牌|胸卡|工作证|袖标|袖章|证件|徽章|红领巾|工牌|绶带|奖章|勋章"
    "|标识|手环|救生衣"
)
_MEANT: dict[str, Rule] = {
    "考查": slip("考查", "考察", "实地考察、考察学习", before=_AWAY_TO,
               after="学习|调研|交流|团|经验|组|访问", not_after="学生|学习情况|学习成绩"),
    "树立": slip("树立", "竖立", "竖立标牌、石碑", after=_SIGNS, reach=10),
    "订金": slip("订金", "定金", "定金罚则：双倍返还", after="双倍|两倍", reach=30,
               stops="。；！？\n"),
    # 本办法自2026年3月1日起施行: a law, a regulation or a rule comes into force.
    "实行": slip("实行", "施行", "自某日起施行", after="[，。；]|$", needs_before="起"),
    "申明": slip("申明", "声明", "发布声明", before="发布|发表|发出|刊登|刊发|出具|一则|一份"),
    "启用": slip("启用", "起用", "起用干部、人才", before="大胆|敢于|提拔|选拔|破格|不拘一格",
               after="干部|人才|新人|贤能|能人", reach=8),
    "意义": slip("意义", "异议", "如有异议", before="如有|若有|如对[^，。；]{0,8}有|提出",
               not_after="的|地|重大|深远|重要|非凡"),
    "以至": slip("以至", "以致", "以致造成后果", after=_BRINGS_ABOUT, not_after="于"),
    "制订": slip("制订", "制定", "制定法律、法规、条例", after="条例|法律|法规|规章|法》",
               reach=20, unless_in_clause="细则|实施办法|方案|计划|规划"),
    "实时": slip(
        "实时", "实施", "实施方案、组织实施",
        before="组织|贯彻|推进|分步|负责|牵头|全面|有效|具体|认真|抓好|抓紧|加快|正式|严格|依法",
        after="方案|细则|办法|意见|步骤|计划|主体|范围|进度",
        not_after="监测|监控|更新|发布|查询|播报|数据|路况|动态|在线|传输|显示|预警|跟踪|掌握"
        "|调度|同步|共享|推送|定位|直播|视频|画面|客流|监管|预约|查看|对接|反馈|互动",
    ),
    "经历": slip("经历", "精力", "时间和精力、集中精力",
               before="时间和|时间与|时间、|人力、|集中|充沛的|充沛|分散|牵扯|耗费",
               after="充沛|旺盛", not_after="了|过|着"),
    "气愤": slip(
        "气愤", "气氛", "节日气氛",
        before="节日|节庆|喜庆|文化|学习|活动|热烈的|热烈|浓厚的|浓郁的|欢乐的|欢乐|祥和的|紧张的"
        "|营造|营造了|和谐的|良好的|过年|年味|春节",
        after="浓厚|浓郁|热烈|日益浓厚|更加浓厚|融洽|轻松|活跃|温馨",
    ),
    "异见": slip("异见", "意见", "征求意见",
               before="征求|听取|收集|各界|书面|反馈|指导|修改|处理|采纳", after="稿|箱|建议"),
    "心里": slip("心里", "心理", "心理健康",
               after="健康|咨询|辅导|疏导|干预|危机|素质|测评|援助|教育|障碍|疾病|防线|调适|评估|热线"),
    "个位": slip(
        "个位", "各位", "各位市民",
        after="市民|游客|家长|领导|来宾|同志|朋友|代表|嘉宾|同学|老师|考生|居民|村民|委员|专家"
        "|观众|读者|网友|用户|旅客|乘客|业主|党员|干部|职工|员工|选手",
    ),
    "闻名": slip("闻名", "文明", "全国文明城市",
               after="城市|单位|村镇|家庭|校园|社区|实践|新风|礼仪|乡风",
               needs_before="全国|创建|争创|省级|市级|县级|全省|全市|创"),
    "著名": slip("著名", "注明", "注明联系电话",
               after="联系|电话|姓名|地址|日期|出处|用途|理由|手机|身份证|编号|“"),
    "病例": slip("病例", "病历", "病历本、病历资料",
               after="本|资料|首页|书写|档案|夹|复印", before="携带|复印|打印|查阅|电子|调阅|封存",
               not_after="本身|本地|本市|本省|本周|本月|本年"),
    "防止": slip(
        "防止", "防治", "疾病防治",
        after="知识|工作|宣传|中心|站|所|措施|体系|机制|技术|指南|条例|规划|办公室|法|[，。、；]",
        needs_before="病|症|艾滋|结核|近视|肥胖|龋齿|疫|污染|荒漠化|水土流失|地质灾害|血吸虫|肿瘤|癌",
    ),
    "人物": slip("人物", "任务", "完成目标任务", before="目标|全年|年度|各项|攻坚|既定",
               needs_before="(?:完成|下达|落实|分解|超额)[^，。；：！？\n]{0,6}"),
    "意识": slip("意识", "仪式", "开幕仪式", before=_CEREMONIES),
    "阴私": slip("阴私", "隐私", "保护隐私",
               before="保护|患者|个人|泄露|侵犯|尊重|涉及|公民|他人|用户|游客|学生|儿童",
               after="权|信息|数据|保护|安全"),
    "依归": slip("依归", "依规", "依法依规", before="依法|依纪|依法、",
               after="处理|办理|处置|查处|问责|追责|管理|开展|进行|履职"),
    "分辩": slip("分辩", "分辨", "分辨真伪",
               after="真伪|真假|是非|谣言|网络|能力|好坏|方向|颜色|清楚"),
    "辨证": slip("辨证", "辩证", "辩证看待、辩证统一",
               after="的|地|法|统一|关系|唯物|看待|分析|思考|认识|观点|眼光|方法",
               not_before="中医|中西医|中药"),
    "配戴": slip("配戴", "佩戴", "佩戴口罩、头盔", after=_WORN, reach=4),
    "勾通": slip(
        "勾通", "沟通", "沟通协调",
        before="加强|家校|及时|有效|积极|良好|充分|密切|保持|双向|医患|主动|耐心|深入|协调",
        after="协调|交流|机制|联系|渠道|衔接|对接|方式|能力|技巧|会",
    ),
    "基底": slip(
        "基底", "基地", "教育基地",
        before="教育|实践|示范|培训|研学|生产|种植|养殖|科普|旅游|影视|创作|孵化|实训|写生|拍摄"
        "|训练|爱国主义|非遗|传承|体验",
    ),
    # 将于本月末举行: 末, the month's end; 本月未完成 (not done this month) is right.
    "月未": slip("月未", "月末", "本月末、月末前",
               after="举行|召开|前|止|结束|之前|以前|截止|举办|开放|开始|开展|[，。；]",
               needs_before="(?:于|至|到)(?:本|上|下|次|当|该|[0-9]{1,2}|[一二三四五六七八九十]{1,3})?"),
    "作证": slip("作证", "佐证", "佐证材料", after="材料|资料|依据"),
    # 游览 a scenic area; what one 浏览 there is its page (浏览景区官网).
    "浏览": slip("浏览", "游览", "游览景区、名胜",
               after="(?:景区|景点|古镇|古城|名胜|园区)(?![^，。；：！？\n]{0,6}"
               "(?:官网|网站|网页|页面|公众号|小程序|介绍|简介|信息|地图|攻略|导览|图片|视频|照片))"),
}  # fmt: skip


# 依法享有查询本人参保缴费记录的权力: what one 享有 is a 权利, however long its name.
_ENJOYED = re.compile("享有|享受")
_RIGHT_TO_POWER = slip("权力", "权利", "依法享有的权利", before=f"(?:{_RIGHTS_OF})的?")


def _quanli(text: str, start: int, end: int) -> Finding | None:
    found = _RIGHT_TO_POWER(text, start, end)
    if found is not None or not start or text[start - 1] != "的":
        return found
    lo = _after_last(text, "，。；：！？\n", max(0, start - 24), start)
    enjoyed = _ENJOYED.search(text, lo, start)
    if enjoyed is None or "职" in text[enjoyed.end() : start]:
        return None  # 享有……职权的权力 is a body's
    return new_finding(
        "confusable", WARN, start, end, "权力", "权利", "疑似错别字：权力 → 权利（依法享有的权利）",
        "confusable:权力+语境",
    )  # fmt: skip


_MEANT["权力"] = _quanli


# 两支队伍在山脚下会合: people meet (会合); rivers and funds flow together (汇合).
_MEETING = re.compile(
    "队|人员|游客|大家|双方|同学|学生|志愿者|代表|部队|小组|一行|团|选手|干部|职工|家长|专家"
)
_FLOWING = re.compile("河|江|水|溪|流|川|湖|海|资金|力量|信息|数据|资源|意见|智慧")


def _after_last(text: str, stops: str, lo: int, start: int) -> int:
    """Where the stretch ending at ``start`` begins: after the last of ``stops`` in
    [lo, start), or ``lo``."""
    return max(lo, max(text.rfind(stop, lo, start) for stop in stops) + 1)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the last stop before it to the next."""
    stop = _SENTENCE_END.search(text, end)
    return _after_last(text, "。；！？\n", 0, start), stop.start() if stop else len(text)


def _huihe(text: str, start: int, end: int) -> Finding | None:
    lo, hi = _sentence(text, start, end)
    if not _MEETING.search(text, lo, start) or _FLOWING.search(text, lo, hi):
        return None
    return _meant(start, end, "汇合", "会合", "人员会合；水流、资金等汇合", "汇合+语境")


# 形成齐抓共管的工作合力: a force joined, at the end of its clause (形成布局合理的 is right).
_JOINING = re.compile("形成|凝聚|汇聚|汇集|聚合|聚集")
_FORCE_BEFORE = re.compile("(?:工作|强大的?|整体|社会|各方|育人|监管|执法)$")
_FORCE_END = re.compile("[，。；！？\n]|$")


def _heli(text: str, start: int, end: int) -> Finding | None:
    if not _FORCE_END.match(text, end):
        return None
    if not _FORCE_BEFORE.search(text, max(0, start - 3), start):
        return None
    clause = _after_last(text, "，。；：！？、\n", max(0, start - 30), start)
    if not _JOINING.search(text, clause, start):
        return None
    return _meant(start, end, "合理", "合力", "形成合力", "合理+语境")


# 己 is oneself (自己, 知己, 据为己有); before 经, 全, 完成 and the like it stands for 已.
_SELF_BEFORE = frozenset("自知利异克舍一为律由恃推各")
_ALREADY_NEXT = "经全完于基累建开启投成形被将按向纳进取达超陆"


def _ji(text: str, start: int, end: int) -> Finding | None:
    if start and text[start - 1] in _SELF_BEFORE:
        return None
    return _meant(start, start + 1, "己", "已", "已经", "己+语境")


# 将再人民广场举行: 在 a place before the verb of an event (将再次举行, 将再创佳绩 are right).
_HELD_AT = re.compile(
    "[^，。；：！？、\n到去来赴回于在进走]{1,10}?"
    "(?:广场|中心|馆|礼堂|剧院|会议室|报告厅|体育场|公园|大厅|剧场|会场|展厅|学校|中学|小学|大学"
    "|社区|街道|景区|公园)(?:隆重)?(?:举行|召开|举办|开幕|开展|进行|上演|展出|亮相|启动)"
)


def _jiang_zai(text: str, start: int, end: int) -> Finding | None:
    if text[end : end + 1] in ("次", "度", "一", "") or not _HELD_AT.match(text, end):
        return None
    return _meant(end - 1, end, "再", "在", "在某地举行", "再+语境")


# The correlatives: 既……又 (既丰富了生活，又弘扬了传统) and 不仅……也 (不仅丰富了生活，
# 也增进了感情). 即 and 不尽 in their first place, with the second half after the comma,
# are slips: 即 is 就 (立即, 即可, 即日), 不尽 is "not all" (不尽相同, 感激不尽).
_SECOND_HALF = re.compile("[^，。；：！？\n]{1,24}，(?:又|也|还|而且|并且|更)")
_NOT_JI = frozenset("立随旋当迅亦意成")
_JI_WORDS = frozenset("可将日使便时刻是为席兴景位期若于以由此墨")
_NOT_ALL_AFTER = re.compile("相同|然|如人意|一致|合理|完善|人意|其数|的|之|[，。；！？]")
_NOT_ALL_BEFORE = re.compile("(?:感激|无穷|取之|用之|说|言|数|道|想|看|写|享)$")


def _ji_you(text: str, start: int, end: int) -> Finding | None:
    if (start and text[start - 1] in _NOT_JI) or text[end : end + 1] in _JI_WORDS:
        return None
    if not _SECOND_HALF.match(text, end):
        return None
    return _meant(start, end, "即", "既", "既……又……", "即+又")


def _bujin(text: str, start: int, end: int) -> Finding | None:
    if _NOT_ALL_AFTER.match(text, end) or _NOT_ALL_BEFORE.search(text, max(0, start - 2), start):
        return None
    if not _SECOND_HALF.match(text, end):
        return None
    return _meant(start, end, "不尽", "不仅", "不仅……也……", "不尽+也")


_MEANT["汇合"] = _huihe
_MEANT["即"] = _ji_you
_MEANT["不尽"] = _bujin
_MEANT["合理"] = _heli
_MEANT["将再"] = _jiang_zai
_MEANT.update(dict.fromkeys(("己" + c for c in _ALREADY_NEXT), _ji))

# 运动会开幕式既首届广场舞大赛: 暨 joins two events in one name; 既 asks for its 又 (开幕式既
# 隆重又简朴).
_BOTH_AND = re.compile("又|也|且|还|更")


def _ji_and(text: str, start: int, end: int) -> Finding | None:
    stop = _STOPS.search(text, end, end + 40)
    hi = stop.start() if stop else min(len(text), end + 40)
    if _BOTH_AND.search(text, end, hi) is not None:
        return None
    return _meant(end - 1, end, "既", "暨", "“暨”连接两项活动或名称", "既+暨")


# 夜景美地让人流连忘返: a complement of degree after a quality takes 得 (美得让人, 好得令人).
_ONE_CHARACTER_QUALITIES = frozenset("美好快慢亮静香甜热冷忙累挤暖凉")  # not 大地, 绿地, 多地


def _de_complement(text: str, start: int, end: int) -> Finding | None:
    if not start or text[start - 1] not in _ONE_CHARACTER_QUALITIES:
        return None
    if start >= 2 and text[start - 2] in _ONE_CHARACTER_QUALITIES:
        return None  # 慢慢地让人: a reduplicated adverbial
    return _meant(start, start + 1, "地", "得", "形容词后的程度补语用“得”", "地+补语")


SLIP_ANCHORS: dict[str, Rule] = {
    **SLIPS,
    **_SAME_SOUND,
    **_MEANT,
    **{q + "地": _quality(q) for q in QUALITIES},
    # 个 with the first word of what is counted: the rule runs only where one stands.
    **dict.fromkeys(("个" + word for word in _EACH_WORDS), _each),
    **dict.fromkeys(_SPAN_ENDINGS, _zai),
    **dict.fromkeys(("以" + done for done in _DONE), _yi_done),
    **dict.fromkeys(("以" + how + done for how in _DONE_ADVERBS for done in _DONE), _yi_done),
    **dict.fromkeys(_OBJECT_OF, _object_verb),
    **dict.fromkeys(("开幕式既", "启动仪式既", "开营仪式既", "颁奖典礼既", "大会既"), _ji_and),
    **dict.fromkeys(("地让人", "地令人", "地叫人"), _de_complement),
}
