"""Relay-style connections: ``first``/``after`` over a list in a stable order.

A cursor is the sort key of the item it points at (not an offset), so a page follows from where
the previous one ended even when items were added before it meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from schema.errors import bad_input, limit_exceeded
from schema.limits import MAX_CURSOR_LENGTH

T = TypeVar("T")
Key = tuple[Any, ...]

FIRST_DOC = "Page size: at most the server's maximum page size (KPSS_MAX_PAGE_SIZE, 100 by default), which is also the default."
AFTER_DOC = f"Cursor of the last item of the previous page (its edge's `cursor` or `pageInfo.endCursor`); at most {MAX_CURSOR_LENGTH} characters."


@strawberry.type(description="Where a page lies in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item of the page; pass it as `after` for the next page.")


@strawberry.type(description="One item of a page with its cursor.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Opaque position of the item; pass it as `after` to continue after it.")


@strawberry.type(description="A page of a list in a stable order (Relay connection): pass `first` and `after` for the next page.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of the page with their cursors.")
    page_info: PageInfo = strawberry.field(description="Whether more items follow or precede the page.")
    total_count: int = strawberry.field(description="How many items the whole list has (every page together).")

    @strawberry.field(description="The items of the page without cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


def encode_cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), ensure_ascii=False).encode()).decode()


def decode_cursor(cursor: str) -> Key:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise bad_input(f"invalid cursor {cursor!r}") from None
    if not isinstance(value, list):
        raise bad_input(f"invalid cursor {cursor!r}")
    return tuple(value)


def check_first(first: int | None, max_page_size: int) -> int:
    if first is None:
        return max_page_size
    if first < 0:
        raise bad_input("`first` must not be negative")
    if first > max_page_size:
        raise limit_exceeded(f"`first` is {first} but a page holds at most {max_page_size} items")
    return first


def paginate(items: Sequence[Any], key: Callable[[Any], Key], first: int | None, after: str | None,
             max_page_size: int, wrap: Callable[[Any], T] = lambda x: x) -> Connection[T]:
    """A page of ``items``, which must be sorted by ``key`` (unique per item)."""
    size = check_first(first, max_page_size)
    keys = [key(item) for item in items]
    start = 0
    if after is not None:
        wanted = decode_cursor(after)
        try:
            start = bisect.bisect_right(keys, wanted)
        except TypeError:
            raise bad_input(f"invalid cursor {after!r} for this list") from None
    chosen = range(start, min(start + size, len(items)))
    edges = [Edge(node=wrap(items[i]), cursor=encode_cursor(keys[i])) for i in chosen]
    info = PageInfo(
        has_next_page=start + size < len(items),
        has_previous_page=start > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=len(items))
