"""R41's first run (real documents, issue 17): an untitled provincial text whose place is only its
文号's one-character name (闽政〔2015〕36号), titled by what its preamble says the measures are on
(现就加快发展智能制造提出如下措施)."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings

R41 = FIXTURES / "real-r41"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("r41")
    shutil.copytree(CORPUS, root / "corpus")
    add_document(root / "corpus", R41 / "r41-fj-zhinengzhizao.txt")
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


def test_an_untitled_provincial_text_by_its_number(library: Assistant) -> None:
    doc = library.corpus.document("r41-fj-zhinengzhizao")
    assert doc is not None and doc.title == "关于加快发展智能制造的措施"
    assert doc.meta.jurisdiction[:2] == ["福建省", "Fujian"]


@pytest.mark.parametrize("question, label", [
    ("福建的“机器换工”主要在哪些行业领域组织实施?", "一、(三)"),  # rr41034
    ("福建智能制造措施里的“数控一代”主攻方向具体指什么?", "一、(一)"),  # rr41033
])
def test_questions_naming_the_province_are_answered_from_it(library: Assistant, question: str, label: str) -> None:
    answer = library.ask(question)
    assert answer.found and (answer.citations[0].doc_id, answer.citations[0].article_label) == \
        ("r41-fj-zhinengzhizao", label)



def test_the_topic_of_a_making_sentence_leaves_our_city_out(tmp_path) -> None:  # noqa: ANN001
    """R5 (杭州's 人工智能 意见, untitled): 现就加快推进我市人工智能产业创新发展提出如下意见 — a title names
    its place or none, never 我市."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    meta = add_document(tmp_path / "corpus", FIXTURES / "real-r5" / "hz-ai-opinions-2023.txt").meta
    assert meta.title == "关于加快推进人工智能产业创新发展的意见"


@pytest.mark.parametrize("name, title, issuer, date", [
    # 现组织开展…评价工作,相关事项通知如下; 扫描二维码下载附件 above its 落款 is the page's
    ("r41-xiaoshan-cxxzxqy.txt", "关于开展2025年度第四批创新型中小企业评价工作的通知",
     "杭州市萧山区经济和信息化局", "2025-11-17"),
    # 现决定组织开展…遴选认定工作(具体…),有关事项通告如下: a 通告
    ("r41-dongguan-aicxzx.docx", "关于开展2026年东莞市人工智能应用创新中心遴选认定工作的通告",
     "东莞市工业和信息化局 东莞市政务服务和数据管理局", "2026-03-12"),
    # heading said twice, 时间: and 来源: and the body on one line
    ("r41-qingdao-jscxsf-ai.txt", "关于组织推荐2023年青岛市技术创新示范企业(人工智能)的通知",
     "青岛市工业和信息化局", "2023-11-02"),
])
def test_untitled_and_run_together_notices(corpus_copy, name: str, title: str, issuer: str, date: str) -> None:  # noqa: ANN001
    meta = add_document(corpus_copy, R41 / name).meta
    assert (meta.title, meta.issuer, str(meta.date)) == (title, issuer, date)


def test_a_signature_dates_a_page_whose_top_has_a_posting_time(corpus_copy) -> None:  # noqa: ANN001
    """R9 (广东 首台套 目录 notice): 发布时间: 2017-02-13 at the top, 2017年2月10日 under its 落款."""
    meta = add_document(corpus_copy, FIXTURES / "real-r9" / "r9-gd-shoutaitao-2017.txt").meta
    assert str(meta.date) == "2017-02-10"
