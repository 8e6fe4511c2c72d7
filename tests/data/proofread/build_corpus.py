"""Build ``corpus.json``, the labelled 错敏 corpus, from the readable sources.

Run ``.venv/bin/python tests/data/proofread/build_corpus.py`` after editing the
paragraphs; the JSON it writes is the fixed test data (commit both).

Four sources: the paragraphs below (items 1-49, the ones the checker was first built
against), ``notices.txt`` (items 50-309, written later in one go, before the
checker was run on them), ``heldout2.txt`` (items 400-564, a second batch written
in one go after the first held-out measurement and committed before the checker was
run on it) and ``heldout3.txt`` (items 800-949, a third batch written the same way,
blind, after the tuning examples of ``tuning2.txt``). Each item gets a ``part``:
items 1-49 are ``tuning``; items 50-309 are assigned ONCE, by a hash of their id with
:data:`SPLIT_SEED`, to ``tuning`` or ``heldout``; every item of the second and third
batches is ``heldout``. The part depends on the id alone, so it cannot be moved item
by item; the test reports recall and false blocks on the held-out part only. ``batch``
says which held-out batch an item belongs to (1: hashed from notices.txt,
2: heldout2.txt, 3: heldout3.txt; 0 for tuning items).
``tuning2.txt`` (items 600-699) holds tuning examples written after the second
held-out measurement for the categories it showed weak; all of them are ``tuning``.

Each source paragraph is written once, with its injected errors marked inline as
``{{correct|wrong|category}}``:

* the clean paragraph takes ``correct``, the erroneous one takes ``wrong``;
* the label is the span of ``wrong`` in the erroneous paragraph;
* an empty category marks a change without its own label (``{{》||}}`` deletes
  a closing mark, while ``{{《|《|punctuation}}`` labels the opening mark that is
  left unmatched).

The labels come from this markup only, never from the checker under test.
All names of people are fictional; ID, phone and card numbers are synthetic.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "corpus.json"
NOTICES = HERE / "notices.txt"
HELDOUT2 = HERE / "heldout2.txt"
HELDOUT3 = HERE / "heldout3.txt"
TUNING2 = HERE / "tuning2.txt"
SPLIT_SEED = "matrixpub-proofread-2026-11"
FIRST_SPLIT_ID = 50  # items before it were tuned on from the start
HELDOUT_SHARE = 0.5
# The second held-out batch, all of it held out (written blind, see heldout2.txt).
HELDOUT2_IDS = range(400, 600)
# The third held-out batch, all of it held out (written blind, see heldout3.txt).
HELDOUT3_IDS = range(800, 950)
# Tuning examples written afresh after the second held-out measurement (tuning2.txt).
TUNING2_IDS = range(600, 700)

CATEGORIES = {
    "outdated_name",
    "sovereignty",
    "absolute_term",
    "confusable",
    "name_title",
    "personal_data",
    "date",
    "punctuation",
    "usage",
}

SOURCES = [
    # 1 文旅消费季通知
    "关于举办2025年“乐享金秋”文旅消费季活动的通知\n"
    "各区县文化和旅游局，各有关单位：\n"
    "为贯彻落实{{文化和旅游部|文化部|outdated_name}}关于促进文化和旅游消费的部署要求，经研究，"
    "定于2025年9月20日（{{星期六|星期五|date}}）至10月18日（星期六）举办2025年“乐享金秋”"
    "文旅消费季活动。活动期间，全市各5A级旅游景区推出门票优惠，各国家级旅游休闲街区开展夜间"
    "消费活动。具体安排详见https://wlj.example.gov.cn/2025/09/10/xfj.html，请各单位认真组织"
    "{{，|,|punctuation}}确保活动安全有序。",
    # 2 非遗展演
    "为庆祝2026年“文化和自然遗产日”，市文化和旅游局将于2026年6月13日（星期六）在市非遗馆"
    "举办非遗展演活动。本次展演汇集国家级非物质文化遗产代表性项目12项、省级项目30余项，"
    "国家级代表性传承人将现场展示传统技艺。展演现场设置{{《|《|punctuation}}"
    "市非物质文化遗产保护条例{{》||}}宣传展板，并向观众发放非遗{{精粹|精萃|confusable}}读本。"
    "欢迎广大市民游客前来观看，感受传统文化的{{独特魅力|独一无二的魅力|absolute_term}}。",
    # 3 景区安全检查
    "为切实做好国庆假期旅游安全工作，市文化和旅游局联合市应急管理局于2025年9月25日至30日"
    "对全市A级旅游景区开展安全检查。检查组重点检查了游乐设施{{安装|按装|confusable}}验收、"
    "消防通道、客流预约等情况，对发现的问题当场反馈并督促整改。检查中发现，个别景区存在安全"
    "管理{{松弛|松驰|confusable}}、应急预案不完善等问题。下一步，各景区要"
    "{{再接再厉|再接再励|confusable}}，压紧压实安全生产主体责任。",
    # 4 假日旅游市场
    "2025年国庆中秋假期，全市假日旅游市场安全平稳有序。据统计，假期全市共接待游客526.8万"
    "人次，实现旅游收入41.2亿元。入境游客中，来自香港特别行政区、澳门特别行政区和"
    "{{台湾地区|台湾国|sovereignty}}的游客同比增长23%。古城景区{{人气较高|最受欢迎|absolute_term}}，"
    "日均接待游客超过8万人次。市文化和旅游局会同市场监管、公安、交通运输等部门开展联合执法"
    "检查，游客可拨打12345政务服务便民热线或0571-87001234反映问题。",
    # 5 旅游度假区申报
    "根据{{文化和旅游部|国家旅游局|outdated_name}}办公厅关于开展国家级旅游度假区申报工作的通知"
    "要求，市文化和旅游局组织开展了2026年度申报推荐工作。经资料审核和实地核查，拟推荐"
    "白鹭湖{{度假区|渡假区|confusable}}申报国家级旅游度假区。公示期为2026年4月20日（星期一）至"
    "4月24日，公示期间如有异议，请以书面形式向市文化和旅游局资源开发处反映。联系人："
    "{{资源开发处|王女士 13857106688|personal_data}}。",
    # 6 党史学习教育
    "市文化和旅游局深入开展{{党史学习教育|党史教育|outdated_name}}，组织党员干部赴市党史教育"
    "基地开展现场教学。局党组书记、局长林知远以“赓续红色血脉 建设文化强市”为题"
    "讲授{{了|了了|punctuation}}专题党课。"
    "大家纷纷表示，要把学习成果转化为推动文化和旅游高质量发展的实际行动，"
    "把实事办到群众心坎上。",
    # 7 一带一路
    "2026年“丝路文化周”将于5月18日在市会展中心开幕。活动以共建"
    "{{“一带一路”倡议|“一带一路”战略|outdated_name}}为主线，邀请沿线国家和地区的艺术团体、"
    "文化机构参加，举办文物展、非遗展和主题论坛。市文化和旅游局副局长苏青禾介绍，本届活动"
    "将首次开设线上展厅，观众可通过https://silk.example.org.cn/expo/2026参观，活动期间还将"
    "发布第一批丝路文旅精品线路{{。|.|punctuation}}欢迎各界朋友参与。",
    # 8 博物馆
    "市博物馆新推出的“城市记忆”基本陈列，以近千件馆藏文物讲述城市的发展历程。展览分为"
    "古代、近代和当代三个部分，其中中华民国时期的老照片和商号账册尤为珍贵。为方便观众参观，"
    "博物馆延长开放时间至每晚20:00，周一闭馆（法定节假日除外）。策展团队"
    "表示，展陈设计力求{{美轮美奂|美仑美奂|confusable}}而不失朴素，让观众在"
    "{{沉浸式|最佳沉浸式|absolute_term}}体验中读懂一座城。",
    # 9 暑期文旅
    "## 一、活动时间\n"
    "2026年7月10日（周五）至8月31日。\n"
    "{{## 二、活动内容|## |punctuation}}\n"
    "暑期期间，全市推出“清凉一夏”文旅惠民系列活动，包括音乐节、露营节、研学旅行等30余项。"
    "各景区要合理设置{{候车|侯车|confusable}}区和遮阳设施，做好游客分流引导。活动详情以"
    "“文旅之城”微信公众号发布{{的|的的|punctuation}}最新信息为准。",
    # 10 文物保护
    "近日，市文物局组织专家对全市文物保护单位开展巡查。巡查发现，个别{{修缮|修茸|confusable}}"
    "工程存在施工组织不规范的问题，相关单位已按要求整改。市文物局提醒，文物保护工程必须由"
    "具有相应资质的单位承担，严禁擅自改变文物原状。此次巡查是贯彻落实国家文物局"
    "部署的具体举措，也{{是|是是|punctuation}}全市文物安全大检查的重要内容。",
    # 11 乡村旅游
    "我市新沟村成功入选联合国旅游组织“最佳旅游乡村”名单，这是继2024年入选全国乡村旅游重点"
    "村后获得的又一殊荣。近年来，新沟村坚持“绿水青山就是金山银山”理念，依托"
    "{{山清水秀|山青水秀|confusable}}的自然风光，发展民宿、农事体验等业态，让游客"
    "{{流连忘返|留连忘返|confusable}}。村党支部书记表示，将继续推广最佳实践"
    "案例经验，{{努力打造|努力打造全网第一的|absolute_term}}乡村旅游样板。",
    # 12 演出市场
    "为规范营业性演出市场秩序，市文化和旅游局于2026年3月20日（星期五）召开全市演出市场"
    "工作会议。会议要求，各演出场所要严格落实实名购票、入场核验等制度，严禁"
    "{{以虚假价格|以“全网最低价”等|absolute_term}}宣传误导消费者。会议还通报了2025年度文化市场"
    "综合执法情况，全年共办理案件186件{{，|,|punctuation}}罚没款87.5万元。",
    # 13 节庆活动
    "第十二届桂花文化节将于2025年10月1日（星期三）在桂花公园开幕，持续至10月8日（"
    "{{星期三|星期四|date}}）。本届文化节以“桂香满城 文旅共融”为主题，推出赏桂游园、"
    "非遗市集、桂花美食评选等系列活动。夜间，公园将通过灯光秀营造{{流光溢彩|流光异彩|confusable}}"
    "的景观效果。主办方提醒，节日期间客流较大，游客{{可以提前|最好提前|}}通过官方平台预约入园。",
    # 14 公共文化服务
    "市文化馆2026年春季公益培训班开始报名。本期共开设书法、声乐、舞蹈、摄影等26个班次，"
    "报名时间为2026年3月1日（星期日）至3月15日（{{星期日|星期六|date}}），报名网址为"
    "https://whg.example.gov.cn/px/2026/03/01。培训全部免费，面向本市常住居民。"
    "{{如有疑问|如有疑问请联系李老师，手机138 5710 2468|personal_data}}，可在工作日拨打"
    "0571-87065432咨询。",
    # 15 旅游投诉
    "2025年第三季度，全市共受理旅游投诉213件，办结率100%。投诉主要集中在合同纠纷、"
    "服务质量和退费等方面。市文化和旅游局提醒广大游客，选择旅行社时应查验经营许可证，"
    "签订规范的旅游合同。{{投诉人|投诉人张某某（身份证号330106198503140520）|personal_data}}"
    "反映的导游强制购物问题，经查属实，涉事旅行社已被依法处罚。",
    # 16 涉台交流
    "第五届海峡两岸文旅交流周于2026年5月1日（星期五）在我市举行。来自台湾地区的文旅业者、"
    "青年学生等200余人参加交流，其中不少是首次来大陆的{{台湾地区|中华民国|sovereignty}}青年。活动期间，两岸嘉宾共同参观了古城历史街区，围绕"
    "{{两岸|两岸三国|sovereignty}}文旅融合发展进行座谈。与会台胞表示，此次交流加深了"
    "对大陆城市发展的认识。",
    # 17 港澳
    "我市与香港特别行政区、澳门特别行政区的文旅合作不断深化。2026年4月18日（"
    "{{星期六|星期日|date}}），由{{香港特别行政区政府|香港政府|sovereignty}}旅游事务署支持的"
    "“港澳文旅推介会”在我市举行。推介会上，双方签署了联合开发“一程多站”旅游线路的"
    "合作备忘录，推动两地游客互送、客源共享。",
    # 18 统计公报
    "根据国家统计局和文化和旅游部联合发布的数据，2025年全市文化及相关产业增加值"
    "占GDP比重达到5.2%。其中，文化制造业、文化批发和零售业、文化服务业分别增长3.1%、4.6%"
    "和8.9%。全年新增规模以上文化企业36家，{{文化产业发展|文化产业发展史无前例|absolute_term}}"
    "势头良好。数据发布时间为2026年1月10日{{|，下一期将于2026年2月30日发布|date}}。",
    # 19 旅行社管理
    "为加强旅行社行业监管，市文化和旅游局于2025年12月1日至12月20日开展旅行社经营行为专项"
    "检查。检查内容包括经营许可、质量保证金、合同签订、导游委派等。检查中，执法人员发现某"
    "旅行社在宣传页面中使用“{{品质|顶级|absolute_term}}纯玩团”等用语，已责令改正。"
    "各旅行社要以此为戒，依法诚信经营{{，|.|punctuation}}共同维护良好的市场秩序。",
    # 20 文明旅游
    "文明旅游是每一位游客的责任。市文化和旅游局倡议：出游时爱护文物古迹和公共设施，"
    "不在景区乱写乱画；遵守公共秩序，文明排队、礼让他人；尊重当地风俗，做文明旅游的"
    "传播者。{{即使|既使|confusable}}在景区人多拥挤的时候，也要保持耐心，"
    "既使得自己心情舒畅，又给他人带来便利。让我们携手共建文明{{的|的的|punctuation}}旅游环境。",
    # 21 数字文旅
    "我市“一部手机游全城”平台已接入全市86家A级旅游景区、1200余家文旅企业。游客通过平台可以"
    "实现预约购票、智慧导览、投诉建议等功能。平台{{部署|布署|confusable}}了客流监测系统，"
    "对重点景区实时预警。下一步，市文化和旅游局将推动平台与住房和城乡建设部"
    "等部门的数据共享，进一步提升服务水平。平台网址：https://app.example.gov.cn/tour。",
    # 22 领导调研
    "2026年6月19日，副市长顾言川带队调研全市文化和旅游工作。市文化和旅游局局长"
    "林知远、副局长苏青禾陪同调研。顾言川一行先后来到市非遗馆、白鹭湖旅游度假区，"
    "详细了解项目建设和运营情况。市非物质文化遗产保护中心主任周望舒汇报了非遗保护传承工作。"
    "顾言川{{副市长|局长|name_title}}强调，要坚持以文塑旅、以旅彰文，推动文化和旅游深度融合。",
    # 23 人事任免
    "经研究，市文化和旅游局召开专题会议，传达学习全省文化和旅游工作会议精神。会议由"
    "{{局长|副局长|name_title}}林知远主持，{{副局长|局长|name_title}}苏青禾传达会议精神。"
    "会议要求，全局上下要紧扣年度目标任务，对照时间节点，确保各项工作落地见效。",
    # 24 非遗保护中心
    "市非物质文化遗产保护中心主任周望舒介绍，2025年全市新增省级非遗代表性项目8项，"
    "第一批市级非遗工坊已挂牌运营。周望舒{{主任|馆长|name_title}}表示，下一步将实施非遗"
    "记录工程，为国家级代表性传承人建立数字档案。此外，中心还将联合中小学开展"
    "“非遗进校园”活动{{，|,|punctuation}}让更多青少年了解和喜爱传统文化。",
    # 25 招商推介
    "2026年文化和旅游招商推介会于11月20日（星期五）举行。推介会发布了白鹭湖康养度假区、"
    "古城夜游综合体等28个重点招商项目，总投资超过320亿元。推介会上，市文化和旅游局"
    "{{副局长苏青禾|局长苏青禾|name_title}}介绍了全市文旅产业发展优势。与会企业表示，"
    "我市文旅资源丰富、营商环境{{优良|最优|absolute_term}}，投资前景广阔。",
    # 26 森林旅游
    "白云山国家森林公园位于我市西北部，森林覆盖率达92%，是{{国家林业和草原局|国家林业局|outdated_name}}"
    "命名的森林康养基地。公园内古木参天、{{鬼斧神工|鬼斧神功|confusable}}的奇石随处可见。"
    "秋季是观赏红叶的{{好时节|首选时节|absolute_term}}，预计今年红叶观赏期为2025年11月1日至"
    "11月20日。公园管理处提醒游客注意森林防火。",
    # 27 生态环境
    "为保护景区生态环境，白鹭湖旅游度假区联合{{生态环境部门|环保部|outdated_name}}开展湖区水质"
    "监测和候鸟栖息地保护工作。每年冬季，大批候鸟在此越冬，吸引众多摄影爱好者。度假区管委会"
    "提醒，观鸟时请与鸟类保持安全距离，不投喂、不惊扰。观鸟季为2025年12月1日至2026年2月"
    "{{28日|29日|date}}。",
    # 28 边境文旅
    "我市与东盟国家文化和旅游交流日益密切。2026年“中国—东盟文旅周”期间，"
    "{{南海|南中国海|sovereignty}}沿岸国家的20余个艺术团体来我市演出。文旅周还举办了"
    "东盟国家美食节和手工艺品展，吸引市民游客15万人次。活动详情见"
    "https://asean.example.gov.cn/2026/06/01/week.html，活动时间为2026年6月1日（"
    "{{星期一|星期二|date}}）至6月7日。",
    # 29 滑雪旅游
    "入冬以来，我市冰雪旅游持续升温。各滑雪场严格落实安全管理制度，加强雪道巡查和救护力量"
    "配备。市文化和旅游局提醒，滑雪爱好者应根据自身水平选择合适{{的|的的|punctuation}}雪道，"
    "正确使用护具。今年冰雪季定于2025年12月20日（星期六）开板，"
    "{{2026年3月1日|2026-03-01|date}}结束，2026年1月1日起推出夜场滑雪。",
    # 30 资金申报
    "关于申报2026年度市级文化和旅游发展专项资金的通知\n"
    "各区县文化和旅游局：\n"
    "为推动文化和旅游产业高质量发展，现启动2026年度市级专项资金申报工作。申报截止时间为"
    "2026年4月30日{{|（2026-04-31）|date}}。申报材料一式三份，报送市文化和旅游局产业发展处。"
    "专项资金实行专款专用，获得资助的单位须于项目完成后提交绩效报告。"
    "{{资金拨付账户以申报书为准|资金拨付至6222021001123456789账户|personal_data}}。",
    # 31 新冠相关(历史回顾)
    "回顾近年工作，我市文旅行业经受住了{{新冠病毒感染|新冠肺炎|outdated_name}}疫情的严峻考验。"
    "全市文旅系统统筹抓好疫情防控和复工复产，出台纾困政策18条，发放文旅消费券2.3亿元。"
    "进入2025年，全市接待游客人次已恢复至2019年同期的118%，文旅市场展现出强大韧性。",
    # 32 出境游提示
    "暑期出境旅游出行提示：游客出境前应了解目的地国家和地区的法律法规、风俗习惯，"
    "妥善保管护照等证件。如需办理签证，请提前预约。赴港澳旅游须持有效的往来港澳通行证，"
    "请勿相信{{“低价游”|“最低价”旅游团|absolute_term}}宣传。游客可关注"
    "{{澳门特别行政区政府|澳门政府|sovereignty}}旅游局发布的最新信息。",
    # 33 公共图书馆
    "市图书馆新馆将于2026年10月1日（星期四）正式开放。新馆建筑面积4.2万平方米，设有"
    "少儿阅览区、古籍阅览室、数字体验区等功能区域，藏书量达300万册。新馆设计"
    "融合{{了|了了|punctuation}}传统园林元素与现代建筑风格。开馆期间将举办“书香满城”系列阅读活动，"
    "具体安排请关注市图书馆官方网站{{|《|punctuation}}。",
    # 34 文化市场执法
    "市文化市场综合行政执法支队近日开展网吧、娱乐场所专项整治行动，共检查经营场所146家次。"
    "执法人员发现，一家网吧未按规定核对登记上网消费者身份信息，登记簿上还记录有上网人员"
    "{{信息|身份证号44030420011125168X|personal_data}}，且未采取保护措施。支队已依法"
    "立案调查，并责令其限期整改。",
    # 35 历史街区
    "历史文化街区保护利用工作取得新进展。市住房和城乡建设局会同市文化和旅游局编制了"
    "《历史文化街区保护利用导则》，明确了修缮标准和业态准入要求。导则提出，要让街区"
    "{{名副其实|名符其实|confusable}}地成为城市文化客厅。街区内的老字号商铺将于2026年5月5日"
    "（{{星期二|星期三|date}}）集中开业，届时将举办开街仪式。",
    # 36 文旅惠民卡
    "2026年文旅惠民卡即日起发行，持卡人可在一年内不限次数游览全市28家景区。惠民卡售价"
    "98元，{{每人限购一张|每人限购一张，咨询电话13957112345|personal_data}}。办卡需提供"
    "本人有效身份证件，未成年人可由监护人代办。惠民卡使用期限截至2027年4月30日。"
    "更多信息请访问https://card.example.gov.cn。",
    # 37 乡村振兴
    "在{{农业农村部门|农业部|outdated_name}}和文旅部门的共同支持下，我市实施乡村旅游提质"
    "工程，培育乡村旅游重点村32个。各村坚持因地制宜，发展农家乐、民宿和研学基地，带动"
    "村民人均增收3600元。村民代表表示，在{{|在|punctuation}}家门口就能端上"
    "“旅游饭碗”，日子越过越红火。",
    # 38 演出季
    "2026年新年音乐会演出季于2026年1月1日（星期四）拉开帷幕，共安排交响乐、民族音乐、"
    "戏曲等演出24场。{{市文化和旅游局|市旅游局|outdated_name}}相关负责人表示，演出季将为"
    "市民提供{{丰富|极致丰富|absolute_term}}的文化大餐。演出票务信息详见"
    "{{《|《|punctuation}}演出季节目单{{》||}}，部分场次设有公益惠民票。",
    # 39 省厅文件转发
    "根据{{省文化和旅游厅|省文化厅|outdated_name}}《关于做好2026年春节假期文化和旅游工作的通知》"
    "要求，现将有关事项通知如下：一是加强安全生产，2026年2月16日（星期一）前完成节前"
    "安全检查{{；|;|punctuation}}二是丰富产品供给，组织开展“村晚”等群众文化活动；三是"
    "做好值班值守，严格执行领导带班和24小时值班制度。",
    # 40 讲解员大赛
    "第三届全市金牌讲解员大赛决赛于2025年11月15日（星期六）举行。来自全市博物馆、景区的"
    "32名讲解员同台竞技，决赛围绕红色文化、非遗传承等主题展开。经过激烈角逐，市博物馆"
    "讲解员陈一帆获得一等奖。评委表示，选手们的讲解{{生动|生动、世界第一|absolute_term}}，"
    "展现了我市讲解员队伍的专业水平。获奖名单将于2025年11月{{20日|31日|date}}公布。",
    # 41 志愿者招募
    "关于招募2026年“文化进万家”志愿者的公告\n"
    "为丰富基层群众文化生活，市文化馆面向社会招募文化志愿者100名。报名时间为2026年3月1日至"
    "3月20日，报名者须年满18周岁，热心公益事业，具有一定的文艺特长。报名表可从"
    "https://whg.example.gov.cn/zyz下载，填写后发送至指定邮箱。上期志愿者{{|李某某|}}的服务时长"
    "已录入系统{{|，身份证号11010519920718004X|personal_data}}"
    "{{|，联系电话139-5711-2233|personal_data}}。",
    # 42 补贴公示
    "文旅消费券补贴资金拨付公示：根据2025年文旅消费季活动安排，市文化和旅游局拟对参与活动的"
    "42家企业拨付补贴资金共计356万元。公示期为2025年12月1日（星期一）至12月5日（"
    "{{星期五|星期四|date}}）。对公示结果有异议的，请在公示期内向市文化和旅游局财务科反映"
    "{{|，或拨打联系人手机15067123456|personal_data}}。补贴资金由财政部门直接拨付"
    "{{|至6217 0012 3456 7890 122等账户|personal_data}}。",
    # 43 中国旅游日
    "关于开展2025年“5·19中国旅游日”系列活动的通知：今年中国旅游日主题为“美好生活 度假旅游”。"
    "活动时间为2025年5月19日（星期一）至5月25日，各景区要在{{2025年5月10日|2025年4月31日|date}}"
    "前报送优惠措施。主会场活动定于5月19日上午9:30举行，分会场活动安排在"
    "{{2025年5月20日|2025/5/20|date}}(周二)。",
    # 44 工作会议
    "2026年全市文化和旅游工作会议要求，要积极对接{{自然资源部|国土资源部|outdated_name}}、"
    "{{国家市场监督管理总局|国家质检总局|outdated_name}}等部门，推动文旅用地保障和旅游服务质量"
    "提升。要按照{{国家卫生健康委员会|国家卫生计生委|outdated_name}}和文化和旅游部相关要求，"
    "推进中医药健康旅游示范基地建设。要拓展入境旅游市场，"
    "{{吸引更多境内外游客|吸引日本、韩国、台湾等国家的游客|sovereignty}}来我市观光度假。",
    # 45 两岸文物展
    "“海峡两岸文物精品展”将于2026年9月25日（星期五）在市博物馆开幕，展出两岸博物馆珍藏的"
    "书画、瓷器等文物80余件，其中还有一批中华民国时期的名人信札。展品中包括"
    "{{台湾大学|国立台湾大学|sovereignty}}图书馆藏善本古籍的高清复制件。展览期间，"
    "{{台湾地区|中华民国|sovereignty}}的文博专家将来我市开展学术交流。",
    # 46 表彰大会
    "全市文化和旅游系统先进集体和先进个人表彰大会于2025年12月31日（星期三）召开。"
    "会上，苏青禾同志（{{市文化和旅游局副局长|市文化馆馆长|name_title}}）代表获奖集体发言，"
    "周望舒{{主任|局长|name_title}}宣读了表彰决定。大会号召全系统干部职工"
    "{{一如既往|一如继往|confusable}}地爱岗敬业、担当作为。",
    # 47 工作方案
    "## 三、工作要求\n"
    "各单位要高度重视，明确责任分工，确保各项任务按时完成。2026年7月1日（周三）前报送工作"
    "进展情况{{。|.|punctuation}}\n"
    "{{## 四、联系方式|##|punctuation}}\n"
    "联系人：市文化和旅游局办公室，电话0571-87001234。",
    # 48 系统维护公告
    "系统维护公告：2026-05-20 22:00至2026-05-21 06:00，“文旅之城”平台将进行系统升级。升级期间"
    "预约购票功能暂停使用，已预约订单不受影响。下次维护计划于2026-06-30进行。"
    "{{2026-06-01|2026年6月1日|date}}起，平台新增多语种导览功能。",
    # 49 机构沿革
    "2018年，原国家旅游局与原文化部的职责整合，组建文化和旅游部。近日，"
    "{{文化和旅游部|文旅部|outdated_name}}公布了第一批国家级旅游休闲街区名单，我市古城历史"
    "文化街区榜上有名。街区将与{{交通运输部门|交通部|outdated_name}}合作开通旅游专线，"
    "各文旅部门要做好宣传推广。",
]

_MARK = re.compile(r"\{\{(.*?)\|(.*?)\|(.*?)\}\}")


def build_one(source: str) -> dict:
    """Clean text, erroneous text and labels for one marked-up paragraph."""
    clean: list[str] = []
    wrong: list[str] = []
    errors = []
    pos = 0
    offset = 0  # length of the erroneous text so far
    for m in _MARK.finditer(source):
        plain = source[pos : m.start()]
        clean.append(plain)
        wrong.append(plain)
        offset += len(plain)
        right, bad, category = m.groups()
        clean.append(right)
        wrong.append(bad)
        if category:
            if category not in CATEGORIES:
                raise ValueError(f"unknown category {category!r} in {source[:30]}...")
            errors.append(
                {"category": category, "start": offset, "end": offset + len(bad), "text": bad}
            )
        offset += len(bad)
        pos = m.end()
    clean.append(source[pos:])
    wrong.append(source[pos:])
    text = "".join(wrong)
    for error in errors:
        assert text[error["start"] : error["end"]] == error["text"]
    if "{{" in text or "}}" in text:
        raise ValueError(f"unbalanced markup in {source[:30]}...")
    return {"clean": "".join(clean), "text": text, "errors": errors}


def part_of(item_id: int) -> str:
    """``tuning`` or ``heldout``: a fixed function of the id and the seed, nothing else."""
    if item_id in HELDOUT2_IDS or item_id in HELDOUT3_IDS:
        return "heldout"
    if item_id < FIRST_SPLIT_ID or item_id in TUNING2_IDS:
        return "tuning"
    digest = hashlib.sha256(f"{SPLIT_SEED}:{item_id}".encode()).digest()
    return "heldout" if int.from_bytes(digest[:8], "big") / 2**64 < HELDOUT_SHARE else "tuning"


def batch_of(item_id: int) -> int:
    """The held-out batch of an item: 1 (hashed from notices.txt), 2 (heldout2.txt),
    3 (heldout3.txt), or 0 for a tuning item."""
    if part_of(item_id) == "tuning":
        return 0
    if item_id in HELDOUT3_IDS:
        return 3
    return 2 if item_id in HELDOUT2_IDS else 1


def notices(path: Path = NOTICES) -> list[tuple[int, str]]:
    """(id, marked-up source) of every item in a file like notices.txt."""
    items: list[tuple[int, str]] = []
    lines: list[str] = []
    item_id = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and item_id is None:
            continue
        m = re.fullmatch(r"=== (\d+)", line)
        if m:
            if item_id is not None:
                items.append((item_id, "\n".join(lines).strip("\n")))
            item_id, lines = int(m.group(1)), []
        elif item_id is not None:
            lines.append(line)
    if item_id is not None:
        items.append((item_id, "\n".join(lines).strip("\n")))
    return items


# Sanity checks of the clean texts, by means of their own (not the checker's): a
# weekday after a full date must be that date's, and no long digit run may be left.
_DATED_WEEKDAY = re.compile(
    r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日[（(](?:星期|周)([一二三四五六日天])"
)
_WEEKDAYS = "一二三四五六日"


def check_clean(item_id: int, clean: str) -> None:
    for m in _DATED_WEEKDAY.finditer(clean):
        y, mo, d, w = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        actual = _WEEKDAYS[calendar.weekday(y, mo, d)]
        if w.replace("天", "日") != actual:
            raise ValueError(f"item {item_id}: {m.group()} is a 星期{actual}")
    if re.search(r"[0-9]{11}", clean):
        raise ValueError(f"item {item_id}: a long digit run in the clean text")


def build() -> list[dict]:
    sources = [(i + 1, src) for i, src in enumerate(SOURCES)] + notices()
    for path, ids in (
        (HELDOUT2, HELDOUT2_IDS),
        (TUNING2, TUNING2_IDS),
        (HELDOUT3, HELDOUT3_IDS),
    ):
        for item_id, src in notices(path):
            if item_id not in ids:
                raise ValueError(f"item {item_id} of {path.name} is outside its id range")
            sources.append((item_id, src))
    ids = [item_id for item_id, _ in sources]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate item id")
    corpus = []
    for item_id, src in sources:
        item = build_one(src)
        check_clean(item_id, item["clean"])
        corpus.append({"id": item_id, "part": part_of(item_id), "batch": batch_of(item_id), **item})
    return corpus


def main() -> None:
    corpus = build()
    OUT.write_text(json.dumps(corpus, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for item in corpus:
        for error in item["errors"]:
            counts[error["category"]] = counts.get(error["category"], 0) + 1
    total = sum(counts.values())
    print(f"wrote {OUT.name}: {len(corpus)} paragraphs, {total} labelled errors")
    for category, n in sorted(counts.items()):
        print(f"  {category:15} {n}")
    for part in ("tuning", "heldout"):
        items = [item for item in corpus if item["part"] == part]
        labels = sum(len(item["errors"]) for item in items)
        print(f"{part:8} {len(items):4} paragraphs, {labels:4} labelled errors")
    for batch in (1, 2, 3):
        items = [item for item in corpus if item["batch"] == batch]
        labels = sum(len(item["errors"]) for item in items)
        print(f"held-out batch {batch}: {len(items):4} paragraphs, {labels:4} labelled errors")


if __name__ == "__main__":
    main()
