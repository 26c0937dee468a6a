from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from .registry import KINDS
from .selectors import search

PER_KIND = 5
PER_PAGE = 20


def results(request: HttpRequest) -> HttpResponse:
    """搜索: everything the person may see, grouped by kind. With ?kind= one kind, page by
    page."""
    query = request.GET.get("q", "")[:500]
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    number = request.GET.get("page", "")
    number = int(number) if number.isdigit() and 0 < int(number) < 1000 else 1
    per_kind = PER_PAGE if kind else PER_KIND
    found = search(
        query,
        user=request.user,
        kinds=[kind] if kind else None,
        start=(number - 1) * per_kind,
        per_kind=per_kind,
    )
    pages = None
    if kind and found.groups:
        pages = Paginator(range(found.groups[0].total), PER_PAGE).get_page(number)
    suggestions = []
    if not found.total:
        for registered in KINDS.values():
            if registered.suggestions:
                suggestions += registered.suggestions()
    return render(
        request,
        "search/results.html",
        {
            "query": query.strip(),
            "found": found,
            "kind": kind,
            "pages": pages,
            "suggestions": suggestions,
            "query_string": urlencode({"q": query.strip()}),
            "kind_query": urlencode({"q": query.strip(), "kind": kind}),
        },
    )
