"""The site's search: relevance over a generated corpus, what is typed never breaks it, matched
words are highlighted and escaped, and the admin's page search finds Chinese words. Run on
SQLite by default and on PostgreSQL with DATABASE_URL set."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_tasks_db.models import DBTaskResult
from wagtail.search.backends import get_search_backend

from courses.models import CourseIndexPage, CoursePage
from search.models import SearchEntry, Synonym
from search.registry import Document
from search.selectors import search
from search.services import index_all, index_document, rebuild_index
from search.tasks import reindex_object
from search.text import highlight, parse_query, repo_synonyms

from .relevance import QUERIES, corpus

SEARCH = "/search/"


@pytest.fixture
def generated(db):
    """Only the generated corpus in the index (the demo's entries are rolled back after)."""
    SearchEntry.objects.all().delete()
    index_all(documents=corpus())


def first_five(query: str) -> dict[str, list[str]]:
    found = search(query, user=AnonymousUser(), kinds=["course", "lesson"], per_kind=5)
    return {group.kind: [str(hit.title) for hit in group.hits] for group in found.groups}


def plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def test_relevance_set(generated):
    assert len(QUERIES) >= 40
    misses = []
    for query, expected in QUERIES:
        found = first_five(query)
        for kind, title in expected:
            if title not in [plain(t) for t in found.get(kind, [])]:
                misses.append((query, kind, title, found))
    assert not misses, "\n".join(map(str, misses))


def test_title_above_body_among_many(generated):
    """Twenty others mention 书法 in their text only: the course with it in its title is first."""
    found = search("书法", user=AnonymousUser(), kinds=["course"], per_kind=5)
    assert plain(str(found.groups[0].hits[0].title)) == "书法入门"
    assert found.groups[0].total == 3 + 20  # title, summary, summary and the crowd's bodies


BAD_INPUT = [
    "",
    " ",
    "书" * 500,
    "a" * 500,
    "！？。，、；：" * 10,
    '"',
    "*",
    ":",
    "&",
    "|",
    "!",
    "(",
    ")",
    "NEAR",
    "OR",
    "书法 OR 合唱",
    "NEAR(书法 合唱)",
    '"书法" *',
    "书法:*",
    "'; DROP TABLE search_searchentry; --",
    "书法 & | ! ( ) <-> :* \\",
    "😀😀",
    "书法😀",
    "ｓｈｕｆａ",
    "ＡＢＣ１２３",
    "%_%",
    "\x00书法",
]


@pytest.mark.parametrize("typed", BAD_INPUT)
def test_nothing_typed_breaks_it(demo_site, client, typed):
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == 200
    html = response.content.decode()
    if typed.strip():
        assert "找到 " in html or "没有找到" in html
    # The catalog's box goes through the same engine.
    catalog = CourseIndexPage.objects.get().url
    assert client.get(catalog, {"q": typed}).status_code == 200


def test_nothing_found_offers_categories_and_the_help_line(demo_site, client):
    html = client.get(SEARCH, {"q": "滑翔伞"}).content.decode()
    assert "没有找到" in html
    assert "书画" in html  # a category to look at instead
    assert "值班电话" in html


def test_results_grouped_with_counts_in_words(demo_site, client_as):
    html = client_as("13900000001").get(SEARCH, {"q": "书法"}).content.decode()
    assert "找到 3 门课程" in html
    assert "<mark>书法</mark>入门" in html


def test_matched_words_are_highlighted_and_escaped(demo_site, client):
    index_document(
        document=Document(
            kind="course",
            object_id=999_999,
            url="/courses/x/",
            title="<script>alert(1)</script>书法课",
            summary='<img src=x onerror="alert(2)">书法',
        )
    )
    html = client.get(SEARCH, {"q": "书法"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>书法</mark>课" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_staff_synonyms_from_the_admin(demo_site, client):
    assert "没有找到" in client.get(SEARCH, {"q": "写大字"}).content.decode()
    Synonym.objects.create(word="写大字", alternatives="书法")
    assert "<mark>书法</mark>入门" in client.get(SEARCH, {"q": "写大字"}).content.decode()


def test_a_course_found_once_published_and_gone_once_unpublished(demo_site, client):
    course = CoursePage.objects.get(title="书法入门")
    course.title = "书法入门与提高"
    course.save_revision()  # a draft is not searchable
    assert "入门与提高" not in client.get(SEARCH, {"q": "提高"}).content.decode()
    course.save_revision().publish()
    assert "入门与<mark>提高</mark>" in client.get(SEARCH, {"q": "提高"}).content.decode()
    course.unpublish()
    assert "入门与" not in client.get(SEARCH, {"q": "提高"}).content.decode()


def test_rebuild_gives_the_same_entries(demo_site):
    before = set(SearchEntry.objects.values_list("kind", "object_id", "title_words"))
    written = rebuild_index()
    assert written["course"] >= 12 and written["notice"] >= 1
    assert set(SearchEntry.objects.values_list("kind", "object_id", "title_words")) == before


def test_catalog_uses_the_same_engine(demo_site, client):
    catalog = CourseIndexPage.objects.get().url
    for typed in ("shufa", "毛笔字", "書法"):
        titles = [c.title for c in client.get(catalog, {"q": typed}).context["courses"]]
        assert "书法入门" in titles, typed


def test_the_admins_page_search_finds_a_chinese_word(demo_site, client_as):
    course = CoursePage.objects.get(title="葫芦丝入门")
    course.title = "葫芦丝演奏入门"
    course.save_revision().publish()
    get_search_backend().add(course)  # the tests turn Wagtail's automatic upkeep off
    html = client_as("admin").get("/admin/pages/search/", {"q": "演奏"}).content.decode()
    assert "葫芦丝演奏入门" in html


def test_pinyin_highlights_the_chinese_it_stands_for(demo_site, client):
    html = client.get(SEARCH, {"q": "shufa"}).content.decode()
    assert "<mark>书法</mark>入门" in html
    assert "<mark>书法</mark>入门" in client.get(SEARCH, {"q": "sf"}).content.decode()
    assert "<mark>葫芦丝</mark>" in client.get(SEARCH, {"q": "hulusi"}).content.decode()


def test_pinyin_highlight_unit_cases():
    terms = parse_query("shu fa", repo_synonyms())
    assert str(highlight("学习书法", terms)) == "学习<mark>书法</mark>"
    assert str(highlight("音乐欣赏", parse_query("yinyue", {}))) == "<mark>音乐</mark>欣赏"
    assert str(highlight("八段锦晨练", parse_query("bdj", {}))) == "<mark>八段锦</mark>晨练"
    # Markup stays text around the marks.
    shown = str(highlight("<b>书法</b>", parse_query("shufa", {})))
    assert shown == "&lt;b&gt;<mark>书法</mark>&lt;/b&gt;"


def test_publishing_indexes_in_a_task(demo_site, client, settings):
    """With the project's database queue the publish only enqueues; the index follows when a
    worker runs the task (here run in this process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    course = CoursePage.objects.get(title="书法入门")
    course.title = "书法入门与提高"
    course.save_revision().publish()
    queued = DBTaskResult.objects.filter(task_path="search.tasks.reindex_object")
    assert ["course", course.pk] in [row.args_kwargs["args"] for row in queued]
    assert "入门与提高" not in client.get(SEARCH, {"q": "提高"}).content.decode()
    for row in queued:
        reindex_object.call(*row.args_kwargs["args"])
    assert "入门与<mark>提高</mark>" in client.get(SEARCH, {"q": "提高"}).content.decode()
