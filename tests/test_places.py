"""Places with their hierarchy: a city's districts and counties are inside its jurisdiction, named
in full or short; places abroad are venues; 注册地 read as one full name."""

from __future__ import annotations

import pytest

from assistant.lang import places
from assistant.match.matching import Matcher
from assistant.retrieve.question_places import counterpart_place, policy_of_other_place


HANGZHOU = places.prefixes_of(["杭州"])
SUBTREE = sorted({p for ps in places.gazetteer().values() for p in ps
                  if p.adcode.startswith("3301") and p.level == "county"}, key=lambda p: p.adcode)


def test_the_subtree_is_todays() -> None:
    names = {p.name for p in SUBTREE}
    assert {"临平区", "钱塘区", "临安区"} <= names and not {"江干区", "下城区", "临安市"} & names
    assert len(SUBTREE) == 13


@pytest.mark.parametrize("place", SUBTREE, ids=lambda p: p.name)
def test_every_district_and_county_is_inside(place: places.Place, judge) -> None:
    for name in filter(None, (place.name, places.county_short(place.name))):
        mention = places.find_places(f"{name}的企业能享受哪些政策", HANGZHOU)[0]
        assert mention.text == name and places.inside(mention.places, HANGZHOU) is True
        inside, other = judge.places.read(f"{name}的企业能享受哪些机器人政策?", [name])
        assert name in inside and not other
    assert places.parents(place)[0].name == "杭州市"


def test_a_place_elsewhere_is_outside_and_abroad_is_a_venue(judge) -> None:
    assert places.inside(places.resolve("宁波市"), HANGZHOU) is False
    assert places.inside(places.resolve("西湖区"), HANGZHOU) is True  # Hangzhou's, not Nanchang's
    inside, other = judge.places.read("去德国慕尼黑参展有补贴吗", ["德国", "慕尼黑", "参展"])
    assert inside == ["德国", "慕尼黑"] and other == []
    assert not places.find_places("和平路上的长安公司")


@pytest.mark.parametrize("text, location", [
    ("我们是滨江区的人形机器人企业", "杭州市滨江区"),
    ("萧山的一家机器人整机厂", "杭州市萧山区"),
    ("公司在建德市", "杭州市建德市"),
    ("注册在宁波市北仑区,研发在杭州", "宁波市北仑区"),
])
def test_location_is_one_full_name(matcher: Matcher, text: str, location: str) -> None:
    assert matcher.from_text(text)["location"] == location


@pytest.mark.parametrize("place", SUBTREE, ids=lambda p: p.name)
def test_a_district_as_registration_place_keeps_the_city_policy(matcher: Matcher, place) -> None:
    result = matcher.match({"location": place.name, "makes_robots": True,
                            "first_purchase_local_yuan": 3_000_000, "supplier_unaffiliated": True,
                            "supplier_in_hangzhou": True})
    assert [(i.article, i.status, i.amount_yuan) for i in result.items] == [(2, "eligible", 300_000)]


@pytest.fixture(scope="module")
def judge(assistant):
    return assistant.retriever.judge


@pytest.mark.parametrize("question, other, expected", [
    # a policy word later in the place's clause, no firm between: that place's policy
    ("深圳对人形机器人首台套的补贴比例是多少?跟杭州比哪个高", ["深圳"], True),
    ("上海那边人形机器人产业化项目资助比例是多少,跟杭州比哪个高", ["上海"], True),
    ("上海的人形机器人首台套补多少,跟杭州这个比呢", ["上海"], True),  # the place's own money asked
    ("我们在上海做机器人整机能补多少吗,杭州这边", ["上海"], False),  # where the enterprise is
    # a firm of that place, or a purchase from it: a supplier's place
    ("上海一家公司研发的工具包,我们杭州整机企业首次采购150万有奖励吗", ["上海"], False),
    ("杭州整机企业从上海采购芯片的补贴有吗", ["上海"], False),
    # no policy word in the place's clause
    ("上海的工程师来杭州工作,人才政策有吗", ["上海"], False),
])
def test_another_place_is_the_maker_of_the_policy_asked(question: str, other: list[str], expected: bool) -> None:
    assert policy_of_other_place(question, other) is expected


@pytest.mark.parametrize("question, place, expected", [
    ("我们从上海一家公司采购了芯片200万,奖励多少", "上海", True),
    ("首台套人形机器人卖给上海的经销商240万,补多少", "上海", True),
    ("Our humanoid sold RMB 2.4 million to an unrelated distributor in Shanghai. Subsidy?", "shanghai", True),
    ("我们是上海的企业,采购了杭州的芯片200万,奖励多少", "上海", False),  # the enterprise's own place
    ("上海的企业能享受首台套补贴吗", "上海", False),  # no trade: the place's firms asked about
])
def test_a_trading_counterparts_place_is_no_jurisdiction(question: str, place: str, expected: bool) -> None:
    assert counterpart_place(question, place) is expected


def test_a_counterparts_place_leaves_the_question_covered(assistant) -> None:  # noqa: ANN001
    answer = assistant.ask("我们从上海一家公司采购了芯片200万,奖励多少")
    assert answer.found and answer.calculation.amount_yuan == 0  # the supplier is not in Hangzhou
    assert not assistant.ask("上海的企业能享受首台套补贴吗").found


def test_a_name_right_after_a_district_is_a_place_within_it(judge) -> None:  # noqa: ANN001
    scope = judge.judge("临安青山湖 智能机器人产业化项目 实际投资1,600万元 能补多少")
    assert "青山湖" in scope.inside_places and not scope.other_places and scope.covered


@pytest.mark.parametrize("question, amount", [
    ("项目放在宁波前湾新区,人形机器人产业化,投资3000万,能拿杭州这个30%资助吗 多少", 0),
    ("我们在嘉兴建厂,人形机器人产业化项目投资2000万,能拿杭州的资助吗", 0),
    ("被投企业在建德建人形机器人产线 投资额0.6亿 含厂房1000万 旧设备500万,假设认定了先进水平", 13_500_000),
    ("我们是宁波的企业,在萧山建人形机器人产业化项目,投资3000万,能补多少", 9_000_000),  # the project's place
])
def test_where_the_project_is_decides_the_project_funding(assistant, question: str, amount: int) -> None:  # noqa: ANN001
    assert assistant.ask(question).calculation.amount_yuan == amount


def test_a_county_that_became_a_district_is_found_by_its_new_name() -> None:
    """R32 (繁昌区经信局): 繁昌县 became 繁昌区 in 2020, after the gazetteer's table; a name that is
    already another place's keeps that place."""
    assert [[p.name for p in m.places] for m in places.find_places("繁昌区经信局")] == [["繁昌县"]]
    assert [p.name for m in places.find_places("西湖区") for p in m.places][0] == "西湖区"


def test_a_districts_short_name_right_after_its_city_is_that_district() -> None:
    """R33 (杭州富阳发布人工智能高质量发展行动蓝图): 富阳 after 杭州 is 富阳区, so the page is 富阳's and a
    question on 富阳's plan is not about a place without a document."""
    found = [[p.name for p in m.places] for m in places.find_places("杭州富阳发布人工智能高质量发展行动蓝图")]
    assert found == [["杭州市"], ["富阳区"]]
    assert [[p.name for p in m.places] for m in places.find_places("杭州市")] == [["杭州市"]]


def test_a_county_short_name_the_dictionary_reads_as_another_word_is_no_place() -> None:
    """R37 rr37003: 战略性新兴产业链 — 新兴 (新兴县, 云浮) is the dictionary's adjective there; the full
    name 新兴县 is still the county."""
    guangdong = places.prefixes_of(["广东省"])
    assert [m.text for m in places.find_places("要有几个战略性新兴产业链初具规模", guangdong)] == []
    assert [m.text for m in places.find_places("新兴县的企业有什么支持", guangdong)] == ["新兴县"]


def test_a_district_merged_away_is_no_place(assistant) -> None:  # noqa: ANN001
    """AT rat026: 宁波's 江东区 was merged into 鄞州区 in 2016 — 大江东 (杭州's former zone) names no
    other place, and its project is computed (4亿 × 30% capped at 1亿)."""
    assert places.find_places("江东区") == [] or all(p.name != "江东区" for m in places.find_places("江东区")
                                                   for p in m.places)
    answer = assistant.ask("大江东的智能机器人产业化项目 实际投资4亿 全是设备和研发投入 不含土地厂房 按30%是1.2亿吗")
    assert answer.found and answer.calculation.amount_yuan == 100_000_000


def test_a_place_where_a_fair_is_held_is_a_venue() -> None:
    """Web round 28: 我们参加国内的机器人展会(比如在上海的展会) — 上海 is where the fair is, not a
    jurisdiction asked of (a library holding 上海's plan answered 没有规定“补贴(本库收录的该地文件…)”)."""
    from assistant.retrieve.doc_places import _VENUE

    text = "我们参加国内的机器人展会(比如在上海的展会),有没有展位费补贴?"
    at = text.index("上海") + 2
    assert _VENUE.match(text, at) and not _VENUE.match("上海有什么机器人政策?", 2)
