"""Reads: what a query finds for a person, kind by kind, best first."""

import hashlib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from .models import SearchEntry, Synonym
from .registry import KINDS
from .services import GENERATION_KEY, SYNONYMS_KEY
from .text import (
    QUERY_MAX,
    Term,
    add_words,
    excerpt,
    highlight,
    normalise,
    parse_query,
    repo_synonyms,
)

# Column weights on SQLite's bm25 (title, summary, body, pinyin), as PostgreSQL's A, B, C
# weights. Ranking is by tier first (all words in the title, in title and summary, elsewhere),
# then by this score; notices of one tier newest first.
BM25 = "bm25(search_searchentry_fts, 10.0, 4.0, 1.0, 8.0)"
# Fuzzy matching (a typo in one character) applies to words this long and longer.
FUZZY_LENGTH = 4
# How long found results may be served from the cache at most (a publish changes the index's
# generation, which retires them at once where the cache is shared).
RESULTS_SECONDS = 60


@dataclass
class Hit:
    kind: str
    object_id: int
    url: str
    title: SafeString
    text: SafeString
    published_at: object


@dataclass
class Group:
    kind: str
    label: str
    unit: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def count_words(self) -> str:
        return f"{self.total} {self.unit}{self.label}"


@dataclass
class Results:
    query: str
    terms: list[Term]
    groups: list[Group]
    fuzzy: bool = False

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def summary(self) -> str:
        """找到 3 门课程、2 条通知"""
        found = [group.count_words for group in self.groups if group.total]
        return "找到 " + "、".join(found) if found else "没有找到"


def synonyms() -> dict[str, tuple[str, ...]]:
    """The repository's list with what staff added in the admin (theirs win)."""
    table = cache.get(SYNONYMS_KEY)
    if table is None:
        table = dict(repo_synonyms())
        for row in Synonym.objects.all():
            table[row.word.strip()] = tuple(row.alternatives.split())
        cache.set(SYNONYMS_KEY, table, timeout=300)
    add_words([word for word in table if len(word) > 1])
    return table


def quote_tsquery(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def match_expression(terms: list[Term]) -> str:
    """The query in the database's own language. Words hold letters and digits only
    (search.text.clean), so nothing typed becomes an operator."""
    parts = []
    for term in terms:
        if connection.vendor == "postgresql":
            options = [quote_tsquery(w) for w in term.words]
            options += [quote_tsquery(p) + ":*" for p in term.prefixes]
            parts.append("(" + " | ".join(options) + ")")
        else:
            options = [f'"{w}"' for w in term.words] + [f'"{p}"*' for p in term.prefixes]
            parts.append("(" + " OR ".join(options) + ")")
    return (" & " if connection.vendor == "postgresql" else " AND ").join(parts)


def visible_condition(user, kinds: list[str]) -> tuple[str, list]:
    """SQL limiting entries to what this user may see, by each kind's own rules."""
    clauses, params = [], []
    for name in kinds:
        visible = KINDS[name].visible_to
        if visible is None:
            clauses.append("e.kind = %s")
            params.append(name)
            continue
        ids = visible(user)
        if isinstance(ids, QuerySet):
            try:
                sql, ids_params = ids.query.sql_with_params()
            except EmptyResultSet:  # a filter that can match nothing (pk__in=[])
                continue
            clauses.append(f"(e.kind = %s AND e.object_id IN ({sql}))")
            params += [name, *ids_params]
        elif ids:
            clauses.append(f"(e.kind = %s AND e.object_id IN ({', '.join(['%s'] * len(ids))}))")
            params += [name, *ids]
    return "(" + (" OR ".join(clauses) or "1 = 0") + ")", params


def ranked_rows(
    *, terms: list[Term], title_patterns: list[str], user, kinds: list[str], start: int, stop: int
) -> list[tuple]:
    """Rows (id, kind, object_id, total) of the best matches, per kind those ranked
    start+1 … stop, with the kind's total."""
    visible_sql, params = visible_condition(user, kinds)
    where = [visible_sql]
    match = match_expression(terms) if terms else ""
    # tier: every word in the title (or its pinyin) 3, in the title and summary 2, else 1.
    if not match:
        source, tier, score, select_params, match_params = "search_searchentry e", "3", "0", [], []
    elif connection.vendor == "postgresql":
        source = "search_searchentry e"
        tier = (
            "CASE WHEN e.title_document @@ %s::tsquery THEN 3"
            " WHEN e.lead_document @@ %s::tsquery THEN 2 ELSE 1 END"
        )
        score = "ts_rank(e.document, %s::tsquery)"
        select_params, match_params = [match, match, match], [match]
        where.append("e.document @@ %s::tsquery")
    else:
        source = "search_searchentry_fts f JOIN search_searchentry e ON e.id = f.rowid"
        in_columns = (
            "e.id IN (SELECT rowid FROM search_searchentry_fts"
            " WHERE search_searchentry_fts MATCH %s)"
        )
        tier = f"CASE WHEN {in_columns} THEN 3 WHEN {in_columns} THEN 2 ELSE 1 END"
        score = f"-{BM25}"
        select_params = [
            f"{{title_words pinyin}} : ({match})",
            f"{{title_words summary_words pinyin}} : ({match})",
        ]
        match_params = [match]
        where.append("search_searchentry_fts MATCH %s")
    if title_patterns:
        where.append("(" + " OR ".join(["e.title LIKE %s"] * len(title_patterns)) + ")")
    sql = f"""
        SELECT id, kind, object_id, total FROM (
            SELECT id, kind, object_id,
                ROW_NUMBER() OVER (
                    PARTITION BY kind ORDER BY tier DESC,
                        CASE WHEN kind = 'notice' THEN 0 ELSE score END DESC,
                        published_at DESC, id DESC
                ) AS position,
                COUNT(*) OVER (PARTITION BY kind) AS total
            FROM (
                SELECT e.id, e.kind, e.object_id, e.published_at, {tier} AS tier,
                    {score} AS score
                FROM {source}
                WHERE {" AND ".join(where)}
            ) matched
        ) ranked
        WHERE position > %s AND position <= %s
        ORDER BY kind, position"""
    # In the order the placeholders appear: tier and score, WHERE's clauses, the window.
    all_params = [*select_params, *params, *match_params, *title_patterns, start, stop]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return cursor.fetchall()


def fuzzy_variants(query: str, terms: list[Term]) -> tuple[list[Term], list[str]]:
    """For a run of four or more characters nothing matched: title patterns with any one of
    its characters unknown (智能手鸡 → 智能手_, 智能_鸡 …); the query's other words still
    have to match as usual."""
    runs = re.findall(rf"[\u3400-\u9fff]{{{FUZZY_LENGTH},}}", normalise(query)[:QUERY_MAX])
    if not runs:
        return terms, []
    run = max(runs, key=len)[:12]
    patterns = [f"%{run[:i]}_{run[i + 1 :]}%" for i in range(len(run))]
    return [t for t in terms if t.typed not in run], patterns


def search(
    query: str, *, user, kinds: list[str] | None = None, start: int = 0, per_kind: int = 5
) -> Results:
    """What `query` finds for `user`: each kind's total and its hits ranked start+1 …
    start+per_kind (title above summary above body; newer first among equals)."""
    kinds = [k for k in (kinds or KINDS) if k in KINDS]
    terms = parse_query(query, synonyms())
    results = Results(query=query, terms=terms, groups=[])
    if not terms or not kinds:
        return results
    window = {"user": user, "kinds": kinds, "start": start, "stop": start + per_kind}
    found = found_hits(terms=terms, title_patterns=[], **window)
    if not found:
        rest, patterns = fuzzy_variants(query, terms)
        if patterns:
            results.fuzzy = True
            found = found_hits(terms=rest, title_patterns=patterns, **window)
    for name in kinds:
        kind = KINDS[name]
        total, hits = found.get(name, (0, []))
        results.groups.append(
            Group(kind=name, label=kind.label, unit=kind.unit, total=total, hits=hits)
        )
    return results


def cached_for_everyone(key_parts: tuple, compute):
    """What the kinds everyone sees alike (courses, lessons) give for a query, from the cache
    while the index has not changed: ranking thousands of matches for a two-character word is
    the search's expensive part, and the same few hundred words are asked all day."""
    generation = cache.get(GENERATION_KEY, 0)
    digest = hashlib.sha256(repr(key_parts).encode()).hexdigest()[:32]
    key = f"search:found:{generation}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=RESULTS_SECONDS)
    return value


def terms_key(terms: list[Term]) -> tuple:
    return tuple((tuple(term.words), tuple(term.prefixes)) for term in terms)


def rows_kind_by_kind(*, kinds: list[str], **window) -> list[tuple]:
    """ranked_rows one kind at a time: each query then reads only that kind's matches
    (PostgreSQL has a GIN index per kind, migration 0003)."""
    return [row for name in kinds for row in ranked_rows(kinds=[name], **window)]


def hits_of_rows(rows: list[tuple], terms: list[Term]) -> dict[str, tuple[int, list[Hit]]]:
    entries = SearchEntry.objects.in_bulk([row[0] for row in rows])
    found: dict[str, tuple[int, list[Hit]]] = {}
    for entry_id, kind, _object_id, total in rows:
        found.setdefault(kind, (total, []))[1].append(hit_of(entries[entry_id], terms))
    return found


def found_hits(
    *, terms: list[Term], title_patterns: list[str], user, kinds: list[str], start: int, stop: int
) -> dict[str, tuple[int, list[Hit]]]:
    """kind → (total, hits ranked start+1 … stop) for the kinds with a match; the kinds
    everyone sees alike through the cache, those with an audience asked each time."""
    public = [name for name in kinds if KINDS[name].visible_to is None]
    private = [name for name in kinds if name not in public]
    window = {"terms": terms, "title_patterns": title_patterns, "start": start, "stop": stop}
    found: dict[str, tuple[int, list[Hit]]] = {}
    if public:
        key = ("hits", terms_key(terms), tuple(title_patterns), tuple(public), start, stop)
        found.update(
            cached_for_everyone(
                key,
                lambda: hits_of_rows(rows_kind_by_kind(user=None, kinds=public, **window), terms),
            )
        )
    if private:
        found.update(hits_of_rows(rows_kind_by_kind(user=user, kinds=private, **window), terms))
    return found


def hit_of(entry: SearchEntry, terms: list[Term]) -> Hit:
    text = entry.summary
    shown = excerpt(entry.body, terms) if entry.body else ""
    if not any(w in (entry.summary or "") for t in terms for w in t.shown) and shown:
        text = shown
    return Hit(
        kind=entry.kind,
        object_id=entry.object_id,
        url=entry.url,
        title=highlight(entry.title, terms),
        text=highlight(excerpt(text, terms, length=100), terms),
        published_at=entry.published_at,
    )


def matching_ids(query: str, *, kind: str, user=None) -> list[int] | None:
    """Object ids of one kind the query finds, best first; None when the query has no words
    (the caller shows everything)."""
    terms = parse_query(query, synonyms())
    if not terms:
        return None

    def ids() -> list[int]:
        rows = ranked_rows(
            terms=terms, title_patterns=[], user=user, kinds=[kind], start=0, stop=10_000
        )
        return [row[2] for row in rows]

    if KINDS[kind].visible_to is None:
        return cached_for_everyone(("ids", terms_key(terms), kind), ids)
    return ids()
