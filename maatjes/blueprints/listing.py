"""Lists that scale: a page of rows, the total, a search box, filters and a sort, all in the
query string (the back button and a shared link show the same list).

A view declares its filters and sorts; ``ListArgs.from_request`` reads and checks them (an
unknown value is ignored, not an error page); ``paginate`` runs two statements (the count and
the page) whatever the size of the table.
"""

from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

PER_PAGE = 25
MAX_PAGE = 100_000


@dataclass
class Filter:
    name: str
    label: Any
    options: list[tuple[str, Any]]  # (value, label); the value "" means "all"
    value: str = ""


@dataclass
class ListArgs:
    q: str = ""
    page: int = 1
    sort: str = ""
    filters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(
        cls, filters: list[Filter], sorts: list[tuple[str, Any]] | None = None
    ) -> "ListArgs":
        args = request.args
        page_text = args.get("page", "1")
        page = int(page_text) if page_text.isdigit() and 0 < int(page_text) <= MAX_PAGE else 1
        chosen = {}
        for f in filters:
            value = args.get(f.name, "")
            f.value = value if value in {v for v, _label in f.options} else ""
            chosen[f.name] = f.value
        sort_values = [value for value, _label in (sorts or [])]
        sort = args.get("sort", "")
        if sort not in sort_values:
            sort = sort_values[0] if sort_values else ""
        return cls(q=args.get("q", "")[:100].strip(), page=page, sort=sort, filters=chosen)

    def get(self, name: str) -> str:
        return self.filters.get(name, "")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def paginate(
    session: Session, query: Select, page: int, *, per_page: int = PER_PAGE, rows: bool = False
) -> Page:
    """The count of ``query`` and one page of it (a page past the end shows the last one).
    ``rows``: the query selects several columns (tuples), not one entity."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    limited = query.limit(per_page).offset((page - 1) * per_page)
    items = session.execute(limited).all() if rows else session.scalars(limited).all()
    return Page(list(items), total, page, per_page)


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (None removes one); for pagers and
    sort links in templates."""
    args = request.args.to_dict()
    for name, value in changes.items():
        if value is None or value == "":
            args.pop(name, None)
        else:
            args[name] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)
