"""Each query text parsed and validated once: clients send the same few queries with other
variables, and parsing plus validation was a third of a small query's time (BENCHMARKS.md).
strawberry's two caches (LRUs of the last ``maxsize`` texts), fitted to the request's other steps."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache


class ParsedOnce(ParserCache):
    """A text that does not parse is left to strawberry's own parsing, which reports the error
    as the request's (with its code, schema/errors.py); an error raised here would not be."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query, **context.parse_options)
        except GraphQLError:
            pass
        yield


class ValidatedOnce(ValidationCache):
    """Runs after RequestLimits (schema/limits.py): a request it refused is not validated at all
    (validating a fragment fan-out is the work the limits are there to avoid). The cache's key
    holds the rules, so they are made once per schema."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is None:
            yield from super().on_validate()
        else:
            yield
