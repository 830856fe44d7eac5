"""Page-number pagination as on the catalog pages, with the page and its size capped (an offset past
any table is an empty page, never a database overflow)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=10_000)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


class Mapped:
    """A queryset the paginator slices and counts in SQL, each row of the page mapped to its schema
    (so prefetches run once per page, not once per row)."""

    def __init__(self, queryset: QuerySet[Any], out: Any) -> None:
        self.queryset = queryset
        self.out = out

    def __getitem__(self, page: slice) -> list[Any]:
        return [self.out(row) for row in self.queryset[page]]

    def all(self) -> Mapped:
        return self

    def count(self) -> int:
        return self.queryset.count()
