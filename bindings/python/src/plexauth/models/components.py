"""Shared building blocks: the raw HTTP response kept on results and errors."""

from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional, Tuple

HeaderItems = Iterable[Tuple[str, str]]


class Headers(Mapping[str, str]):
    """Case-insensitive, read-only response headers (like ``httpx.Headers``).

    ``headers["content-type"]`` and ``headers["Content-Type"]`` are the same;
    repeated headers are joined with ", " (``get_list`` gives them apart).
    """

    __slots__ = ("_items", "_joined", "_source")

    def __init__(self, items: HeaderItems = ()) -> None:
        self._source: Optional[Callable[[], HeaderItems]] = None
        self._fill(items)

    @classmethod
    def _lazy(cls, source: Callable[[], HeaderItems]) -> "Headers":
        """Headers read from ``source()`` on first use (the binding copies a
        result's headers out of the library only if they are looked at)."""
        headers = cls.__new__(cls)
        headers._source = source
        return headers

    def _fill(self, items: HeaderItems) -> None:
        pairs = tuple(items)
        joined: Dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            joined[key] = f"{joined[key]}, {value}" if key in joined else value
        self._items, self._joined = pairs, joined

    def _loaded(self) -> "Headers":
        source = self._source
        if source is not None:  # (two threads may both fill: same result)
            self._fill(source())
            self._source = None
        return self

    def __getitem__(self, key: str) -> str:
        return self._loaded()._joined[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._loaded()._joined

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded()._joined)

    def __len__(self) -> int:
        return len(self._loaded()._joined)

    def get_list(self, key: str) -> List[str]:
        """Every value of a header, in the order received."""
        key = key.lower()
        return [v for n, v in self._loaded()._items if n.lower() == key]

    def multi_items(self) -> List[Tuple[str, str]]:
        """(name, value) pairs as received."""
        return list(self._loaded()._items)

    def __repr__(self) -> str:
        return f"Headers({list(self._loaded()._items)!r})"

    def __reduce__(self) -> Tuple[Any, Tuple[Tuple[Tuple[str, str], ...]]]:
        # copy, deepcopy and pickle take the headers themselves, never the source
        return (Headers, (self._loaded()._items,))


class RawResponse(NamedTuple):
    """The HTTP response behind a result or an error (the seed exposed an
    ``httpx.Response``; this keeps the parts callers read: ``status_code``,
    ``headers``, ``content``, ``text`` and ``json()``).

    On errors the library keeps only the status, the Content-Type and the body,
    truncated to 4 KiB with known secrets redacted.
    """

    status_code: int
    headers: Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(self.encoding, "replace")

    @property
    def encoding(self) -> str:
        ctype = self.headers.get("content-type", "")
        for param in ctype.split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip('"')
        return "utf-8"

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        import json

        return json.loads(self.content)

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {len(self.content)} bytes>"


def raw_response(
    status_code: int, content_type: Optional[str], headers: Optional[List[Tuple[str, str]]], body: bytes
) -> RawResponse:
    if headers is None:
        headers = [("Content-Type", content_type)] if content_type else []
    return RawResponse(status_code, Headers(headers), body)
