"""Retry configuration and the UNSET sentinel (the seed SDK's ``utils``)."""

from typing import NamedTuple, TypeVar, Union

T = TypeVar("T")


class Unset:
    """Type of :data:`UNSET`: "not given", as opposed to ``None``."""

    __slots__ = ()
    _instance: "Unset | None" = None

    def __new__(cls) -> "Unset":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"


UNSET = Unset()

#: ``T``, ``None`` or :data:`UNSET`.
OptionalNullable = Union[T, None, Unset]


class BackoffStrategy(NamedTuple):
    """Exponential backoff, all times in milliseconds (as in the seed SDK).

    The wait before retry n is ``min(max_interval, initial_interval *
    exponent**n)`` plus up to 25 % jitter; a Retry-After header on a 429/503
    replaces it. No retry is made whose wait would end past
    ``max_elapsed_time``.
    """

    initial_interval: int
    max_interval: int
    exponent: float
    max_elapsed_time: int


class RetryConfig(NamedTuple):
    """``RetryConfig("backoff", BackoffStrategy(...), retry_connection_errors)``.

    A strategy other than ``"backoff"`` means a single attempt, like the seed.
    ``max_attempts`` (new) caps the total number of attempts; 0 = no cap.
    Retried: HTTP 5XX, 429 on GET operations, and connection errors and
    timeouts when ``retry_connection_errors``. A sign-in is never retried
    after a 4XX.
    """

    strategy: str
    backoff: BackoffStrategy
    retry_connection_errors: bool
    max_attempts: int = 0


__all__ = ["BackoffStrategy", "OptionalNullable", "RetryConfig", "UNSET", "Unset"]
