"""Generate a library of fictional Chinese policy documents for scale tests and benchmarks.

    python scripts/make_library.py OUT_DIR --docs 200 [--seed 7] [--articles 20] [--extra 1]

Writes `<doc_id>.txt` (one paragraph per line) and `<doc_id>.meta.json` (DocumentMeta fields) per
document into OUT_DIR, and `questions.json` beside them (or `--questions PATH`): ~50 questions,
each answered by exactly one generated article, with the expected (doc_id, article).

The documents are written from templates in six structural styles, the ones the parser knows:

* `arabic`       `1、heading。body(责任单位:…)` items after a consultation notice (like corpus/*.txt);
* `cn_heading`   an issuing notice with 文号, then `一、heading` lines followed by body paragraphs;
* `tiao_chapters` `第一章 总则` chapters with `第一条` articles and 牵头单位/配合单位 lines;
* `parts`        `一.总体要求` parts with `(一)…` items numbered across parts, some with `1.` items;
* `tiao_flat`    `第一条` articles without chapters (a 管理办法);
* `cn_inline`    `一、heading。body` on one line.

Places are cities, districts and counties of Zhejiang (from the project's gazetteer); industries
range from robots and AI to biomedicine, new materials, logistics and tourism. Measures carry
figures (thresholds, rates, caps), department clauses and statuses (正式 / 征求意见稿; a few
documents come as a draft and the final version that replaces it). Every generated text is
checked with `assistant.ingest.parsing.parse_policy` (at least 15 articles, each 120–300 characters).
The output depends only on the arguments (same seed → same bytes).

`--extra K` also writes K more documents into `--extra-dir` (default OUT_DIR/../incoming), not
part of the library: material for timing an incremental `add`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.models import DocumentMeta  # noqa: E402
from assistant.ingest.parsing import parse_policy  # noqa: E402

MIN_CHARS, MAX_CHARS = 120, 300
"""Length of every generated article (its parsed text)."""
MIN_ARTICLES = 15

STYLES = ("arabic", "cn_heading", "tiao_chapters", "parts", "tiao_flat", "cn_inline")

# --------------------------------------------------------------------------- places
# (city, code, [(district or county, code)]): names as in assistant/data/places.tsv.
PLACES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("杭州市", "hangzhou", (("上城区", "shangcheng"), ("拱墅区", "gongshu"), ("西湖区", "xihu"),
                          ("滨江区", "binjiang"), ("萧山区", "xiaoshan"), ("余杭区", "yuhang"),
                          ("富阳区", "fuyang"), ("桐庐县", "tonglu"), ("淳安县", "chunan"),
                          ("建德市", "jiande"))),
    ("宁波市", "ningbo", (("海曙区", "haishu"), ("江北区", "jiangbei"), ("北仑区", "beilun"),
                        ("镇海区", "zhenhai"), ("鄞州区", "yinzhou"), ("象山县", "xiangshan"),
                        ("宁海县", "ninghai"), ("余姚市", "yuyao"), ("慈溪市", "cixi"))),
    ("温州市", "wenzhou", (("鹿城区", "lucheng"), ("龙湾区", "longwan"), ("瓯海区", "ouhai"),
                         ("洞头区", "dongtou"), ("永嘉县", "yongjia"), ("平阳县", "pingyang"),
                         ("苍南县", "cangnan"), ("瑞安市", "ruian"), ("乐清市", "yueqing"))),
    ("嘉兴市", "jiaxing", (("南湖区", "nanhu"), ("秀洲区", "xiuzhou"), ("嘉善县", "jiashan"),
                         ("海盐县", "haiyan"), ("海宁市", "haining"), ("平湖市", "pinghu"),
                         ("桐乡市", "tongxiang"))),
    ("湖州市", "huzhou", (("吴兴区", "wuxing"), ("南浔区", "nanxun"), ("德清县", "deqing"),
                        ("长兴县", "changxing"), ("安吉县", "anji"))),
    ("绍兴市", "shaoxing", (("越城区", "yuecheng"), ("柯桥区", "keqiao"), ("上虞区", "shangyu"),
                          ("新昌县", "xinchang"), ("诸暨市", "zhuji"), ("嵊州市", "shengzhou"))),
    ("金华市", "jinhua", (("婺城区", "wucheng"), ("金东区", "jindong"), ("武义县", "wuyi"),
                        ("浦江县", "pujiang"), ("兰溪市", "lanxi"), ("义乌市", "yiwu"),
                        ("东阳市", "dongyang"), ("永康市", "yongkang"))),
    ("衢州市", "quzhou", (("柯城区", "kecheng"), ("衢江区", "qujiang"), ("常山县", "changshan"),
                        ("开化县", "kaihua"), ("龙游县", "longyou"), ("江山市", "jiangshan"))),
    ("舟山市", "zhoushan", (("定海区", "dinghai"), ("岱山县", "daishan"), ("嵊泗县", "shengsi"))),
    ("台州市", "taizhou", (("椒江区", "jiaojiang"), ("黄岩区", "huangyan"), ("路桥区", "luqiao"),
                         ("三门县", "sanmen"), ("天台县", "tiantai"), ("仙居县", "xianju"),
                         ("温岭市", "wenling"), ("临海市", "linhai"))),
    ("丽水市", "lishui", (("莲都区", "liandu"), ("青田县", "qingtian"), ("缙云县", "jinyun"),
                        ("遂昌县", "suichang"), ("松阳县", "songyang"), ("龙泉市", "longquan"))),
)
AREA_CODES = {"杭州市": "571", "宁波市": "574", "温州市": "577", "嘉兴市": "573", "湖州市": "572",
              "绍兴市": "575", "金华市": "579", "衢州市": "570", "舟山市": "580", "台州市": "576",
              "丽水市": "578"}
DOC_NUMBER_PREFIX = {"杭州市": "杭", "宁波市": "甬", "温州市": "温", "嘉兴市": "嘉", "湖州市": "湖",
                     "绍兴市": "绍", "金华市": "金", "衢州市": "衢", "舟山市": "舟", "台州市": "台",
                     "丽水市": "丽"}


@dataclass(frozen=True)
class Place:
    city: str
    district: str  # '' for the city itself
    code: str

    @property
    def full(self) -> str:
        """湖州市吴兴区 / 湖州市 / 义乌市 (a county-level city is named on its own)."""
        if not self.district:
            return self.city
        if self.district.endswith("市"):
            return self.district
        return self.city + self.district

    @property
    def short(self) -> str:
        """吴兴区 / 湖州 / 义乌."""
        if not self.district:
            return self.city[:-1]
        return self.district[:-1] if self.district.endswith("市") else self.district

    @property
    def level(self) -> str:
        """区 / 县 / 市: the prefix of its departments (区经信局)."""
        return self.district[-1] if self.district else "市"


def all_places() -> list[Place]:
    out = []
    for city, ccode, districts in PLACES:
        out.append(Place(city, "", ccode))
        for name, dcode in districts:
            out.append(Place(city, name, f"{ccode}-{dcode}"))
    return out


# --------------------------------------------------------------------------- industries
@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    products: tuple[str, str, str, str]
    scene: str
    platform: str
    lead: str
    """Lead department (without the level prefix)."""
    first: str = ""
    """Kind of first-of-its-kind recognition (首台(套), 首批次, 首版次), '' when none applies."""


INDUSTRIES: tuple[Industry, ...] = (
    Industry("robot", "智能机器人", ("人形机器人", "协作机器人", "精密减速器", "灵巧手"),
             "智能制造、医疗康养、商贸物流", "机器人中试验证平台", "经信局", "首台(套)"),
    Industry("ai", "人工智能", ("行业大模型", "智能体应用", "智能算力服务", "端侧AI芯片"),
             "政务服务、智慧医疗、智能制造", "人工智能开放创新平台", "数据资源局", "首版次"),
    Industry("biomed", "生物医药", ("创新药", "改良型新药", "高端医疗器械", "细胞治疗产品"),
             "智慧医院、基层医疗、健康养老", "生物医药公共技术服务平台", "科技局", "首台(套)"),
    Industry("materials", "新材料", ("碳纤维复合材料", "高性能膜材料", "电子化学品", "特种合金"),
             "新能源装备、电子信息、航空航天", "新材料中试基地", "经信局", "首批次"),
    Industry("logistics", "现代物流", ("智慧仓储系统", "冷链物流设施", "多式联运线路", "无人配送车"),
             "港口集疏运、城市配送、冷链运输", "物流公共信息平台", "商务局"),
    Industry("tourism", "文化旅游", ("精品民宿", "研学旅行", "A级景区", "夜间文旅消费集聚区"),
             "乡村旅游、研学教育、演艺娱乐", "智慧文旅服务平台", "文广旅体局"),
    Industry("ic", "集成电路", ("先进封装测试", "车规级芯片", "EDA工具", "功率半导体"),
             "汽车电子、工业控制、智能终端", "集成电路公共设计服务平台", "经信局", "首版次"),
    Industry("nev", "新能源汽车", ("动力电池", "电驱动系统", "智能网联汽车", "公共充电桩"),
             "城市公交、网约出行、港口运输", "新能源汽车检验检测中心", "经信局", "首台(套)"),
    Industry("ecom", "跨境电商", ("海外仓", "独立站", "跨境电商综合服务平台", "跨境直播基地"),
             "外贸转型、品牌出海、数字贸易", "跨境电商公共服务平台", "商务局"),
    Industry("lowalt", "低空经济", ("工业级无人机", "eVTOL航空器", "通用机场起降点", "低空物流航线"),
             "应急救援、城市配送、文旅观光", "低空飞行服务平台", "发改局", "首台(套)"),
    Industry("agri", "智慧农业", ("数字农场", "智能农机装备", "农产品冷链仓储", "植物工厂"),
             "粮食生产、设施园艺、畜牧水产", "农业科技服务平台", "农业农村局", "首台(套)"),
    Industry("marine", "海洋经济", ("海洋工程装备", "绿色智能船舶", "远洋渔业船队", "海水淡化装备"),
             "港航物流、海上风电、远洋渔业", "海洋科技创新平台", "经信局", "首台(套)"),
    Industry("textile", "现代纺织", ("功能性面料", "数码印花", "绿色印染工艺", "产业用纺织品"),
             "时尚服装、医疗防护、汽车内饰", "纺织面料检测服务平台", "经信局", "首批次"),
    Industry("hydrogen", "氢能", ("燃料电池电堆", "加氢站", "电解水制氢装备", "氢燃料电池汽车"),
             "物流运输、港口作业、分布式供能", "氢能检测认证平台", "发改局", "首台(套)"),
)


# --------------------------------------------------------------------------- measures
@dataclass(frozen=True)
class Measure:
    """One kind of article: its heading, a lead-in, the measure itself, the questions it answers."""

    key: str
    heading: str
    core: str
    questions: tuple[str, ...] = ()
    figures: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    depts: tuple[str, ...] = ("lead",)
    group: str = "apply"
    """Chapter of a 第一章-style document: innov, grow, apply."""
    lead_in: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    """Industries it applies to (empty: all)."""
    needs_first: bool = False


def M(key: str, heading: str, core: str, questions: tuple[str, ...] | list[str] = (),
      depts: tuple[str, ...] = ("lead",), group: str = "apply", lead_in: tuple[str, ...] = (),
      only: tuple[str, ...] = (), needs_first: bool = False, **figures: tuple[Any, ...]) -> Measure:
    return Measure(key, heading, core, tuple(questions), figures, depts, group, lead_in, only,
                   needs_first)


GENERIC: tuple[Measure, ...] = (
    M("first", "支持{first}产品推广",
      "对经认定的{p1}{first}产品,以认定之日起{m}个月内对非关联方的累计销售额为基数,按销售额的{rate}%给予奖励,单个产品最高{cap}万元。",
      ["{P}经认定的{p1}{first}产品最高奖励多少?", "{P}{p1}{first}产品奖励按销售额的多少比例计算?"],
      ("lead", "fin"), "innov", ("为加快{ind}创新产品推广应用,", "鼓励企业开展{p1}研制和迭代升级。"),
      needs_first=True, m=(12, 18, 24), rate=(5, 8, 10, 15), cap=(100, 200, 300, 500, 800)),
    M("purchase", "鼓励首购首用",
      "对{here}用户单位首次采购非关联企业生产的{p2}产品用于生产经营,单个合同金额达到{thr}万元(含)以上的,按合同实际支付金额的{rate}%给予补助,单个用户单位每年最高{cap}万元。",
      ["{P}用户单位首次采购{p2}产品的补助比例是多少?", "{P}首购{p2}的用户单位每年最多补助多少?"],
      ("lead", "commerce"), "apply", ("推动{ind}产品在本地率先应用,",),
      thr=(30, 50, 100, 200), rate=(8, 10, 15, 20), cap=(50, 100, 150, 200, 300)),
    M("rnd", "加大研发投入支持",
      "对上年度研发费用达到{thr}万元(含)以上且研发费用占营业收入比重不低于{pct}%的{ind}企业,按其研发费用较上一年度增长部分的{rate}%给予补助,单家企业每年最高{cap}万元。",
      ["{P}{ind}企业研发费用增长部分按多少比例补助?", "{P}{ind}企业研发投入补助的门槛是研发费用多少?"],
      ("sci", "fin"), "innov", ("强化企业科技创新主体地位,", "引导{ind}企业持续加大研发投入。"),
      thr=(300, 500, 1000, 2000), pct=(3, 4, 5, 6), rate=(10, 15, 20), cap=(100, 200, 300, 500)),
    M("project_match", "支持承担重大科技项目",
      "对{ind}企业牵头承担国家级、省级重大科技专项或产业化项目的,分别按照上级实际到位资金的{a}%、{b}%给予配套支持,单个项目配套资金最高{cap}万元;同一项目获得多级资助的,按就高原则配套一次。",
      ["{P}{ind}企业承担国家级重大科技专项的配套比例是多少?", "{P}{ind}省级科技项目配套资金按多少比例给?"],
      ("sci", "fin"), "innov", ("鼓励企业参与国家和省重大科技任务,",),
      a=(40, 50), b=(20, 25, 30), cap=(300, 500, 1000)),
    M("platform_award", "建设高能级创新平台",
      "对新认定的{ind}领域国家级、省级重点实验室、技术创新中心、企业技术中心等创新平台,分别给予一次性奖励{a}万元、{b}万元;由省级晋升为国家级的,按照差额给予奖励。",
      ["{P}新认定国家级{ind}创新平台奖励多少?", "{P}{ind}领域省级重点实验室奖励多少万元?"],
      ("sci", "lead"), "innov", ("支持龙头企业联合高校院所建设创新平台,",),
      a=(300, 500, 1000), b=(50, 100, 200)),
    M("capex", "支持产业化项目建设",
      "对{ind}产业化项目实际设备投资额达到{thr}万元(含)以上的,按设备投资额(不含土地、厂房)的{rate}%给予补助,单个项目最高{cap}万元,分{years}年拨付。",
      ["{P}{ind}产业化项目设备投资补助比例是多少?", "{P}{ind}项目设备投资达到多少万元可以申请补助?"],
      ("lead", "invest", "fin"), "grow", ("将{ind}重大项目列入重点招引清单,", "加快{p3}等产业化项目落地。"),
      thr=(500, 1000, 2000, 3000), rate=(8, 10, 12, 15, 20), cap=(500, 1000, 2000, 3000), years=(2, 3)),
    M("rent", "降低企业用房成本",
      "对新引进的{ind}企业租用{here}产业用房用于研发、生产的,前两年按照每平方米每月{rent}元给予租金补贴,第三年减半,补贴面积最高{area}平方米;补贴标准高于实际租金的,按照实际租金给予补贴。",
      ["{P}新引进{ind}企业租金补贴每平方米每月多少钱?", "{P}{ind}企业租房补贴面积最多多少平方米?"],
      ("invest", "fin"), "grow", ("加大{ind}企业招引力度,",),
      rent=(15, 20, 25, 30), area=(1000, 1500, 2000, 3000)),
    M("revenue", "鼓励企业做大做强",
      "对{ind}企业年度营业收入首次突破{a}亿元、5亿元、{c}亿元的,分别给予一次性奖励{x}万元、100万元、{z}万元;企业晋档的,按照差额给予奖励,同一档次只享受一次。",
      ["{P}{ind}企业营业收入首次突破{c}亿元奖励多少?", "{P}{ind}企业营收首次过{a}亿元能拿多少奖励?"],
      ("lead", "stat"), "grow", ("支持{ind}骨干企业做大做强,",),
      a=(1, 2), c=(10, 20), x=(30, 50), z=(200, 300)),
    M("srdi", "培育专精特新企业",
      "对新认定为国家级专精特新“小巨人”企业、省级专精特新中小企业的{ind}企业,分别给予一次性奖励{a}万元、{b}万元;对新认定的国家级制造业单项冠军企业,给予一次性奖励{c}万元。",
      ["{P}{ind}企业被认定为专精特新小巨人奖励多少?", "{P}{ind}单项冠军企业奖励多少万元?"],
      ("lead",), "grow", ("建立{ind}优质企业培育库,实行动态管理。",),
      a=(50, 100, 150), b=(10, 20, 30), c=(100, 200, 300)),
    M("ipo", "支持企业上市融资",
      "对{ind}企业在境内外证券交易所首发上市的,按照辅导备案、申报受理、成功上市三个阶段分别给予奖励,累计最高{cap}万元;对在区域性股权市场挂牌并完成股权融资的,给予{a}万元奖励。",
      ["{P}{ind}企业首发上市累计最高奖励多少?", "{P}{ind}企业区域性股权市场挂牌融资奖励多少?"],
      ("finance", "fin"), "grow", ("推动{ind}企业对接多层次资本市场,",),
      cap=(300, 500, 800, 1000), a=(10, 20, 30)),
    M("talent_phd", "加强青年人才引育",
      "对{ind}企业新引进并全职工作的博士研究生,自入职之日起给予每人每年{a}万元生活补贴,连续补贴{years}年;对新引进的硕士研究生,给予每人每年{b}万元生活补贴。",
      ["{P}{ind}企业新引进博士每年生活补贴多少?", "{P}{ind}企业引进硕士研究生有什么补贴?"],
      ("talent", "hr"), "grow", ("将{ind}关键岗位列入紧缺人才目录,",),
      a=(3, 5, 6, 8), b=(1, 2, 3), years=(2, 3, 5)),
    M("talent_team", "引进高层次人才团队",
      "对引进的{ind}领域顶尖人才团队,经评审认定后给予最高{cap}万元项目资助;对入选{lvl}级领军人才计划的个人,给予{a}万元安家补贴,分{years}年发放。",
      ["{P}{ind}顶尖人才团队最高资助多少?", "{P}{ind}领军人才安家补贴多少万元?"],
      ("talent", "sci"), "grow", ("实施{ind}高层次人才集聚工程,",),
      cap=(500, 1000, 2000, 3000), a=(50, 80, 100), years=(3, 5)),
    M("skills", "强化技能人才培养",
      "支持{ind}企业与职业院校共建实训基地,开展订单式培养。对企业组织职工参加{ind}相关职业技能等级认定并取得证书的,按每人{a}元给予培训补贴,单家企业每年最高{cap}万元。",
      ["{P}{ind}职业技能等级认定培训补贴每人多少钱?"],
      ("hr", "edu"), "grow", (),
      a=(500, 800, 1000, 1500), cap=(10, 20, 30, 50)),
    M("standard", "支持标准制定",
      "对主导制定{ind}领域国际标准、国家标准、行业标准的企业,每项分别给予一次性奖励{a}万元、{b}万元、{c}万元;同一标准由多家企业共同主导制定的,奖励资金由牵头企业按照贡献分配。",
      ["{P}主导制定{ind}国际标准奖励多少?", "{P}牵头制定{ind}行业标准每项奖励多少?"],
      ("market",), "innov", ("鼓励企业参与{ind}标准体系建设,",),
      a=(80, 100), b=(30, 50), c=(10, 20)),
    M("patent", "提升知识产权水平",
      "对{ind}企业新获授权的发明专利,每件给予{a}万元资助;通过专利合作条约(PCT)途径获得境外授权的发明专利,每件给予{b}万元资助,单家企业每年最高{cap}万元。",
      ["{P}{ind}企业PCT境外授权发明专利每件资助多少?"],
      ("market",), "innov", ("加强{ind}领域高价值专利培育,",),
      a=(0.5, 1, 2), b=(3, 5, 8), cap=(30, 50, 100)),
    M("loan", "加大金融支持力度",
      "对{ind}企业用于技术改造和研发活动的银行贷款,按照贷款市场报价利率(LPR)的{rate}%给予贴息,单家企业每年最高贴息{cap}万元,贴息期限不超过{years}年。",
      ["{P}{ind}企业技术改造贷款贴息比例是多少?", "{P}{ind}企业贷款贴息每年最高多少?"],
      ("fin", "finance"), "apply", ("引导金融机构加大对{ind}企业的信贷投放,",),
      rate=(30, 40, 50), cap=(50, 100, 200), years=(2, 3)),
    M("guarantee", "降低融资担保成本",
      "对政府性融资担保机构为{ind}中小企业提供的担保业务,担保费率不超过{pct}%的,按照担保额的{rate}%给予担保费补助,单家企业每年最高{cap}万元。",
      ["{P}{ind}中小企业融资担保费补助按担保额的多少比例?"],
      ("finance", "fin"), "apply", ("完善{ind}中小企业融资增信机制,",),
      pct=(1, 1.5), rate=(0.5, 1), cap=(10, 20, 30)),
    M("fund", "发挥产业基金作用",
      "设立规模不低于{n}亿元的{ind}产业基金,通过直接投资、设立子基金等方式重点投向{p1}、{p3}等领域;对社会资本投资{here}{ind}初创企业的,按实际投资额的{rate}%给予风险补偿,单个项目最高{cap}万元。",
      ["{P}{ind}产业基金规模多大?", "{P}社会资本投资{ind}初创企业风险补偿比例是多少?"],
      ("fin", "finance"), "grow", (),
      n=(5, 10, 20, 50), rate=(5, 10, 20), cap=(100, 200, 300)),
    M("expo", "支持企业开拓市场",
      "对{ind}企业参加境外专业展会的,按展位费的{rate}%给予补助,每个展会最高{a}万元,单家企业每年最高{cap}万元;参加{lvl}级以上组织的境内重点展会的,参照执行。",
      ["{P}{ind}企业参加境外展会展位费补助多少?"],
      ("commerce",), "apply", ("支持{ind}企业拓展国内外市场,",),
      rate=(50, 60, 70, 80), a=(5, 10, 15), cap=(30, 50, 80)),
    M("cert", "支持产品国际认证",
      "对{ind}企业产品首次获得欧盟CE、美国UL、FDA等国际认证的,按认证费用的{rate}%给予补助,每项最高{a}万元,单家企业每年最高{cap}万元。",
      ["{P}{ind}产品国际认证费用补助比例是多少?"],
      ("market", "commerce"), "apply", ("推动{ind}产品质量提升和品牌出海,",),
      rate=(30, 50), a=(10, 20, 30), cap=(50, 80, 100)),
    M("smartfactory", "推进数字化改造",
      "对新认定为国家级、省级智能工厂(数字化车间)的{ind}企业,分别给予一次性奖励{a}万元、{b}万元;对实施数字化改造且软硬件投入达到{thr}万元以上的项目,按投入的{rate}%给予补助。",
      ["{P}{ind}企业被认定为省级智能工厂奖励多少?", "{P}{ind}数字化改造项目按投入的多少比例补助?"],
      ("lead", "data"), "apply", ("推动{ind}企业数字化、智能化改造,",),
      a=(200, 300, 500), b=(50, 100), thr=(100, 200, 300), rate=(10, 15)),
    M("green", "推动绿色低碳发展",
      "对新认定为国家级、省级绿色工厂的{ind}企业,分别给予一次性奖励{a}万元、{b}万元;对实施节能降碳技术改造、年节能量达到{n}吨标准煤以上的项目,按投资额的{rate}%给予补助,最高{cap}万元。",
      ["{P}{ind}企业获评国家级绿色工厂奖励多少?", "{P}{ind}节能降碳改造项目补助最高多少?"],
      ("lead", "dev"), "apply", (),
      a=(100, 150, 200), b=(30, 50), n=(300, 500, 1000), rate=(8, 10), cap=(100, 200, 300)),
    M("scene", "打造示范应用场景",
      "围绕{scene}等领域,每年评选不超过{n}个{ind}示范应用场景,按项目软硬件实际投入的{rate}%给予奖励,单个场景最高{cap}万元;入选场景优先推荐参评省级以上示范项目。",
      ["{P}{ind}示范应用场景最高奖励多少?", "{P}每年评选多少个{ind}示范应用场景?"],
      ("lead", "dev"), "apply", ("坚持场景牵引,",),
      n=(5, 8, 10, 15), rate=(10, 15, 20), cap=(30, 50, 60, 100)),
    M("public_platform", "建设公共服务平台",
      "支持建设{platform},为企业提供检验检测、中试验证、技术咨询等公共服务。对经认定的平台,按设备及软件实际投资额的{rate}%给予补助,单个平台最高{cap}万元;年度服务企业超过{n}家的,再给予{a}万元运营奖励。",
      ["{P}{platform}建设按投资额的多少比例补助?", "{P}{platform}服务企业多少家可以拿运营奖励?"],
      ("sci", "lead"), "innov", (),
      rate=(20, 25, 30), cap=(300, 500, 1000, 2000), n=(50, 100), a=(30, 50, 100)),
    M("compute", "发放算力券",
      "对{ind}企业租用{here}公共算力平台开展模型训练、仿真测试等业务,年度实际发生算力服务费用达到{thr}万元(含)以上的,按实际费用的{rate}%给予算力券支持,单家企业每年最高{cap}万元。",
      ["{P}{ind}企业算力券按算力费用的多少比例发放?", "{P}{ind}企业算力券每年最高多少?"],
      ("data", "lead", "fin"), "innov", ("强化{ind}算力要素保障,",),
      only=("ai", "robot", "ic", "biomed", "lowalt"),
      thr=(10, 20, 50), rate=(20, 30, 40), cap=(50, 100, 200, 300)),
    M("dataset", "推动数据开放利用",
      "支持企业建设{ind}领域高质量数据集和语料库。对开放共享并经认定的高质量数据集,按实际建设成本的{rate}%给予补助,单个数据集最高{a}万元,单家企业每年最高{cap}万元。",
      ["{P}{ind}高质量数据集建设补助最高多少?"],
      ("data", "lead"), "innov", ("加快{ind}领域数据要素流通,",),
      only=("ai", "robot", "biomed", "logistics", "agri", "nev", "lowalt"),
      rate=(20, 30), a=(50, 100, 200), cap=(200, 300, 500)),
    M("incubator", "完善孵化载体",
      "对新认定为国家级、省级{ind}专业孵化器或众创空间的,分别给予一次性奖励{a}万元、{b}万元;孵化器年度新增在孵{ind}企业{n}家以上的,给予{c}万元运营补助。",
      ["{P}国家级{ind}专业孵化器奖励多少?", "{P}{ind}孵化器运营补助的条件是什么?"],
      ("sci",), "grow", ("支持建设{ind}专业孵化载体,",),
      a=(100, 200, 300), b=(30, 50), n=(10, 15, 20), c=(20, 30, 50)),
    M("land", "强化用地保障",
      "优先保障{ind}重大项目用地需求,对符合条件的工业项目,土地出让起始价可按不低于所在地土地等别对应全国工业用地出让最低价标准的{pct}%确定;支持建设{ind}标准厂房,新增容积率部分不再增收土地价款。",
      ["{P}{ind}工业项目土地出让起始价按最低价标准的多少确定?"],
      ("land", "lead"), "apply", (),
      pct=(70, 80)),
)

SPECIAL: tuple[Measure, ...] = (
    M("robot_apply", "推广工业机器人应用",
      "对应用企业年度新增购置工业机器人和{p2}{n}台(含)以上的,按每台{a}万元给予补助,单家企业每年最高{cap}万元;建成机器人应用示范工厂的,再给予{b}万元奖励。",
      ["{P}企业新增购置工业机器人每台补助多少?", "{P}建成机器人应用示范工厂再奖励多少?"],
      ("lead",), "apply", ("实施“机器人+”应用行动,",), only=("robot",),
      n=(5, 10, 20), a=(1, 2, 3), cap=(50, 100, 200), b=(30, 50, 100)),
    M("ai_model", "支持大模型研发",
      "对完成国家生成式人工智能服务备案并上线运营的{p1},给予一次性奖励{a}万元;基于本地大模型开发的{p2}年度调用量超过{n}亿次的,再给予{b}万元奖励。",
      ["{P}完成生成式人工智能服务备案的大模型奖励多少?", "{P}智能体应用调用量超过多少亿次能再奖励?"],
      ("data", "sci"), "innov", ("支持企业研发行业大模型,",), only=("ai",),
      a=(50, 100, 200), n=(1, 5, 10), b=(50, 100)),
    M("clinical", "支持创新药临床研究",
      "对在{here}完成临床试验并注册的{p1},完成Ⅰ期、Ⅱ期、Ⅲ期临床试验的,分别给予最高{a}万元、{b}万元、{c}万元补助;单家企业每年累计最高{cap}万元。",
      ["{P}创新药完成Ⅲ期临床试验补助最高多少?", "{P}创新药Ⅰ期临床试验补助多少?"],
      ("sci", "health"), "innov", ("加快创新药研发和上市进程,",), only=("biomed",),
      a=(100, 200, 300), b=(300, 500), c=(800, 1000, 1500), cap=(2000, 3000)),
    M("device_reg", "支持医疗器械注册",
      "对首次取得第二类、第三类医疗器械注册证并在{here}产业化的{ind}企业,每个产品分别给予{a}万元、{b}万元奖励,单家企业每年最高{cap}万元。",
      ["{P}第三类医疗器械注册证每个产品奖励多少?"],
      ("market", "sci"), "innov", ("推动{p3}国产化和产业化,",), only=("biomed",),
      a=(20, 30, 50), b=(100, 150, 200), cap=(300, 500)),
    M("first_batch", "实施首批次保险补偿",
      "对{ind}企业投保{p1}等首批次产品应用综合保险的,按照年度实际保费的{rate}%给予补贴,单家企业每年最高{cap}万元,补贴期限不超过{years}年。",
      ["{P}{ind}首批次应用保险保费补贴比例是多少?"],
      ("lead", "finance"), "apply", ("推动{p1}、{p2}等新材料首批次应用,",), only=("materials", "textile"),
      rate=(60, 70, 80), cap=(100, 200, 300), years=(2, 3)),
    M("intermodal", "发展多式联运",
      "对新开通并稳定运营海铁联运、公铁联运线路的物流企业,按照每标准箱{a}元给予运营补贴,单条线路每年最高{cap}万元;新建{p2}且库容达到{n}立方米以上的,按设备投资额的{rate}%给予补助。",
      ["{P}海铁联运每标准箱补贴多少元?", "{P}新建冷链物流设施按设备投资的多少比例补助?"],
      ("traffic", "commerce"), "apply", ("完善现代物流网络,",), only=("logistics",),
      a=(100, 150, 200), cap=(100, 200, 300), n=(5000, 10000), rate=(10, 15)),
    M("tour_groups", "实施引客入{short}奖励",
      "对旅行社组织境内外游客在{short}过夜游览,年度累计达到{n}人次以上的,按照每人次{a}元给予奖励,单家旅行社每年最高{cap}万元;组织{p2}团队的,奖励标准上浮{pct}%。",
      ["{P}旅行社组织过夜游客每人次奖励多少?", "{P}组织研学旅行团队奖励标准上浮多少?"],
      ("lead",), "apply", ("做大入境游和过夜游市场,",), only=("tourism",),
      n=(1000, 3000, 5000), a=(10, 20, 30), cap=(30, 50, 100), pct=(20, 30, 50)),
    M("homestay", "提升民宿品质",
      "对新评定为省级白金宿、金宿、银宿的{p1},分别给予一次性奖励{a}万元、{b}万元、{c}万元;对民宿集聚区完成公共设施提升改造的,按投资额的{rate}%给予补助。",
      ["{P}新评为白金宿的民宿奖励多少?", "{P}民宿集聚区公共设施改造补助比例是多少?"],
      ("lead", "agriculture"), "apply", ("推动乡村民宿提质升级,",), only=("tourism",),
      a=(30, 50), b=(10, 20), c=(5, 8), rate=(20, 30)),
    M("tapeout", "支持芯片流片",
      "对{ind}设计企业开展多项目晶圆(MPW)流片或工程流片的,按流片费用的{rate}%给予补助,单家企业每年最高{cap}万元;首次采用国产{p3}完成设计的,再给予{a}万元奖励。",
      ["{P}芯片设计企业工程流片费用补助比例是多少?", "{P}首次采用国产EDA工具完成设计奖励多少?"],
      ("lead", "sci"), "innov", ("支持芯片设计企业提升研发能力,",), only=("ic",),
      rate=(20, 30, 40), cap=(200, 300, 500), a=(20, 50)),
    M("charging", "完善充电基础设施",
      "对新建并投入运营的{p4},按照充电设备额定功率每千瓦{a}元给予建设补贴,单个充电站最高{cap}万元;运营满一年且设备利用率不低于{pct}%的,再给予运营奖励。",
      ["{P}新建公共充电桩每千瓦补贴多少元?", "{P}充电站建设补贴最高多少?"],
      ("dev", "lead"), "apply", ("加快充电基础设施建设,",), only=("nev",),
      a=(100, 150, 200, 300), cap=(50, 100, 200), pct=(10, 15, 20)),
    M("overseas_wh", "支持海外仓建设",
      "对{ind}企业自建或租用{p1},面积达到{n}平方米以上且年服务{here}企业不少于{k}家的,按照实际投入的{rate}%给予补助,单个海外仓最高{cap}万元。",
      ["{P}海外仓建设补助比例是多少?", "{P}海外仓面积达到多少平方米可以申请补助?"],
      ("commerce",), "apply", ("完善跨境电商海外服务网络,",), only=("ecom",),
      n=(1000, 2000, 5000), k=(10, 20, 30), rate=(10, 20, 30), cap=(100, 200, 300)),
    M("air_route", "开通低空航线",
      "对新开通并常态化运营{p4}的企业,每条航线给予{a}万元一次性补助;年度飞行架次超过{n}架次的,按每架次{b}元给予运营补贴,单家企业每年最高{cap}万元。",
      ["{P}新开通低空物流航线每条补助多少?", "{P}低空航线运营补贴每架次多少元?"],
      ("dev", "traffic"), "apply", ("拓展低空飞行应用场景,",), only=("lowalt",),
      a=(10, 20, 30), n=(1000, 3000), b=(20, 50, 100), cap=(100, 200)),
    M("agri_machine", "推广智能农机装备",
      "对购置{p2}的农业经营主体,在享受国家农机购置补贴的基础上,再按购置价格的{rate}%给予累加补贴,单台最高{a}万元,单个主体每年最高{cap}万元。",
      ["{P}购置智能农机装备累加补贴比例是多少?", "{P}智能农机累加补贴单台最高多少?"],
      ("agriculture",), "apply", ("提高农业生产机械化、智能化水平,",), only=("agri",),
      rate=(10, 15, 20), a=(5, 10, 20), cap=(30, 50, 100)),
    M("ship", "支持绿色智能船舶建造",
      "对在{here}建造并交付{p2}的企业,按照船舶合同价格的{rate}%给予奖励,单艘最高{a}万元,单家企业每年最高{cap}万元。",
      ["{P}绿色智能船舶建造按合同价格多少比例奖励?"],
      ("lead", "ocean"), "apply", ("推动船舶产业绿色化、智能化转型,",), only=("marine",),
      rate=(1, 2, 3), a=(100, 200, 300), cap=(500, 1000)),
    M("dyeing", "推进印染行业绿色化改造",
      "对实施{p3}改造、单位产品水耗下降{pct}%以上的印染企业,按设备投资额的{rate}%给予补助,单个项目最高{cap}万元。",
      ["{P}印染企业绿色化改造设备投资补助比例是多少?"],
      ("lead", "eco"), "apply", ("推动印染产业集聚提升和绿色转型,", "严格落实印染行业规范条件。"),
      only=("textile",), pct=(10, 15, 20), rate=(10, 15, 20), cap=(200, 300, 500)),
    M("h2_station", "加快加氢站建设",
      "对新建日加氢能力{n}公斤(含)以上的{p2},按照设备投资额的{rate}%给予建设补助,单站最高{cap}万元;销售氢气价格不高于每公斤{a}元的,按每公斤{b}元给予运营补贴。",
      ["{P}新建加氢站建设补助最高多少?", "{P}加氢站氢气运营补贴每公斤多少元?"],
      ("dev", "lead"), "apply", ("完善氢能基础设施布局,",), only=("hydrogen",),
      n=(500, 1000), rate=(20, 30), cap=(300, 500, 800), a=(35, 40), b=(5, 10, 15)),
)

STRUCTURAL: dict[str, Measure] = {m.key: m for m in (
    M("goal", "发展目标",
      "到{goal_year}年,{place}{ind}产业规模突破{n}亿元,培育年营业收入超10亿元的龙头企业{m}家以上、专精特新企业{k}家以上,建成{ind}领域省级以上创新平台{j}个以上,形成一批具有竞争力的{p1}和{p2}产品。",
      ["{P}到{goal_year}年{ind}产业规模目标是多少?"], ("lead",), "",
      n=(50, 100, 200, 300, 500), m=(3, 5, 8), k=(20, 30, 50), j=(3, 5, 10)),
    M("guiding", "指导思想",
      "深入落实国家和省关于发展{ind}产业的部署要求,坚持创新引领、应用牵引、开放协同,以{p1}和{p3}为突破口,推动{ind}产业集群化、高端化、绿色化发展,加快打造长三角{ind}产业高地。", depts=()),
    M("principles", "基本原则",
      "坚持市场主导与政府引导相结合,充分发挥企业主体作用;坚持创新驱动与场景牵引相结合,以真实需求带动产品迭代;坚持整零协同与开放合作相结合,推动{ind}上下游企业协同发展;坚持发展与安全并重。", depts=()),
    M("org", "强化组织保障",
      "建立{place}{ind}产业发展工作专班,由{gov}分管领导牵头,{lead}具体负责,定期研究解决产业发展中的重大问题。动态更新产业链图谱,建立重点项目清单、工作任务清单和绩效评价清单,实行清单化管理。"),
    M("funds_rule", "规范资金管理",
      "本{doctype}所需资金由{lvl}财政在产业专项资金中统筹安排。同一企业同一事项符合本{doctype}和{here}其他政策多项条款的,按照“就高不重复”原则执行;单家企业每年享受本{doctype}各项扶持资金合计不超过{cap}万元。",
      ["{P}单家{ind}企业每年享受扶持资金合计不超过多少?"], ("fin",), "", cap=(500, 1000, 2000)),
    M("supervise", "加强监督管理",
      "企业以弄虚作假等手段骗取扶持资金的,追回已拨付资金,取消其{years}年内申报{here}各类产业政策的资格,并依法依规追究相关责任;{fin}会同{lead}对资金使用情况开展绩效评价,评价结果作为政策调整的重要依据。",
      ["{P}{ind}企业骗取扶持资金几年内不能申报?"], (), "", years=(3, 5)),
    M("ecosystem", "优化产业生态",
      "支持行业协会、产业联盟举办{ind}领域高峰论坛、创新创业大赛和供需对接活动;支持专业服务机构为企业提供知识产权、技术转移、投融资和上市辅导等服务,营造全社会关注支持{ind}发展的良好氛围。", depts=()),
    M("purpose", "目的和依据",
      "为了加快发展{ind}产业,推动{p1}、{p2}等领域技术创新和产业化,培育新质生产力,建设具有区域影响力的{ind}产业集群,根据国家和省有关文件精神,结合{here}实际,制定本{doctype}。", depts=()),
    M("scope", "适用范围",
      "本{doctype}适用于在{place}依法登记注册、具有独立法人资格、实行独立核算且信用状况良好的{ind}企业和相关机构。企业享受本{doctype}扶持政策的,应当承诺自首次获得扶持资金之日起{years}年内不迁离{here}、不变更纳税地点。",
      ["{P}享受{ind}扶持政策的企业承诺几年内不迁离?"], (), "", years=(3, 5, 10)),
    M("duty", "职责分工",
      "{lead}负责本{doctype}的组织实施和统筹协调,{fin}负责扶持资金的预算安排和监督管理,{sci}、{commerce}、{hr}、{invest}等部门按照各自职责做好政策宣传、项目审核和资金兑现等相关工作。", depts=()),
    M("closing", "解释和施行",
      "本{doctype}由{lead}负责解释。本{doctype}{effective_text}。此前{here}出台的相关政策与本{doctype}不一致的,以本{doctype}为准;执行期间如遇上级政策调整,从其规定。", depts=()),
)}

STRUCTURAL_FILLERS = (
    "各有关部门要加强协同配合,形成工作合力。",
    "{lead}要会同有关部门加强统筹调度,确保各项任务落到实处。",
    "实施过程中,要加强督促检查和跟踪评估,及时总结推广典型经验。",
)
FILLERS = (
    "申报条件、程序和材料由{lead}会同{fin}另行制定并向社会公布。",
    "同一事项已获得{lvl}级其他财政资金支持的,不重复支持。",
    "政策兑现实行“免申即享”“即申即享”,资金原则上在申报截止后60个工作日内拨付。",
    "相关部门应加强对企业的跟踪服务,定期评估政策实施效果。",
    "享受本条政策的企业应当按要求报送项目实施情况和绩效数据。",
    "对上一年度发生重大安全生产、环境污染事故或者存在严重失信行为的企业,不予支持。",
    "奖补资金根据企业对{here}经济社会发展的贡献分档兑现,具体比例由{fin}会同{lead}确定。",
    "项目须在{here}范围内实施,且申报时已完成竣工验收或者取得相应认定文件。",
    "本条所称非关联企业,是指与申报单位不存在控股、参股或者同一实际控制人关系的企业。",
)

DEPARTMENTS = {
    "fin": "财政局", "sci": "科技局", "commerce": "商务局", "hr": "人力社保局", "invest": "投资促进局",
    "market": "市场监管局", "talent": "委人才办", "finance": "金融服务中心", "data": "数据资源局",
    "dev": "发改局", "stat": "统计局", "edu": "教育局", "land": "自然资源和规划局", "health": "卫生健康局",
    "traffic": "交通运输局", "agriculture": "农业农村局", "ocean": "海洋与渔业局", "eco": "生态环境局",
}
DOC_TYPES = {"arabic": "措施", "cn_heading": "意见", "tiao_chapters": "规定", "parts": "方案",
             "tiao_flat": "办法", "cn_inline": "政策"}

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (1–99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _fmt_fig(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


# --------------------------------------------------------------------------- generated values
@dataclass
class GenArticle:
    measure: str
    text: str
    """The article as it is written (marker excluded), all its lines joined with \\n."""
    core: str
    """The measure sentence (a verbatim substring of the article)."""
    question: str = ""
    number: int = -1
    """Its position once parsed (filled after parsing)."""


@dataclass
class Spec:
    """What one document is about."""

    place: Place
    industry: Industry
    style: str
    status: str
    year: int
    doc_id: str
    version_of: str = ""
    """For a final version: the doc_id of the draft it replaces."""


@dataclass
class GenDocument:
    spec: Spec
    title: str
    text: str
    meta: dict[str, Any]
    articles: list[GenArticle]

    @property
    def doc_id(self) -> str:
        return self.spec.doc_id


@dataclass
class Library:
    documents: list[GenDocument]
    extra: list[GenDocument]
    questions: list[dict[str, Any]]
    extra_questions: list[dict[str, Any]]


class _Writer:
    """Builds one document's text from a spec with its own random stream."""

    def __init__(self, spec: Spec, rng: random.Random, n_articles: int,
                 fixed: dict[str, dict[str, Any]] | None = None) -> None:
        self.spec, self.rng, self.n = spec, rng, n_articles
        self.fixed = fixed or {}
        """Figures per measure to reuse (a final version keeps most of its draft's figures)."""
        self.figures: dict[str, dict[str, Any]] = {}
        p, ind = spec.place, spec.industry
        lvl = p.level
        self.lvl = lvl
        self.doctype = DOC_TYPES[spec.style]
        d0 = dt.date(spec.year, 1, 1) + dt.timedelta(days=rng.randrange(20, 330))
        self.date = d0
        self.effective = d0 + dt.timedelta(days=rng.choice((15, 30, 31)))
        self.until = dt.date(self.effective.year + rng.choice((2, 3)), 12, 31)
        final = spec.status == "正式"
        self.ctx: dict[str, Any] = {
            "ind": ind.name, "p1": ind.products[0], "p2": ind.products[1], "p3": ind.products[2],
            "p4": ind.products[3], "scene": ind.scene, "platform": ind.platform, "first": ind.first,
            "place": p.full, "short": p.short, "lvl": lvl, "here": f"本{lvl}",
            "gov": f"{lvl}政府", "lead": f"{lvl}{ind.lead}", "doctype": self.doctype,
            "goal_year": spec.year + rng.choice((2, 3)),
            "effective_text": (f"自{cn_date(self.effective)}起施行,有效期至{cn_date(self.until)}"
                               if final else "自印发之日起施行,有效期三年"),
        }
        for key, name in DEPARTMENTS.items():
            self.ctx[key] = f"{lvl}{name}"

    # -- articles -----------------------------------------------------------------------------
    def _fill(self, template: str, figs: dict[str, Any]) -> str:
        return template.format_map({**self.ctx, **{k: _fmt_fig(v) for k, v in figs.items()}})

    def _figs(self, m: Measure) -> dict[str, Any]:
        if m.key in self.fixed:
            base = dict(self.fixed[m.key])
            if self.rng.random() < 0.3 and m.figures:  # a final version changes some figures
                k = self.rng.choice(sorted(m.figures))
                base[k] = self.rng.choice(m.figures[k])
            figs = base
        else:
            figs = {k: self.rng.choice(v) for k, v in m.figures.items()}
        self.figures[m.key] = figs
        return figs

    def _depts(self, m: Measure) -> tuple[str, list[str]]:
        names = [self.ctx[d] for d in m.depts if d in self.ctx]
        names = list(dict.fromkeys(names)) or [self.ctx["lead"]]
        return names[0], names[1:]

    def article(self, m: Measure, *, heading: str, dept: str, with_question: bool = True
                ) -> GenArticle:
        """`heading`: 'line' (heading on its own line), 'inline' (heading。body), '' (none).
        `dept`: 'paren' (责任单位:…), 'line' (牵头单位:…;配合单位:…) or ''."""
        figs = self._figs(m)
        core = self._fill(m.core, figs)
        head = self._fill(m.heading, figs)
        lead_in = self._fill(self.rng.choice(m.lead_in), figs) if m.lead_in and self.rng.random() < 0.7 else ""
        lead, others = self._depts(m)
        clause = ""
        if dept == "paren" and m.depts:
            clause = f"(责任单位:{'、'.join([lead, *others])})"
        elif dept == "line" and m.depts:
            clause = f"牵头单位:{lead}" + (f";配合单位:{'、'.join(others)}" if others else "")
        pool = STRUCTURAL_FILLERS if m.key in STRUCTURAL else FILLERS
        fillers = [self._fill(f, figs) for f in pool]
        self.rng.shuffle(fillers)

        def compose(lead_in: str, extra: list[str], clause: str) -> str:
            body = lead_in + core + "".join(extra)
            if dept == "paren" and clause:
                body += clause
            elif clause:
                body += "\n" + clause
            if heading == "line":
                return f"{head}\n{body}"
            if heading == "inline":
                return f"{head}。{body}"
            return body

        extra: list[str] = []
        text = compose(lead_in, extra, clause)
        # Articles vary in length like real ones: boilerplate conditions up to a drawn length.
        target = max(MIN_CHARS, min(MAX_CHARS - 20, int(self.rng.triangular(MIN_CHARS, MAX_CHARS, 150))))
        if m.key in STRUCTURAL:
            target = MIN_CHARS
        while fillers and (len(text) < MIN_CHARS or len(text) + len(fillers[-1]) <= target):
            extra.append(fillers.pop())
            text = compose(lead_in, extra, clause)
        for drop in ("lead_in", "clause"):
            if len(text) <= MAX_CHARS:
                break
            if drop == "lead_in":
                lead_in = ""
            else:
                clause = ""
            text = compose(lead_in, extra, clause)
        if not MIN_CHARS <= len(text) <= MAX_CHARS:
            raise AssertionError(f"{self.spec.doc_id}/{m.key}: {len(text)} characters")
        q = ""
        if with_question and m.questions:
            q = self.rng.choice(m.questions)
            q = q.replace("{P}", "\x00")
            q = self._fill(q, figs).replace("\x00", "{P}")
        return GenArticle(m.key, text, core, q)

    # -- measure choice ------------------------------------------------------------------------
    def measures(self, count: int) -> list[Measure]:
        ind = self.spec.industry
        special = [m for m in SPECIAL if ind.code in m.only]
        generic = [m for m in GENERIC if (not m.only or ind.code in m.only)
                   and (not m.needs_first or ind.first)]
        if self.fixed:  # a final version: mostly the draft's measures
            keep = [m for m in special + generic if m.key in self.fixed]
            rest = [m for m in special + generic if m.key not in self.fixed]
            self.rng.shuffle(rest)
            chosen = keep[:count - 1] + rest[:max(1, count - len(keep[:count - 1]))]
            chosen = chosen[:count]
        else:
            self.rng.shuffle(generic)
            chosen = (special + generic)[:count]
        order = {"innov": 0, "grow": 1, "apply": 2}
        chosen.sort(key=lambda m: (order.get(m.group, 3), self.rng.random()))
        return chosen


def _announcement(w: _Writer, title: str) -> list[str]:
    """A consultation notice (draft) or an issuing notice with 文号 (final)."""
    spec, ctx = w.spec, w.ctx
    issuer = f"{spec.place.full}人民政府办公室" if spec.place.level != "区" or w.rng.random() < 0.5 \
        else f"{spec.place.full}人民政府"
    drafter_unit = ctx["lead"]
    if spec.status == "征求意见稿":
        start = w.date
        end = start + dt.timedelta(days=30)
        full_drafter = f"{spec.place.full}{spec.industry.lead}"
        return [
            f"关于公开征求《{title}》意见的公告",
            f"为加快{ctx['ind']}产业高质量发展,{drafter_unit}研究起草了《{title}》,现向社会公开征求意见。",
            f"公开征求意见时间为{cn_date(start)}至{cn_date(end)}。社会各界可通过电子邮件或者电话提出意见建议,"
            f"电子邮件标题请注明“{ctx['ind']}政策意见”。",
            f"联系单位:{full_drafter}产业发展处",
            f"联系人:{w.rng.choice('王李张刘陈杨赵黄周吴')}{w.rng.choice(('先生', '女士'))}",
            f"联系电话:0{AREA_CODES[spec.place.city]}-{w.rng.randrange(81000000, 89999999)}",
            f"电子邮箱:{spec.industry.code}_{w.rng.randrange(100, 999)}@example.com",
            full_drafter,
            cn_date(w.date),
        ]
    prefix = DOC_NUMBER_PREFIX[spec.place.city]
    if spec.place.district:
        prefix = spec.place.short[0]
    kind = w.rng.choice(("政办发", "政发", "政办函"))
    number = f"{prefix}{kind}〔{spec.year}〕{w.rng.randrange(1, 120)}号"
    w.doc_number = number
    w.issuer = issuer
    addressee = ("各街道办事处、乡镇人民政府," if spec.place.district else "各区、县(市)人民政府,")
    return [
        number,
        f"{addressee}{w.lvl}政府各部门、各直属单位:",
        f"《{title}》已经{w.lvl}政府同意,现印发给你们,请认真组织实施。",
        issuer,
        cn_date(w.date),
        "(此件公开发布)",
    ]


def _intro(w: _Writer) -> str:
    ctx = w.ctx
    return (f"{ctx['ind']}是培育新质生产力的重要领域。为加快推动{ctx['place']}{ctx['ind']}产业集群化、"
            f"高端化发展,围绕{ctx['p1']}、{ctx['p2']}、{ctx['p3']}等重点方向强链补链,"
            f"结合{ctx['here']}实际,制定本{w.doctype}。")


def _title(spec: Spec) -> str:
    p, ind = spec.place.full, spec.industry.name
    base = {
        "arabic": f"{p}关于加快{ind}产业发展的若干措施",
        "cn_heading": f"{p}促进{ind}产业高质量发展的实施意见",
        "tiao_chapters": f"{p}促进{ind}产业发展若干规定",
        "parts": f"{p}{ind}产业三年行动方案({spec.year}—{spec.year + 2}年)",
        "tiao_flat": f"{p}{ind}产业发展专项资金管理办法",
        "cn_inline": f"{p}支持{ind}产业发展的若干政策",
    }[spec.style]
    return base + ("(征求意见稿)" if spec.status == "征求意见稿" else "")


def write_document(spec: Spec, rng: random.Random, n_articles: int,
                   fixed: dict[str, dict[str, Any]] | None = None) -> tuple[GenDocument, dict[str, dict[str, Any]]]:
    """One document's text and metadata (and the figures of its measures)."""
    w = _Writer(spec, rng, n_articles, fixed)
    w.doc_number, w.issuer = None, None  # type: ignore[attr-defined]
    title = _title(spec)
    lines = _announcement(w, title)
    lines += [title, _intro(w)]
    S = STRUCTURAL
    arts: list[GenArticle] = []
    style = spec.style
    if style in ("arabic", "cn_heading", "cn_inline"):
        structural_head, structural_tail = [S["goal"]], [S["org"], S["funds_rule"]]
        if spec.status == "正式" or style != "arabic":
            structural_tail.append(S["closing"])
        heading = {"arabic": "inline", "cn_heading": "line", "cn_inline": "inline"}[style]
        dept = "paren" if style != "cn_inline" or rng.random() < 0.7 else ""
        measures = w.measures(n_articles - len(structural_head) - len(structural_tail))
        for m in structural_head + measures + structural_tail:
            arts.append(w.article(m, heading=heading, dept=dept if m.depts else ""))
        for i, a in enumerate(arts, 1):
            if style == "arabic":
                lines.append(f"{i}、{a.text}")
            elif style == "cn_inline":
                lines.append(f"{cn_number(i)}、{a.text}")
            else:
                lines.append(f"{cn_number(i)}、{a.text}")
    elif style in ("tiao_chapters", "tiao_flat"):
        head = [S["purpose"], S["scope"], S["duty"]]
        tail = [S["funds_rule"], S["supervise"], S["closing"]]
        measures = w.measures(n_articles - len(head) - len(tail))
        dept = "line" if style == "tiao_chapters" else ""
        chapters: list[tuple[str, list[Measure]]]
        if style == "tiao_chapters":
            chapters = [("总则", head),
                        ("创新能力提升", [m for m in measures if m.group == "innov"]),
                        ("企业培育与集聚", [m for m in measures if m.group == "grow"]),
                        ("应用推广与要素保障", [m for m in measures if m.group not in ("innov", "grow")]),
                        ("附则", tail)]
            chapters = [c for c in chapters if c[1]]
        else:
            chapters = [("", head + measures + tail)]
        k = 0
        for ci, (name, ms) in enumerate(chapters, 1):
            if name:
                lines.append(f"第{cn_number(ci)}章 {name}")
            for m in ms:
                a = w.article(m, heading="", dept=dept if m.key not in S else "")
                k += 1
                arts.append(a)
                lines.append(f"第{cn_number(k)}条 {a.text}")
    elif style == "parts":
        first = [S["guiding"], S["principles"], S["goal"]]
        last = [S["org"], S["ecosystem"], S["funds_rule"]]
        measures = w.measures(n_articles - len(first) - len(last))
        parts = [("总体要求", first), ("重点任务", measures), ("保障措施", last)]
        k = 0
        for pi, (name, ms) in enumerate(parts, 1):
            lines.append(f"{cn_number(pi)}.{name}")
            for m in ms:
                a = w.article(m, heading="inline", dept="paren" if rng.random() < 0.5 and m.key not in S else "")
                k += 1
                arts.append(a)
                lines.append(f"({cn_number(k)}){a.text}")
        lines.append(f"本方案{w.ctx['effective_text']}。")
    else:  # pragma: no cover
        raise ValueError(style)
    # An article's own lines (a 牵头单位 line) follow its marker line.
    text_lines: list[str] = []
    for ln in lines:
        text_lines.extend(ln.split("\n"))
    text = "\n".join(text_lines) + "\n"

    meta: dict[str, Any] = {"doc_id": spec.doc_id, "title": title, "status": spec.status,
                            "issuer": getattr(w, "issuer", None) or f"{spec.place.full}{spec.industry.lead}",
                            "date": w.date.isoformat(), "jurisdiction": _jurisdiction(spec.place, title)}
    if w.doc_number:  # type: ignore[attr-defined]
        meta["doc_number"] = w.doc_number  # type: ignore[attr-defined]
    if spec.status == "正式":
        meta["effective_from"] = w.effective.isoformat()
        meta["effective_until"] = w.until.isoformat()
    else:
        meta["consultation"] = {"start": w.date.isoformat(),
                                "end": (w.date + dt.timedelta(days=30)).isoformat()}
        meta["drafter"] = w.ctx["lead"]
    if spec.version_of:
        meta["supersedes"] = [spec.version_of]
    meta["source"] = "generated by scripts/make_library.py (fictional)"
    DocumentMeta.model_validate(meta)  # the field names and values the project accepts
    doc = GenDocument(spec, title, text, meta, arts)
    _check_and_number(doc)
    return doc, w.figures


def _jurisdiction(place: Place, title: str) -> list[str]:
    """As `policy-assistant add` would compute it (gazetteer names and pinyin), else the names."""
    try:
        from assistant.ingest.library import _jurisdiction as jur  # the project's own rule

        return list(jur({"issuer": f"{place.full}人民政府", "title": title}))
    except Exception:  # noqa: BLE001 - a private helper: fall back to the plain names
        out = [place.full, place.short, place.city]
        if place.district:
            out.append(place.district)
        return list(dict.fromkeys(out))


def _check_and_number(doc: GenDocument) -> None:
    """Parse the text: no ParseError, ≥ MIN_ARTICLES articles, each 120–300 characters, and each
    generated article found at its parsed position."""
    parsed = parse_policy(doc.text, f"{doc.doc_id}.txt")
    body = parsed.body
    if len(body) < MIN_ARTICLES:
        raise AssertionError(f"{doc.doc_id}: {len(body)} articles parsed ({parsed.style})")
    if len(body) != len(doc.articles):
        raise AssertionError(f"{doc.doc_id}: {len(body)} articles parsed, {len(doc.articles)} written")
    for gen, art in zip(doc.articles, body):
        if gen.core not in art.text:
            raise AssertionError(f"{doc.doc_id}: article {art.label} is not the generated {gen.measure}")
        if not MIN_CHARS <= len(art.text) <= MAX_CHARS + 40:  # + a closing sentence of 方案
            raise AssertionError(f"{doc.doc_id}: article {art.label} has {len(art.text)} characters")
        gen.number = art.number


# --------------------------------------------------------------------------- the library
def _doc_id(place: Place, ind: Industry, year: int, status: str, used: set[str]) -> str:
    base = f"{place.code}-{ind.code}-{year}" + ("-draft" if status == "征求意见稿" else "")
    doc_id, i = base, 2
    while doc_id in used:
        doc_id, i = f"{base}-{i}", i + 1
    used.add(doc_id)
    return doc_id


def _specs(n: int, rng: random.Random, used_ids: set[str],
           used_pairs: set[tuple[str, str]]) -> list[Spec]:
    """N document specs: distinct (place, industry) topics, every style used, ~20 % drafts, and
    from 20 documents on ~8 % of them as draft + final pairs."""
    combos = [(p, ind) for p in all_places() for ind in INDUSTRIES]
    rng.shuffle(combos)
    combos = [c for c in combos if (c[0].code, c[1].code) not in used_pairs]
    n_pairs = n // 25 if n >= 20 else 0
    styles = [STYLES[i % len(STYLES)] for i in range(n)]
    rng.shuffle(styles)
    specs: list[Spec] = []
    k = 0
    while len(specs) < n:
        place, ind = combos[k]
        k += 1
        used_pairs.add((place.code, ind.code))
        style = styles[len(specs)]
        if n_pairs and len(specs) + 2 <= n:
            n_pairs -= 1
            year = rng.choice((2024, 2025))
            draft = Spec(place, ind, style, "征求意见稿", year - 1, "")
            draft.doc_id = _doc_id(place, ind, year - 1, "征求意见稿", used_ids)
            final = Spec(place, ind, style, "正式", year, "", version_of=draft.doc_id)
            final.doc_id = _doc_id(place, ind, year, "正式", used_ids)
            specs += [draft, final]
            continue
        status = "征求意见稿" if rng.random() < 0.2 else "正式"
        year = rng.choice((2023, 2024, 2025))
        spec = Spec(place, ind, style, status, year, "")
        spec.doc_id = _doc_id(place, ind, year, status, used_ids)
        specs.append(spec)
    return specs


def _question(doc: GenDocument, art: GenArticle, rng: random.Random) -> dict[str, Any]:
    spec = doc.spec
    bare = re.sub(r"[(（]征求意见稿[)）]$", "", doc.title)
    how = rng.choices(("place", "short", "title"), weights=(5, 3, 2))[0]
    if how == "title":
        prefix = f"《{bare}》中,"
    elif how == "short":
        prefix = f"{spec.place.short}的{spec.industry.name}政策里," if rng.random() < 0.5 else spec.place.short
    else:
        prefix = spec.place.full
    return {"question": art.question.replace("{P}", prefix), "doc_id": doc.doc_id,
            "article": art.number, "measure": art.measure, "named_by": how}


def generate(n_docs: int, seed: int = 7, n_articles: int = 20, n_questions: int = 50,
             extra: int = 0) -> Library:
    """The library (documents and questions) for a seed, without writing anything."""
    if n_articles < MIN_ARTICLES + 1:
        raise ValueError(f"--articles must be at least {MIN_ARTICLES + 1}")
    rng = random.Random(seed)
    used_ids: set[str] = set()
    used_pairs: set[tuple[str, str]] = set()
    specs = _specs(n_docs, rng, used_ids, used_pairs)
    extra_specs = _specs(extra, rng, used_ids, used_pairs) if extra else []
    docs: list[GenDocument] = []
    figures_of: dict[str, dict[str, dict[str, Any]]] = {}
    for spec in specs + extra_specs:
        drng = random.Random(f"{seed}:{spec.doc_id}")
        doc, figs = write_document(spec, drng, n_articles, figures_of.get(spec.version_of))
        figures_of[spec.doc_id] = figs
        docs.append(doc)
    library_docs, extra_docs = docs[:len(specs)], docs[len(specs):]

    versioned = {s.doc_id for s in specs if s.version_of} | {s.version_of for s in specs if s.version_of}
    candidates = [(d, a) for d in library_docs if d.doc_id not in versioned
                  for a in d.articles if a.question]
    qrng = random.Random(f"{seed}:questions")
    qrng.shuffle(candidates)
    # Spread the questions over documents and measures: at most one per document at first.
    picked: list[tuple[GenDocument, GenArticle]] = []
    seen_docs: set[str] = set()
    for d, a in candidates:
        if len(picked) < n_questions and d.doc_id not in seen_docs:
            picked.append((d, a))
            seen_docs.add(d.doc_id)
    taken = {id(a) for _, a in picked}
    for d, a in candidates:
        if len(picked) < n_questions and id(a) not in taken:
            picked.append((d, a))
            taken.add(id(a))
    questions = [_question(d, a, qrng) for d, a in picked]
    extra_questions = []
    for d in extra_docs:
        arts = [a for a in d.articles if a.question]
        for a in qrng.sample(arts, min(3, len(arts))):
            extra_questions.append(_question(d, a, qrng))
    return Library(library_docs, extra_docs, questions, extra_questions)


def write_document_files(doc: GenDocument, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{doc.doc_id}.txt"
    path.write_text(doc.text, encoding="utf-8")
    (directory / f"{doc.doc_id}.meta.json").write_text(
        json.dumps(doc.meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_library(out_dir: Path, n_docs: int, seed: int = 7, n_articles: int = 20,
                  n_questions: int = 50, extra: int = 0, extra_dir: Path | None = None,
                  questions_path: Path | None = None) -> Library:
    """Generate and write the library; returns what was written."""
    lib = generate(n_docs, seed, n_articles, n_questions, extra)
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc in lib.documents:
        write_document_files(doc, out_dir)
    if lib.extra:
        extra_dir = extra_dir or out_dir.parent / "incoming"
        for doc in lib.extra:
            # The incoming text alone (as a user would bring it); its metadata is read by `add`.
            extra_dir.mkdir(parents=True, exist_ok=True)
            (extra_dir / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    questions_path = questions_path or out_dir / "questions.json"
    questions_path.write_text(json.dumps({
        "seed": seed, "documents": len(lib.documents), "articles_per_document": n_articles,
        "questions": lib.questions, "extra_questions": lib.extra_questions,
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return lib


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--questions-count", type=int, default=50)
    ap.add_argument("--questions", type=Path, default=None,
                    help="where the questions go (default OUT_DIR/questions.json)")
    ap.add_argument("--extra", type=int, default=0, help="documents written outside the library")
    ap.add_argument("--extra-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    lib = write_library(args.out_dir, args.docs, args.seed, args.articles, args.questions_count,
                        args.extra, args.extra_dir, args.questions)
    styles: dict[str, int] = {}
    for d in lib.documents:
        styles[d.spec.style] = styles.get(d.spec.style, 0) + 1
    n_art = sum(len(d.articles) for d in lib.documents)
    print(json.dumps({"out_dir": str(args.out_dir), "documents": len(lib.documents),
                      "articles": n_art, "styles": styles,
                      "drafts": sum(d.spec.status == "征求意见稿" for d in lib.documents),
                      "questions": len(lib.questions), "extra": [d.doc_id for d in lib.extra]},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
