"""Rules after the newsroom list (regions), GB/T 15835 (numbers), GB/T 15834 (marks) and
the Advertising Law (claims): each caught where it is wrong, and quiet in correct prose."""

from __future__ import annotations

import pytest

from domain.proofread import BLOCK, Checker, default_lexicons

CHECKER = Checker([lex for lex in default_lexicons() if not lex.is_name_title])


def found(text: str, category: str) -> list[tuple[str, str, str]]:
    findings = CHECKER.check(text)
    for f in findings:
        assert text[f.start : f.end] == f.text
    return [(f.text, f.severity, f.rule) for f in findings if f.category == category]


WRONG = [
    # 2026.12.19: a region in a list closed by 在内的 and a count of 国家; the law's words
    # for a sentence, a civil judgment and an arrest; the newsroom list; medical claims.
    ("sovereignty", "吸引了包括美国、英国、香港在内的12个国家的展商。", "香港在内的12个国家"),
    ("usage", "法院以诈骗罪判决被告人赵某有期徒刑三年。", "判决"),
    ("usage", "一审以寻衅滋事罪判决两名被告人分别有期徒刑一年和八个月。", "判决"),
    ("usage", "区法院一审判处被告旅行社赔偿原告经济损失3.2万元。", "判处"),
    ("usage", "市公安局已依法批准逮捕涉嫌强迫游客购物的导游刘某。", "公安局已依法批准逮捕"),
    ("usage", "法院判决被告人某景区管理公司赔偿游客医疗费。", "被告人某景区管理公司"),
    ("usage", "对屡次兜售假冒商品的人员，有关部门将依法处以劳动教养。", "处以劳动教养"),
    ("usage", "警方打掉一个长期把持景区客运市场的黑社会组织。", "黑社会组织"),
    ("usage", "市伊斯兰教协会组织全市回族教徒开展主题教育活动。", "回族教徒"),
    ("usage", "城东街道的穆斯林族群众欢聚一堂。", "穆斯林族"),
    ("usage", "景区超市新上架了一批清真矿泉水。", "清真矿泉水"),
    ("usage", "一名疯子在广场上游荡，民警将其护送至医院。", "疯子"),
    ("absolute_term", "云江野生蜂蜜包治百病，老少皆宜。", "包治百病"),
    ("absolute_term", "这款草本足浴包无任何副作用，可放心长期使用。", "无任何副作用"),
    ("absolute_term", "云江玉石工艺品永久保值，是收藏送礼的佳品。", "永久保值"),
    ("sovereignty", "菲律宾单方面将黄岩岛称作斯卡伯勒礁。", "斯卡伯勒礁"),
    ("sovereignty", "台湾方面的资料称钓鱼台列屿。", "钓鱼台列屿"),
    ("sovereignty", "民进党政府的挑衅行径遭到谴责。", "民进党政府"),
    ("outdated_name", "市农委召开全市乡村旅游工作会议。", "市农委"),
    ("outdated_name", "县文体广新局组织开展送戏下乡活动。", "文体广新局"),
    ("confusable", "全面落实安全生产责任制，防患于未燃。", "防患于未燃"),
    ("confusable", "会议由局党组书记、局长主侍。", "主侍"),
    ("confusable", "我局推动文明旅游宣传长态化。", "长态化"),
    ("confusable", "该项目采用沉侵式演艺形式。", "沉侵式"),
    ("confusable", "深入学习惯彻党的二十大精神。", "惯彻"),
    ("confusable", "我局深入开展筑牢中华民族共同体意识主题宣传。", "筑牢中华民族共同体意识"),
    ("confusable", "面塑作品形态逼真，诩诩如生。", "诩诩如生"),
    ("confusable", "请勿翻越护拦，注意人身安全。", "护拦"),
    ("confusable", "给您带来的不便之初，敬请谅解。", "不便之初"),
    ("confusable", "节日期间，古城张灯接彩。", "张灯接彩"),
    # The Party's formulations: the guiding thought named whole, four confidences, the
    # five-year plans in quotation marks.
    ("usage", "深入学习贯彻新时代中国特色社会主义思想。", "新时代中国特色社会主义思想"),
    ("usage", "增强四个意识、坚定三个自信。", "三个自信"),
    ("usage", "坚定道路自信、理论自信、制度自信，做到两个维护。", "道路自信、理论自信、制度自信"),
    ("usage", "贯彻落实十四五规划纲要。", "十四五"),
    ("usage", "扎实推进十五五规划编制工作。", "十五五"),
    ("usage", "《江城市十四五文化和旅游发展规划》正式印发。", "十四五"),
    # 港澳台 listed with countries, no 国家和地区 after the list.
    ("sovereignty", "本次活动邀请了来自英国、法国、香港、澳门的艺术家。", "英国、法国、香港、澳门"),
    ("sovereignty", "亚洲四小龙包括韩国、台湾、香港和新加坡。", "韩国、台湾、香港和新加坡"),
    # The titles and organs of a state after 台湾, with words between.
    ("sovereignty", "台湾新当选的总统发表讲话。", "台湾新当选的总统"),
    ("sovereignty", "台湾地区的外交部长表示。", "台湾地区的外交部长"),
    # Organs of the Taiwan authorities without quotation marks.
    ("sovereignty", "台湾地区立法院通过了议案。", "立法院"),
    # 中港, 中台 beside each other.
    ("sovereignty", "中港文化交流活动在深圳举行。", "中港"),
    ("sovereignty", "中台文化交流日益频繁。", "中台"),
    # 出国 to the regions; their residents 来华.
    ("sovereignty", "他第一次出国去香港旅游。", "出国去香港"),
    ("sovereignty", "接待台湾青年来华研学300人次。", "台湾青年来华"),
    # GB/T 15835: shortened years, mixed numerals, leading zeros, decades, ranges.
    ("date", "98年我市被评为优秀旅游城市。", "98年"),
    ("date", "该馆建于85年，已有40年历史。", "85年"),
    ("date", "自26年5月1日起施行。", "26年"),
    ("date", "九八年五月，古城列入名录。", "九八年"),
    ("date", "本办法自2026年五月一日起施行。", "2026年五月一日"),
    ("date", "二〇二六年5月1日起施行。", "二〇二六年5月"),
    ("date", "活动持续到2026年05月06日。", "05"),
    ("date", "八十年代的老电影。", "八十年代"),
    ("date", "上世纪80年代建成。", "上世纪"),
    ("date", "全年接待游客1千2百万人次。", "1千2百万"),
    ("date", "约有3千人参加。", "3千"),
    ("date", "投资9～16亿元。", "9～16亿"),
    ("date", "客流增长15～30%。", "15～30%"),
    # GB/T 15834: half-width marks after closing marks and after digits, 顿号 before 等.
    ("punctuation", "详见附件1《报名表》.", "."),
    ("punctuation", "下载APP,即可预约。", ","),
    ("punctuation", "景区于每天8:00-18:00开放。", "-"),
    ("punctuation", "市文化馆、图书馆、等单位。", "、"),
    ("punctuation", "开放景区、博物馆、和图书馆。", "、"),
    ("punctuation", "征集书法、绘画、及摄影作品。", "、"),
    ("punctuation", "可通过电话、或到现场咨询。", "、"),
    ("punctuation", "书画、剪纸、以及非遗展演。", "、"),
    # Advertising Law: a scope and a superlative.
    ("absolute_term", "这里是中国最美的乡村。", "中国最美"),
    ("absolute_term", "景区打造国内首个沉浸式演艺。", "国内首个"),
    ("absolute_term", "全县的最好民宿。", "全县的最好"),
    # Newsroom usage: judged, no longer a suspect; a procuratorate 抗诉; 约……左右.
    ("usage", "犯罪嫌疑人张某被判处有期徒刑三年。", "犯罪嫌疑人"),
    ("usage", "检察院对一审判决不服，提出上诉。", "上诉"),
    ("usage", "本次活动约有200人左右参加。", "约有200人左右"),
    ("usage", "游客超过5万人次以上。", "超过5万人次以上"),
    # 内地 beside 香港 and 澳门, 大陆 beside 台湾; the regions do not come to 中国.
    ("sovereignty", "香港青年来大陆交流。", "大陆"),
    ("sovereignty", "台湾同胞来内地参观。", "内地"),
    ("sovereignty", "香港艺术团来中国演出。", "香港艺术团来中国"),
    # GB/T 15834: a title inside a title takes 〈〉, a quotation outside one takes “”, 「」
    # is no mark of ours, an event's name is no title.
    ("punctuation", "根据《关于印发《旅游民宿管理办法》的通知》要求。", "《"),
    ("punctuation", "深入学习‘十四五’规划。", "‘"),
    ("punctuation", "「乐享金秋」活动。", "「"),
    ("punctuation", "我市举办《乐享金秋》文旅消费季活动。", "《乐享金秋》"),
    # A day fixed by law or by the United Nations is that day.
    ("date", "9月28日世界旅游日当天，景区免票。", "9月28日"),
    ("date", "在8月9日全民健身日举办活动。", "8月9日"),
    # The newsroom list and the Advertising Law, as data.
    ("usage", "中纪委通报了典型案例。", "中纪委"),
    ("usage", "违法者被判处行政拘留10日。", "判处行政拘留"),
    ("absolute_term", "本景区绝对安全。", "绝对安全"),
    ("absolute_term", "本城全城最低价。", "全城最低"),
    # 2026.12.10. The newsroom list: 台湾 beside the People's Republic, the organs of a state
    # with words between, 回国 from the regions, the 民国 calendar after 1949, quoted terms,
    # "laws" of Taiwan, terms of international law, 台语, 深港一体化, the regions' 首长.
    ("sovereignty", "中华人民共和国和台湾的经贸往来日益密切。", "中华人民共和国和台湾"),
    ("sovereignty", "台湾地区的教育部发布通知。", "台湾地区的教育部"),
    ("sovereignty", "台湾的中央银行宣布加息。", "台湾的中央银行"),
    ("sovereignty", "港澳台同胞回国观光的人数不断增加。", "港澳台同胞回国"),
    ("sovereignty", "该刊创刊于民国112年。", "民国112年"),
    ("sovereignty", "落款为民国一百一十二年。", "民国一百一十二年"),
    ("sovereignty", "严厉打击东突恐怖势力。", "东突"),
    ("sovereignty", "所谓海峡中线并不存在。", "海峡中线"),
    ("sovereignty", "根据台湾法律，该行为不受处罚。", "台湾法律"),
    ("sovereignty", "台湾居民持台湾护照入境。", "台湾护照"),
    ("sovereignty", "两岸司法协助不断加强。", "两岸司法协助"),
    ("sovereignty", "举办台语歌曲演唱会。", "台语歌曲"),
    ("sovereignty", "推进深港一体化发展。", "深港一体化"),
    ("sovereignty", "香港首长出席开幕式。", "香港首长"),
    # GB/T 15835: a date in Chinese numerals that does not exist, a month in Arabic numerals
    # with its day in Chinese ones, ○ or 0 for 〇, the weekday after a comma.
    ("date", "定于二〇二六年二月三十日举行。", "二〇二六年二月三十日"),
    ("date", "定于二〇二六年九月三十一日举行。", "二〇二六年九月三十一日"),
    ("date", "定于二〇二六年二月二十九日举行。", "二〇二六年二月二十九日"),
    ("date", "定于2026年9月一日举行。", "2026年9月一日"),
    ("date", "二○二六年五月一日起施行。", "二○二六"),
    ("date", "二0二六年五月一日起施行。", "二0二六"),
    ("date", "开幕式定于2026年10月1日，周三。", "周三"),
    # GB/T 15834 and GB/T 9704: ranges of values, half-width ~, 等 with an ellipsis, a 句号
    # inside a bracket within a sentence, the year of a document number, accounts in 《》.
    ("punctuation", "票价为30—50元。", "—"),
    ("punctuation", "票价为30~50元。", "~"),
    ("punctuation", "2025~2026年度考核。", "~"),
    ("punctuation", "展出书画、瓷器、玉器等等……", "……"),
    ("punctuation", "展出书画、瓷器、玉器等……", "……"),
    ("punctuation", "请于9月30日前报送（逾期不再受理。）", "。"),
    ("punctuation", "根据《通知》（文旅发[2026]1号）要求。", "[2026]"),
    ("punctuation", "根据《通知》（文旅发【2026】1号）要求。", "【2026】"),
    ("punctuation", "根据《通知》（文旅发（2026）1号）要求。", "（2026）"),
    ("punctuation", "请关注《文旅之城》微信公众号。", "《文旅之城》"),
    ("punctuation", "登录《信用中国》网站查询。", "《信用中国》"),
    # The Advertising Law: the text's own place as the scope, a measure before 最.
    ("absolute_term", "这是我市首个智慧景区。", "我市首个"),
    ("absolute_term", "该民宿是本县首家精品民宿。", "本县首家"),
    ("absolute_term", "本酒店为本地区唯一一家五星级酒店。", "本地区唯一"),
    ("absolute_term", "这是本地最美的滑雪场。", "本地最美"),
    ("absolute_term", "本市第一家博物馆。", "本市第一家"),
    ("absolute_term", "这里是全市人气最旺的景区。", "全市人气最旺"),
    ("absolute_term", "性价比最高的旅游线路。", "性价比最高"),
    # ...and a place or a business praised after 的.
    ("absolute_term", "这是全省规模最大的温泉度假区。", "全省规模最大"),
    ("absolute_term", "入住全市人气最高的网红民宿。", "全市人气最高"),
    ("absolute_term", "打造世界一流旅游目的地。", "世界一流"),
    # 签证 for the regions, 中国大陆 abroad, regional flights, 港澳台 counted among the
    # foreigners, 国立 and 国家公园 of Taiwan, the regions' quoted lines.
    ("sovereignty", "游客须提前办理赴港澳签证。", "赴港澳签证"),
    ("sovereignty", "中国大陆游客赴日本旅游人数增长。", "中国大陆"),
    ("sovereignty", "新开通至台北的国际航线。", "国际航线"),
    ("sovereignty", "接待外国游客12万人次（含港澳台游客3万人次）。", "外国游客12万人次（含港澳台"),
    ("sovereignty", "游客参观了台北的国立自然科学博物馆。", "国立自然科学博物馆"),
    ("sovereignty", "游览垦丁国家公园。", "垦丁国家公园"),
    ("sovereignty", "参观国父纪念馆。", "国父纪念馆"),
    ("sovereignty", "所谓麦克马洪线从未得到承认。", "麦克马洪线"),
    ("sovereignty", "日本所谓的尖阁列岛即我国钓鱼岛。", "尖阁列岛"),  # unquoted: still found
    # Festivals by their lunar date, 七夕 and 重阳; lunar dates in Arabic numerals; a question
    # with 呢; a meeting's whole name in 《》.
    ("date", "2026年七夕节（8月20日）推出夜游。", "8月20日"),
    ("date", "2026年重阳节（10月19日）举办登高活动。", "10月19日"),
    ("date", "2026年农历八月十五（9月26日）举办赏月活动。", "9月26日"),
    ("date", "农历8月15日举办赏月活动。", "8月15日"),
    # ...and the days of a month of its own name, the approximations with 几, the years
    # of the dynasties (GB/T 15835-2011 4.1.2).
    ("date", "城隍庙会将从正月初一持续到正月初8。", "初8"),
    ("date", "腊月23是小年。", "23"),
    ("date", "古街上共有10几家非遗工坊入驻。", "10几"),
    ("date", "从停车场步行5、6分钟即可到达景区。", "5、6"),
    ("date", "深入学习贯彻党的20大精神。", "20大"),
    ("date", "学习贯彻党的20届四中全会精神。", "20届"),
    ("date", "现场约有3、40人参加培训。", "3、40"),
    ("date", "游客多为70、80岁的老人。", "70、80"),
    ("date", "这座古桥始建于清乾隆28年。", "乾隆28年"),
    ("date", "该楼建于民国12年。", "民国12年"),
    # 一、 after a Chinese numeral that numbers a heading.
    ("punctuation", "一．总体要求", "．"),
    ("punctuation", "前言\n二.工作目标", "."),
    # 犯罪嫌疑人 once sentenced, the sentence told first; 宰, not 杀, of the Muslims' cattle.
    ("usage", "法院一审以故意损毁文物罪判处犯罪嫌疑人李某有期徒刑三年。", "犯罪嫌疑人"),
    ("usage", "古尔邦节期间，穆斯林群众按照习俗杀牛羊庆祝节日。", "杀"),
    # 大约 and 左右 with a verb between the word of about and the number.
    ("usage", "从山脚步行至山顶大约需要40分钟左右。", "大约需要40分钟左右"),
    ("date", "活动于2026年9月1日25时30分举行。", "25时30分"),
    ("date", "活动于9时70分开始。", "9时70分"),
    ("sovereignty", "欢迎台胞来华投资兴业。", "台胞来华"),
    ("sovereignty", "参观台湾故宫。", "台湾故宫"),
    ("punctuation", "我们为什么要保护文物呢。", "。"),
    ("punctuation", "召开《2026年全市文化和旅游工作会议》。", "《2026年全市文化和旅游工作会议》"),
    # 2026.12.13: foreign countries, cities and people as Taiwan's press writes them, and the
    # former names of renamed states.
    ("sovereignty", "代表团访问了肯亚和坦尚尼亚。", "肯亚"),
    ("sovereignty", "代表团访问了肯亚和坦尚尼亚。", "坦尚尼亚"),
    ("sovereignty", "推介会在阿拉伯联合大公国举行。", "阿拉伯联合大公国"),
    ("sovereignty", "与克罗埃西亚、斯洛维尼亚开展文化交流。", "斯洛维尼亚"),
    ("sovereignty", "开通至伊斯坦堡的旅游包机。", "伊斯坦堡"),
    ("sovereignty", "我市影片入围坎城影展。", "坎城"),
    ("sovereignty", "欧巴马曾到访我市。", "欧巴马"),
    ("sovereignty", "斯威士兰王国文化代表团来访。", "斯威士兰"),
    # Words confused with a neighbour of the same sound, in the phrases that decide them
    # (《现代汉语词典》's distinctions): 接受 what one accepts, 终身 of one's own life, 融化
    # of snow and ice, 辩证 of dialectics, 爆发 of volcanoes and wars.
    ("confusable", "局长接收记者采访。", "接收记者采访"),
    ("confusable", "自觉接收群众监督。", "接收群众监督"),
    ("confusable", "倡导终生学习理念。", "终生学习"),
    ("confusable", "春天冰雪溶化，溪水潺潺。", "冰雪溶化"),
    ("confusable", "坚持辨证唯物主义世界观。", "辨证唯物主义"),
    ("confusable", "火山暴发后景区关闭。", "火山暴发"),
    # A quarter or a half-year with months in a bracket that are not its own.
    ("date", "2026年第一季度（1月至4月），全市接待游客120万人次。", "第一季度（1月至4月"),
    ("date", "上半年（1-7月）旅游收入增长。", "上半年（1-7月"),
    ("date", "前三季度（1—10月）完成投资。", "前三季度（1—10月"),
    ("date", "四季度（9～12月）重点工作。", "四季度（9～12月"),
    # 2026.12.14: idioms as they get miswritten, and 合龙 of a bridge's two halves joined.
    ("confusable", "在此其间，各景区加强值守。", "在此其间"),
    ("confusable", "那些做法早已是昨日黄花。", "昨日黄花"),
    ("confusable", "展品让人眼花瞭乱。", "眼花瞭乱"),
    ("confusable", "沿途景色美不甚收。", "美不甚收"),
    ("confusable", "让游客宾至如家。", "宾至如家"),
    ("confusable", "中华文化博大精神。", "博大精神"),
    ("confusable", "深入调研，掌握第一首资料。", "一首资料"),
    ("confusable", "跨江大桥顺利合拢。", "顺利合拢"),
    ("confusable", "大桥合拢后进入桥面施工。", "桥合拢"),
    # 2026.12.15: words and idioms as they get miswritten, and the names of the autonomous
    # regions.
    ("confusable", "景区内重峦叠障，风光秀丽。", "重峦叠障"),
    ("confusable", "我市文艺人才挤挤。", "人才挤挤"),
    ("confusable", "该同志大学肆业后参加工作。", "肆业"),
    ("confusable", "观灯市民摩肩擦踵。", "摩肩擦踵"),
    ("confusable", "推动文化和旅游深度溶合。", "溶合"),
    ("confusable", "媒体进行了宣传报到。", "宣传报到"),
    ("confusable", "这一讲话震聋发聩。", "震聋发聩"),
    ("confusable", "该项目举世嘱目。", "举世嘱目"),
    ("confusable", "请在坐的各位提出意见。", "在坐的"),
    ("confusable", "游客可乘座观光车前往。", "乘座"),
    ("confusable", "这部记录片讲述了古城的历史。", "记录片"),
    ("confusable", "为记念建党周年举办展览。", "记念"),
    ("confusable", "景区招募自愿者。", "自愿者"),
    ("confusable", "该山海拨1200米。", "海拨"),
    ("confusable", "请拔冗出席。", "拔冗"),
    ("confusable", "市财政下拔专项资金。", "下拔专项"),
    ("confusable", "景区门票可享受优待卷。", "优待卷"),
    ("confusable", "他被提拨为副局长。", "提拨"),
    ("confusable", "乡村旅游方兴未已。", "方兴未已"),
    ("confusable", "一坐难求的演出。", "一坐难求"),
    ("confusable", "谨防消费陷井。", "陷井"),
    ("confusable", "面临人生决择。", "决择"),
    ("confusable", "景区尤如一幅画卷。", "尤如"),
    ("confusable", "他是行业的中流底柱。", "中流底柱"),
    ("confusable", "确保安全渡汛。", "安全渡汛"),
    # 可拔打 is a generated slip read here as 可 + 拔打: the slip 拔打 inside it still counts.
    ("confusable", "游客可拔打电话咨询。", "拔打"),
    ("usage", "新疆维吾尔族自治区文化和旅游厅。", "新疆维吾尔族自治区"),
    ("usage", "赴宁夏自治区考察。", "宁夏自治区"),
    ("usage", "广西自治区旅游发展大会。", "广西自治区"),
    # A court's fine is 罚金 wherever 判处 stands in the sentence; a span of dates or times
    # takes the 一字线, not the 破折号.
    ("usage", "法院判处其罚款2万元。", "罚款"),
    ("usage", "被告人被判处有期徒刑一年，并处罚款5万元。", "罚款"),
    ("punctuation", "时间：2026年12月1日——12月5日。", "——"),
    ("punctuation", "开放时间为9:00——17:00。", "——"),
    # 发挥 a role, 发扬 a tradition, read by the noun that ends the object; 形式 in the
    # phrases of a form; set phrases of official letters.
    ("confusable", "要发挥优良传统，勇于担当。", "发挥"),
    ("confusable", "发扬党员干部先锋模范带头作用。", "发扬"),
    ("confusable", "发挥优良传统和作风", "发挥"),
    ("confusable", "要采取多种形势开展宣传。", "形势"),
    ("confusable", "活动形势新颖，以灵活多样的形势开展。", "形势"),
    ("confusable", "他对工作一丝不拘。", "一丝不拘"),
    ("confusable", "这里的美景让人留恋忘返。", "留恋忘返"),
    ("confusable", "颁发荣誉证书，以兹鼓励。", "以兹鼓励"),
    ("confusable", "资定于12月5日召开会议。", "资定于"),
    ("confusable", "界时将举行开幕式。", "界时将"),
    ("confusable", "第三界文化旅游节开幕。", "第三界"),
    ("confusable", "要防止松泄麻痹思想。", "松泄"),
    ("confusable", "市文化管组织培训。", "市文化管"),
    ("confusable", "要营照良好氛围。", "营照良好"),
    ("confusable", "把握其精隋。", "精隋"),
    ("confusable", "重要性不言而语。", "不言而语"),
    ("confusable", "要防微杜渐，警钟常鸣。", "警钟常鸣"),
    # The words of a bureau of culture and tourism, as they get miswritten.
    ("confusable", "游客可入住民俗体验乡村生活。", "入住民俗"),
    ("confusable", "推出旅游演绎项目。", "旅游演绎"),
    ("confusable", "修建健身布道10公里。", "健身布道"),
    ("confusable", "景区新建玻璃站道。", "玻璃站道"),
    ("confusable", "游客乘坐锁道上山。", "乘坐锁道"),
    ("confusable", "导游人员要配戴导游证。", "配戴导游证"),
    ("confusable", "加强部门谐调。", "部门谐调"),
    ("confusable", "现将有关情况会报如下。", "会报如下"),
    ("confusable", "游客可拨打质询电话。", "质询电话"),
    ("confusable", "加强年青干部培养。", "年青干部"),
    ("confusable", "品偿地方美食。", "品偿"),
    ("confusable", "办理营业执造。", "营业执造"),
    ("confusable", "红色文化陈例馆开放。", "陈例馆"),
    ("absolute_term", "本店菜品100%纯天然。", "100%纯天然"),
    ("confusable", "要坚决堵绝安全隐患。", "坚决堵绝"),
    ("confusable", "要极积做好准备。", "极积做好"),
    ("confusable", "调动群众的极积性。", "极积性"),
    # 2026.12.18: 港台 and 港澳 counted among countries, 中港 beside 文旅, the 民国 year
    # written digit by digit.
    ("sovereignty", "吸引了来自欧美、港台等国家的200余名旅行商。", "港台等国家"),
    ("sovereignty", "接待港澳等国家的游客。", "港澳等国家"),
    ("sovereignty", "本次中港文旅合作交流会在我市召开。", "中港"),
    ("sovereignty", "于民国一一四年首次来我市寻根祭祖。", "民国一一四年"),
    # A span of clock times that ends before it starts; a festival's day before its name; an
    # anniversary and a five-year plan's first or last year against the sentence's year; a
    # year in two styles of numerals, or with a Latin O.
    ("date", "市美术馆开放时间为每周二至周日9:00—5:30，周一闭馆。", "9:00—5:30"),
    ("date", "实景演出每晚20:00—19:30演出，时长约90分钟。", "20:00—19:30"),
    ("date", "展厅开放时间为9：00至4：30。", "9：00至4：30"),
    ("date", "2026年3月13日元宵节当晚，市民广场举办灯会。", "3月13日"),
    ("date", "2026年9月26日是中秋节。", "9月26日"),
    ("date", "2026年是中国共产党成立100周年，我市推出红色旅游线路。", "100周年"),
    ("date", "为庆祝新中国成立76周年，市文化馆将于2026年9月底举办文艺晚会。", "76周年"),
    ("date", "2026年是“十四五”规划开局之年。", "十四五"),
    ("date", "2024年是“十四五”规划收官之年。", "十四五"),
    ("date", "二〇26年全市文化工作要点已经审议通过。", "二〇26"),
    ("date", "2O26年暑期，全市文旅消费总额增长12%。", "2O26"),
    # A law's whole name without 书名号; a 句号 inside a quotation that is part of the
    # sentence; a half-width colon before a number.
    ("punctuation", "根据中华人民共和国旅游法第二十条规定执行。", "中华人民共和国旅游法"),
    ("punctuation", "坚持“以文塑旅、以旅彰文。”的理念。", "。"),
    ("punctuation", "咨询电话:0571-12345678。", ":"),
    # Names and set phrases that have one form.
    ("confusable", "中共中央办公室、国务院办公厅印发通知。", "中共中央办公室"),
    ("confusable", "根据国务院办公室有关通知精神。", "国务院办公室"),
    ("confusable", "该古塔被联合国科教文组织列入《世界遗产名录》。", "科教文组织"),
    ("confusable", "该石窟于1961年被公布为第一批国家重点文物保护单位。", "国家重点文物保护单位"),
    ("confusable", "传统蚕桑丝织技艺已列入世界非物质文化遗产名录。", "世界非物质文化遗产名录"),
    ("confusable", "新疆建设兵团文旅考察团来我市考察。", "新疆建设兵团"),
    ("confusable", "坚持以习近平新时代特色社会主义思想为指导。", "习近平新时代特色社会主义思想"),
    ("confusable", "爱国、敬业、诚信、友好。", "诚信、友好"),
    # Slips of everyday words no generated slip holds, and a real word in another's set
    # phrase (2026.12.18).
    ("confusable", "材料请于本周五前报送，逾期不侯。", "期不侯"),
    ("confusable", "确保各项防范措失落到实处。", "措失"),
    ("confusable", "迅期严禁游客进入未开放区域。", "迅期"),
    ("confusable", "加大对小微文旅企业的疏困帮扶力度。", "疏困"),
    ("confusable", "近年来，我市文物保护工作着有成效。", "着有成效"),
    ("confusable", "防止游客过渡聚集。", "过渡聚集"),
    ("confusable", "签订了文旅项目投资意象协议。", "投资意象"),
    ("confusable", "要持续深化文化体质改革。", "体质改革"),
    ("confusable", "我市将智力于打造国际文化旅游目的地。", "智力于"),
    ("confusable", "现将有关适宜通知如下。", "有关适宜"),
    ("confusable", "评审坚持公开、公平、公证的原则。", "公平、公证"),
    ("confusable", "导游人员应当全城陪同旅游团队。", "全城陪同"),
    # The newsroom list (2026.12.18): 两岸 exchanges are no international ones, the four
    # little dragons no countries, Taiwan's people no 侨胞; regions among 东亚国家 and
    # 外国游客; the short names of the merged administrations; only a court sentences; a
    # deputy of the people's congress makes 建议, not 提案.
    ("sovereignty", "市台办积极推动两岸国际文化交流。", "两岸国际文化交流"),
    ("sovereignty", "韩国、新加坡以及台湾、香港等亚洲四小龙国家经济腾飞。", "四小龙国家"),
    ("sovereignty", "听取台湾侨胞对本地投资环境的意见。", "台湾侨胞"),
    ("sovereignty", "大批市民经拱北边境口岸前往澳门观光。", "拱北边境口岸"),
    ("sovereignty", "日本、韩国、台湾等东亚国家竞争激烈。", "台湾等东亚国家"),
    ("sovereignty", "景区接待香港、澳门等外国游客1.2万人次。", "香港、澳门等外国"),
    ("outdated_name", "质检总局近日发布消费提示。", "质检总局"),
    ("outdated_name", "安监总局部署安全生产大检查。", "安监总局"),
    ("usage", "县人民检察院以诈骗罪判处被告人李某有期徒刑三年。", "检察院以诈骗罪判处"),
    ("usage", "市人大代表李某提交了一份关于完善养老服务的提案。", "提案"),
    # Dates against the calendar and against each other (2026.12.18).
    ("date", "统计期间为2026年2月1日至2月29日，全县接待游客28.6万人次。", "2月29日"),
    ("date", "4月24日“世界读书日”当天，市图书馆举办启动仪式。", "4月24日"),
    ("date", "5月18日是“中国旅游日”，景区推出门票减免。", "5月18日"),
    ("date", "2026年6月14日是文化和自然遗产日，文物保护单位免费开放。", "6月14日"),
    ("date", "2026年2月16日农历正月初一，领导看望慰问干部职工。", "2月16日"),
    ("date", "博览会于2026年9月24日至27日在市会展中心举办，为期3天。", "3天"),
    ("date", "2026年9月3日，全市隆重纪念中国人民抗日战争暨世界反法西斯战争胜利80周年。", "80周年"),
    ("date", "学习2026年3月召开的十四届全国人大三次会议精神。", "三次会议"),
    ("date", "传达学习2026年3月召开的全国政协十四届三次会议精神。", "三次会议"),
    ("date", "本办法自2026年7月1日起施行，有效期3年，至2028年6月30日止。", "2028年6月30日"),
    # Marks (2026.12.18): 两、三个, a document cited without 书名号, an honour in 书名号, an
    # indirect question with a question mark, a 破折号 cut short.
    ("punctuation", "从市区驾车前往景区约需两、三个小时。", "两、三"),
    ("punctuation", "根据关于激发文旅消费潜力的意见精神。", "关于激发文旅消费潜力的意见"),
    ("punctuation", "该景区荣获《全省十佳景区》称号。", "《全省十佳景区》"),
    ("punctuation", "县文化馆连续三年被评为《市级文明单位》。", "《市级文明单位》"),
    ("punctuation", "请各单位认真研究如何进一步提升窗口服务质量？", "？"),
    ("punctuation", "全市首个“口袋公园”—城东游园近日建成。", "—"),
    # The newsroom list and the Advertising Law (2026.12.18): 国父孙中山, 港版国安法,
    # 达赖喇嘛集团; a guarantee of 100 per cent, 填补国内空白, 无副作用.
    ("sovereignty", "两岸学者共同回顾了国父孙中山先生倡导的理念。", "国父孙中山"),
    ("sovereignty", "他表示，港版国安法实施以来，香港由乱到治。", "港版国安法"),
    ("sovereignty", "坚决抵制达赖喇嘛集团的分裂渗透活动。", "达赖喇嘛集团"),
    ("absolute_term", "开业三年来，本民宿始终保持100%好评率。", "100%好评"),
    ("absolute_term", "本馆研发的修复技术填补了国内空白。", "填补了国内空白"),
    ("absolute_term", "这款足浴包成分温和，长期使用无副作用。", "无副作用"),
    # Words of education, health, emergency and civil affairs notices (2026.12.18).
    ("confusable", "学校组织学生开展社会时间活动。", "社会时间活动"),
    ("confusable", "拟认定为示范校，现予以攻势。", "予以攻势"),
    ("confusable", "城乡居民基本意料保险参保工作已启动。", "意料保险"),
    ("confusable", "启动防汛四级应急相应。", "级应急相应"),
    ("confusable", "学校要保障学生课件十分钟的自由活动时间。", "课件十分钟"),
    ("confusable", "为签约居民建立电子健康挡案。", "挡案"),
    ("confusable", "署假期间加强学生防溺水安全教育。", "署假"),
    ("confusable", "各景区游客落驿不绝。", "落驿不绝"),
]


@pytest.mark.parametrize(("category", "text", "span"), WRONG)
def test_a_wrong_form_is_found(category: str, text: str, span: str) -> None:
    assert span in [t for t, _, _ in found(text, category)]


def test_only_the_state_words_of_taiwan_block() -> None:
    # The newsroom list's rules for sovereignty block; a list with no 国家 word warns.
    assert found("台湾新当选的总统发表讲话。", "sovereignty")[0][1] == BLOCK
    assert found("来自英国、法国、香港、澳门的艺术家。", "sovereignty")[0][1] == "warn"


def test_a_country_miswritten_blocks_and_a_city_a_person_or_a_former_name_warns() -> None:
    def said(text: str) -> list[tuple[str, str, str | None]]:
        return [(f.text, f.severity, f.suggestion) for f in CHECKER.check(text)]

    assert said("代表团访问了肯亚。") == [("肯亚", BLOCK, "肯尼亚")]
    assert said("开通至伊斯坦堡的航线。") == [("伊斯坦堡", "warn", "伊斯坦布尔")]
    assert said("欧巴马曾到访我市。") == [("欧巴马", "warn", "奥巴马")]
    assert said("马其顿共和国代表团来访。") == [("马其顿共和国", "warn", "北马其顿共和国")]


RIGHT = [
    # 2026.12.19: near misses of the rules above.
    "包括北京、上海、香港在内的20个城市参加了展会。",
    "法院判决被告人赵某犯诈骗罪，判处有期徒刑三年。",
    "判决书送达后，被告人未提出上诉。",
    "法院判决被告赔偿原告损失2万元。",
    "法院判处被告人有期徒刑一年，并赔偿被害人损失2万元。",
    "公安机关依法提请批准逮捕犯罪嫌疑人李某。",
    "被告人王某系某旅行社导游，多次在景区内扒窃游客财物。",
    "被告人刘某公司财务人员，利用职务便利侵占公款。",
    "被告单位某旅游公司犯单位行贿罪。",
    "市人民检察院已依法批准逮捕犯罪嫌疑人刘某。",
    "劳动教养制度已于2013年废止。",
    "依法严厉打击黑社会性质组织犯罪。",
    "严防境外黑社会组织渗透。",
    "市伊斯兰教协会组织全市穆斯林开展爱国爱教活动。",
    "美食街新开了一家清真餐厅。",
    "他吃了个哑巴亏。",
    "各项工作要按部就班地推进。",
    "许多志愿者义无反顾地投身抗洪一线。",
    "学习贯彻党的二十大和二十届四中全会精神，庆祝党的100年华诞。",
    "每年3、4月是观赏期，第1、2批名单，地铁1、2号线，如图1、2所示，附件1、2，2024、2025年。",
    "该规划现由市文化和旅游局组织修编，市非遗展示馆于二〇〇八年开放，残疾人门票全免。",
    "消费券来了，速来领取！古城已有两千多年的建城史，救生衣、急救箱等必需物品须配齐。",
    "因未及时清理，部分步道积水；请将手机调至静音状态；保护古树名木，做细做实，共克时艰。",
    "请联系客服；智能客服已上线；自本通知印发之日起施行；学为人师，行为世范。",
    "上述事实有现场照片为证；如有异议，请及时与我们联系；具体办法由国务院另行规定；该小程序已上线。",
    "正月初八开工，腊月二十三是小年，正月十五闹元宵，5月初3天内完成，十几家工坊，二十几个项目。",
    "清乾隆二十八年始建，民国十二年重修，乾隆年间的古桥；统一标准。",
    "在法院判决前，犯罪嫌疑人李某被依法羁押；公安机关抓获犯罪嫌疑人3名。",
    "农户杀猪过年，杀鸡待客；古尔邦节期间，穆斯林群众宰牛羊庆祝节日。",
    "步行至山顶需要40分钟左右，预约需要3天左右，大约需要40分钟。",
    "今年全省规模最大的一次降雨过程出现在山区，全市面积最大的是山地。",
    "坚持以习近平新时代中国特色社会主义思想为指导，党的十九大报告提出了“新时代中国特色社会主义思想”。",
    "从“三个自信”到“四个自信”，文化自信是更基础、更广泛、更深厚的自信。",
    "坚定道路自信、理论自信、制度自信、文化自信；增强道路自信、理论自信、制度自信和文化自信。",
    "贯彻落实“十四五”规划纲要，谋划“十五五”发展，《江城市“十四五”文化和旅游发展规划》。",
    "全市接待游客二十四五万人次，十四五个项目完工，他今年十四五岁，第十四五届。",
    "坚决杜绝安全隐患，积极做好准备，调动群众的积极性，道路拥堵绝非小事，北极积雪融化。",
    "该县曾是国家级贫困县，如今正打造世界级旅游目的地，建设世界级的旅游目的地。",
    "拨打咨询电话，培养年轻干部，品尝地方美食，办理营业执照，产品偿付能力，陈列馆开放。",
    "游客可入住民宿，体验民俗文化；推出旅游演艺项目，修建健身步道和玻璃栈道，乘坐索道上山。",
    "色彩谐调，加强部门协调，现将有关情况汇报如下，导游人员要佩戴导游证，封锁道路。",
    "届时将举行第三届文化旅游节，第一界面显示报名入口，第三界别委员，市文化管理部门。",
    "发挥传统优势，发挥传统和区位优势，发挥传统村落的作用，发扬优良传统并发挥作用。",
    "发扬优势，补齐短板；大力发扬艰苦奋斗的作风，发扬光大；发挥广大干部职工的积极性。",
    "当前形势复杂多变，面对新形势新任务，应对各种形势变化；宣传形式多样。",
    "以资鼓励，以资证明，兹定于12月5日召开会议，流连忘返，一丝不苟。",
    "市场监管部门对其处以罚款2万元；法院判处其有期徒刑三年，并处罚金5万元。",
    "依法判处。对违规企业罚款10万元。活动共三天——12月5日结束。",
    "新疆维吾尔自治区、宁夏回族自治区、广西壮族自治区、西藏自治区和内蒙古自治区。",
    "请在座的各位提出意见，他正在坐的车，把日记念给大家听，首席大检察官。",
    "游客可乘坐观光车，拨打电话咨询，海拔1200米，拨冗出席，举世瞩目，一座难求。",
    "双手合拢，大桥合龙，景色美不胜收，宾至如归，掌握第一手资料，在此期间。",
    "2026年，我市接待入境游客来自美国、日本、韩国等30多个国家和地区。",
    "来自香港、澳门和台湾地区的青年参加了研学活动。",
    "美国、日本、香港和台湾地区的客商参加了展会。",
    "台湾地区领导人的讲话引起关注。",
    "台湾地区“立法院”通过了相关议案。",
    "他曾任国民政府行政院秘书。",
    "台湾同胞来大陆旅游人数逐年增加，港澳同胞来内地更加便利。",
    "外国游客来华旅游，外籍人士和港澳台居民来华工作。",
    "数据中台建设有序推进，集中港口资源。",
    "出国（境）人员须按规定报批。",
    "经过10年努力，我市建成了覆盖城乡的公共文化服务体系。",
    "在10年内完成全部改造任务，用了50年时间。",
    "近50年来，古城保护工作取得显著成效。",
    "1998年，我市被评为中国优秀旅游城市。",
    "20世纪80年代以来，我市文化事业快速发展。",
    "二〇二六年五月一日起施行，2026年5月1日起施行。",
    "五六年的时间，一二年级学生。",
    "项目全长12千米，占比提高3个百分点。",
    "总投资达1.5亿元，建筑面积2.3万平方米，9亿～16亿元，15%～30%。",
    "每年3月至5月为旅游旺季，2025—2026年度。",
    "活动时间为每天9:00—17:00。",
    "市文化馆、图书馆、博物馆等单位；一、二等奖各3名。",
    "我省是全国最早开展文化生态保护区建设的省份之一，全国最新数据显示增长3%。",
    "犯罪嫌疑人已被依法刑事拘留，检察院依法提起公诉。",
    "本次培训约200人参加，预约20人以上的团队可享受优惠，超过一半的游客选择自驾。",
    "Python,Java等编程语言。",
    "大陆与台湾的交流，内地与香港、澳门的合作，香港同胞来内地。",
    "全市接待港澳台游客来内地（大陆）旅游的人数同比增长。",
    "根据《关于印发〈旅游民宿管理办法〉的通知》要求。",
    "他说：“要落实‘放管服’改革。”",
    "举办《我和我的祖国》歌咏比赛，电影《长津湖》展映活动，贯彻《旅游法》专项行动。",
    "9月27日世界旅游日当天，景区免票；8月8日全民健身日。",
    "中央纪委国家监委通报了典型案例。",
    # 2026.12.10: the same words where they are right.
    "台湾地区的教育部门、文化部门和交通部门参与了交流。",
    "台湾“中央银行”宣布加息，大陆和台湾的经贸往来日益密切。",
    "他从美国留学回国后投身家乡建设。",
    "该书刊印于民国二十六年，民国时期的老建筑得到保护。",
    "广东突出抓好安全生产，山东突破了技术瓶颈。",
    "严厉打击“东突”恐怖势力，所谓“海峡中线”并不存在。",
    "台湾地区的有关规定；台湾法律界人士参加研讨。",
    "香港特别行政区行政长官出席开幕式，深港合作不断深化。",
    "定于二〇二六年十二月三十一日举行，二〇二八年二月二十九日，农历二月三十日。",
    "二〇二六年五月一日起施行，国庆一日游。",
    "展览将持续至2026年12月31日，周一闭馆。",
    "2026年10月1日，周四。",
    "票价为30～50元，9—10月，8月1—3日，2025—2026年度，第3～5页。",
    "请稍等……",
    "请于9月30日前报送。（逾期不再受理。）",
    "（注：本表由各县填写。）",
    "根据《通知》（文旅发〔2026〕1号）要求，在（2026年）版本中。",
    "关注“文旅之城”微信公众号，下载《人民日报》客户端，登录《中国旅游报》网站。",
    "当地最高气温达38摄氏度，建设世界一流大学和一流学科。",
    "接待入境游客12万人次，其中港澳台游客3万人次，其中港澳游客2万人次。",
    "接待外国游客和港澳台游客12万人次，其中香港游客3万人次。",
    "韩国国立中央博物馆的展品来到台湾展出，参观台北“国父纪念馆”。",
    "中国大陆与台湾的交流，欧洲大陆和日本，开通国际和地区航线20条。",
    "2026年七夕节（8月19日），重阳节（10月18日），农历八月十五（9月25日）。",
    "还早着呢。任何时候都要注意安全呢。",
    "活动于9时30分开始，持续25小时，外商和港商来华投资，台胞来大陆投资兴业。",
    "印发《关于召开全市文旅工作会议的通知》，观看纪录片《伟大的会议》。",
    "本地最低气温零下5摄氏度，本地区最近一次降雪在12月。",
    # 2026.12.11: a foreign name of Chinese territory quoted, as the newsroom list says.
    "日本所谓的“尖阁列岛”即我国钓鱼岛，菲律宾所谓“斯卡伯勒浅滩”即我国黄岩岛。",
    "促进繁荣、和平、发展，做到准确、及时，不可或缺、或许；三、和美乡村建设；民主、和谐。",
    "苏绣讲究“平、齐、和、光、顺、匀”；制墨需经过炼烟、和料、杵捣、压模等工序。",
    "青铜簋器内底铸铭文，射口微外撇，肉部满饰谷纹，双耳作凤首形，鱼脑冻石品，青釉褐彩诗文执壶。",
    "玉组佩的珠管，巧用玉料；有漆木剑鞘残痕；弩机由望山、牙组成；注子温碗；壶身刻铭文；瓷板画。",
    "墓内葬具已朽，仰身直肢；大唐故李府君墓志铭；逐件登记；晒纸工将湿纸逐张揭开；髹漆推光。",
    "四功五法；蘸取调好的颜色；见人见物见生活；以浅绛法写山水，自题长跋，以侧锋皴擦，中宫收紧。",
    "濯清涟而不妖；合此四者；进乎技矣；皆若空游无所依；取意于古诗；前店后坊；门枕石；以水制火。",
    "泡温泉前先冲个澡，出锅前放一把香菜，再放点葱花，配点腊八醋，酸中带点奶香，先放一放再喝。",
    "帮忙叫车；从东口到西口；从早响到晚；下午四点前开始下撤；骑行请戴头盔；浮潜时别踩珊瑚。",
    "您的失物已经找到；声音拖得老长；现开的椰子水；地铁站厅；手机没电了；徒步鞋的大底；立夏这天。",
    "圈足下接三小足；鼎耳与器身结合处；吻部前突；贴于器内烧成；钱范是模具，有陶范、石范和铜范。",
    "殿内采用减柱造；檐柱有明显的侧脚和生起；昂嘴为琴面式；三交六椀菱花；南狮重意，北狮重形；演员自击鼓板。",
    "不施彩绘；扎、糊、绘、放四艺；方克成器；再入染缸浸染；增建尊经阁；增置学田；合则为一器。",
    "由玉璜串联而成；背上有乐伎数人；以编木拱架跨越溪涧；首端作歧刃；揉和成坯；揭展时先行加湿。",
    "经落经线、牵经线等工序；名士雅集于此；志愿者们为视障读者朗读；“悦读一夏”绘本分享会；身份等级。",
    "恢复开放时间将视天气情况另行通知。小编为大家整理了精品线路。景区失物招领处设在一楼。",
    "玻璃栈道单次最多容纳50人；未成年人禁入；票品为有价证券；千年古城，一步一景。",
    "该窑址始烧于唐代，盛于宋代。年外借量超过100万册次，每万人拥有设施面积3200平方米。",
    "自助借还机可办理续借。烤全羊外焦里嫩。那碗馄饨让游子红了眼眶。渔民在开渔节上祭海。",
    "侗族大歌无需伴奏。骑楼既能遮阳又能避雨。这件金步摇出土于南朝墓葬。宝剑剑身修长，剑格处镶有绿松石。",
    "皮影戏要想传下去，就得让年轻人看到它。素色衣服和白墙黛瓦很搭。修复师们用细毛笔蘸取颜料。",
    "《长物志》记述园林器物；适合亲子共读；日出江花红胜火；正如诗中所写；墙角数枝梅。",
    "视障人士可携带导盲犬入馆。县里每年拨出专项资金。亭柱上刻着对联。慢工出细活。不大拆大建。",
    "锅盔夹上凉拌菜。游客中心可代为联系代驾服务。组长吴晓东作专题辅导，专家高建伟一行到场。",
    "2018年，国务院机构改革将文化部、国家旅游局的职责整合，组建文化和旅游部。",
    "他以二米三一打破了个人最好纪录，门将被评为本场最佳球员，她创造了个人最好成绩。",
    "影人需经选皮、刮皮等环节；以柏木粉为基料，手工剥制后焙炒；端砚呵气可研；要经制胎、掐丝。",
    "再按图样剪贴成画；器表饰绳纹；清理出房址五座；这枚铜印为桥钮；墓志可补史籍之阙；未用一钉。",
    "残片上织有字样，织出的图案正反如一；器形有罐、钵、盆；城墙上每隔一段设有敌台；雨天不湿鞋袜。",
    "真草隶篆诸体兼备；馆方已增设提示牌；腰鼓队由退休职工组成；夹入腊汁肉；香薰和床品都由主人挑选。",
    "没想到真成了一门手艺；古镇的安静也得守住；走过来要十来分钟；冬山如睡；院子里积起了水洼。",
    "宋人喜以清供入画，笔墨简淡；玉琮高三十余厘米；一人自弹三弦自唱；塞入豆腐块中煎制；沿县道行驶。",
    "阅览室配有助视器；我们那时候学戏；别看这糖画简单；河边的捣衣石；盖与器身以链环相连；事死如事生。",
    "乡镇是辖区安全生产工作的责任主体；经区市场监督管理局调解；实行“一点一策”；由4条增加至8条。",
    "主任徐明作了推介；副局长段文涛答记者问；用水、用电、用气；众创空间28家；应当配建停车场。",
    "“三公”经费只减不增；用电报装实现“零投资”；新院区投入使用；初信初访；3号线将延长运营；检录区。",
    "微短剧《茶乡故事》在网络平台上线，电视剧《山海情》在各大视频平台热播。",
    "会谈在钓鱼台国宾馆举行；菲律宾所谓的“斯卡伯勒礁”即我国黄岩岛；民进党当局。",
    "印度所谓“阿鲁纳恰尔邦”是我国藏南地区，越南所称“黄沙群岛”即西沙群岛。",
    # 2026.12.13: the standard names, and words that hold a foreign name's letters.
    "北马其顿共和国、埃斯瓦蒂尼和肯尼亚的代表团参观了红叶谷，香山红叶门票已售罄。",
    "冰糖雪梨是秋季饮品，四川普通话俗称川普，释迦牟尼像前游人如织。",
    "接收来文后，医院接收治疗患者，我们接收邀请函和调查问卷，接收教育局转来的文件。",
    "中医辨证施治、辨证思维，火山爆发，山洪暴发，终身学习，冰雪融化，蔗糖溶化于水。",
    "第一季度（1—3月）、二季度（4～6月）、上半年（1～6月份）、前三季度（1月至9月）、下半年（7月至12月）。",
    "第四季度（10～12月），三季度（七至九月），第一季度（截至3月20日），一季度（1～2月数据）。",
    # 2026.12.18: a region named 地区 in a list with countries; 民国一二年 (no year to tell).
    "来自香港地区和东南亚国家的游客，港台地区和日韩等国家的旅行商，澳门地区及周边国家。",
    "落款为民国一二年的残页。",
    "夜市营业时间为18:00—2:00，展厅9:00—17:00开放，讲座14:00至16:30，签到12:30:00—13:00。",
    "2026年2月15日至23日春节假期；2026年2月17日春节，2026年3月3日元宵节，2026年9月25日是中秋节。",
    "2026年是中国共产党成立105周年。为庆祝新中国成立七十七周年，2026年9月举办晚会。",
    "2026年，深入学习习近平总书记在庆祝中国共产党成立100周年大会上的重要讲话精神。",
    "2026年是“十五五”规划开局之年，2025年是“十四五”规划收官之年。",
    "2026年，二〇二六年，二〇二六年三月十日，第1批，3一5名。",
    "根据《中华人民共和国旅游法》第二十条，中华人民共和国成立以来的立法成就，中华人民共和国境内依法设立。",
    "他说：“我们一定做好服务工作。”开放时间：9:00—17:00，比分为3:1。",
    "处置举措失当，保管藏品，在渝期间，热线反应迅速，移送检察机关，公平、公正，全程陪同。",
    "县人民检察院以诈骗罪提起公诉，县人民法院判处被告人李某有期徒刑三年。",
    "经公安机关侦查、检察院起诉后法院判处其有期徒刑。市政协委员提交提案，人大代表提出建议。",
    "接待香港、澳门游客和外国游客，两岸文化交流，亚洲四小龙，台湾同胞，拱北口岸。",
    "统计期间为2028年2月1日至2月29日；2026年12月29日；4月23日“世界读书日”，5月19日是“中国旅游日”。",
    "2026年6月13日是文化和自然遗产日，2026年2月17日农历正月初一，9月24日至27日举办，为期4天。",
    "学习2026年3月召开的十四届全国人大四次会议精神，2023年3月召开的第十四届全国人大一次会议。",
    "本办法自2026年1月1日起施行，有效期5年，至2030年12月31日止。荣获一、二等奖，第一、二批。",
    "根据《关于进一步激发文化和旅游消费潜力的意见》，荣获“全省十佳景区”称号，我们是否需要研究如何提升？",
    "消费券领取入口：“青溪文旅”微信公众号—“惠民服务”—“消费券”。北京—上海，他说——“好”。",
    "中华人民共和国驻法国大使馆举办招待会。检察院随后向法院提起公诉。",
    "自然气候，天然气管道，电池自然老化，对比列表，全市30处旅游资源参加评定，本办法适用期为三年。",
    "参观香港礼宾府，十四世达赖集团，香港国安法，港澳台居民居住证，全市最低气温零下5摄氏度。",
]


@pytest.mark.parametrize("text", RIGHT)
def test_correct_prose_is_left_alone(text: str) -> None:
    findings = CHECKER.check(text)
    assert [(f.category, f.text) for f in findings] == []


# GB/T 15835-2011 and the usage of 概数: a number is made approximate once, by a word before
# it or by one after it. 近 (not quite) with 余 or 多 (a little over) says two things at once.
APPROXIMATE_TWICE = [
    ("游客近10万余人次。", "近10万余"),
    ("全市共有约20余家民宿。", "约20余"),
    ("展会约有20多家企业参展。", "约有20多"),
    ("将近三十多名志愿者参与服务。", "将近三十多"),
    ("接近100余人报名。", "接近100余"),
    ("全年接待游客近十万余人。", "近十万余"),
    ("参观人数超过1000多万人次。", "超过1000多"),
    ("逾百余人参加了开幕式。", "逾百余"),
    ("多达300余家企业参展。", "多达300余"),
    ("项目投资高达50多亿元。", "高达50多"),
    ("逾5000人以上参加活动。", "逾5000人以上"),
    ("参与群众约有3000人之多。", "约有3000人之多"),
    ("共10余人左右参加培训。", "10余人左右"),
    ("每期20多人上下。", "20多人上下"),
    ("大概20人上下参加。", "大概20人上下"),
    ("近100人左右参加了活动。", "近100人左右"),
    ("超过一半以上的游客选择自驾。", "超过一半以上"),
    # 左右 or 上下 and 以上 or 以下 after one number.
    ("参加人数达到1万人左右以上。", "1万人左右以上"),
    ("每场观众500人上下以下。", "500人上下以下"),
    # 以上 or 以下 after 余 or 多.
    ("古街距今已有百余年以上的历史。", "百余年以上"),
    ("共有20多家企业以上参展。", "20多家企业以上"),
    ("每团10余人以下。", "10余人以下"),
]


@pytest.mark.parametrize(("text", "span"), APPROXIMATE_TWICE)
def test_an_approximate_number_said_twice_is_a_warning(text: str, span: str) -> None:
    assert found(text, "usage") == [(span, "warn", "usage:概数重复")]


@pytest.mark.parametrize(
    "text",
    [
        "全年接待游客达10万余人次，超过10万人，近100年来古城保护成效显著。",
        "近日，近期，近年来，以近千件馆藏文物讲述城市历史，近两年来发展迅速。",
        "一个多月来，10多家企业参展，20余人参加，30多名志愿者。",
        "单日最高达10万余人次，身高达180多厘米，塔高达50余米，最多达20余人。",
        "景区附近100多米处设有停车场，最近10余年来发展迅速，将近10万人，接近100人。",
        "可预约10余人的团队，节约资金100多万元，逾期不予受理，多达10家企业。",
        "前后左右，左右为难，10余名员工上下班，20余家企业上下游协同，30多人左右两侧站立。",
        "约有200人参加，约10人一组，超过半数同意，高达100米的瀑布。",
        "1万人左右，以上数据为初步统计；站在画面左右以上的位置。",
        "共修复古建筑30余处，以上项目均已完工；一个多月以上；以上述方式办理20余件。",
        "展出文物100余件以上述三类为主。",
    ],
)
def test_an_approximate_number_said_once_is_left_alone(text: str) -> None:
    assert found(text, "usage") == []


# The initiative is open to every country that joins it, not to those along a route: 共建“一带一路”
# 国家, not “一带一路”沿线国家 or “一带一路”国家 (the white paper of October 2023).
@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("“一带一路”沿线国家的入境游客持续增长。", "“一带一路”沿线国家"),
        ("与一带一路沿线国家开展文旅交流。", "一带一路沿线国家"),
        ("同“一带一路”国家深化人文合作。", "“一带一路”国家"),
        ("邀请一带一路国家的艺术团来演出。", "一带一路国家"),
    ],
)
def test_the_countries_of_the_belt_and_road_are_the_countries_that_build_it(
    text: str, span: str
) -> None:
    findings = [f for f in CHECKER.check(text) if f.category == "usage"]
    assert [(f.text, f.severity, f.suggestion) for f in findings] == [
        (span, "warn", "共建“一带一路”国家")
    ]
    assert "白皮书" in findings[0].message  # the entry's note names where the usage comes from


def test_the_countries_that_build_the_belt_and_road_are_left_alone() -> None:
    text = "与共建“一带一路”国家开展文旅交流，推进“一带一路”建设，共建一带一路国家。"
    assert found(text, "usage") == []


def test_a_year_with_a_latin_o_for_its_zero_is_one_finding() -> None:
    """二O二六年: the O stands for 〇 (one finding), not a shortened year 二六年 as well."""
    findings = CHECKER.check("通知落款日期为二O二六年三月十日。")
    assert [(f.text, f.rule, f.suggestion) for f in findings] == [
        ("二O二六", "date:year_zero", "二〇二六")
    ]
