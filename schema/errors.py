"""GraphQL errors with a machine-readable ``extensions.code``, and the extension that keeps
anything unexpected (a bug, a store failure) from reaching a client with its details."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graph.text import shorten

log = logging.getLogger("kpss.graphql")

NOT_FOUND = "NOT_FOUND"
BAD_USER_INPUT = "BAD_USER_INPUT"
LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"
MAX_MESSAGE = 300


class ApiError(GraphQLError):
    """An error the client caused and can act on; its message is safe to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})


def not_found(message: str) -> ApiError:
    return ApiError(NOT_FOUND, message)


def bad_input(message: str) -> ApiError:
    return ApiError(BAD_USER_INPUT, message)


def limit_exceeded(message: str) -> ApiError:
    return ApiError(LIMIT_EXCEEDED, message)


class ErrorCodes(SchemaExtension):
    """Gives every error a code; replaces the message of unexpected errors with a generic one
    (their details go to the server log only), so no stack trace or store message leaks."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and (errors := getattr(result, "errors", None)):
            result.errors = [self._coded(e) for e in errors]

    @classmethod
    def _coded(cls, error: GraphQLError) -> GraphQLError:
        coded = cls._with_code(error)
        if len(coded.message) > MAX_MESSAGE:  # a message may quote the input: never all of it
            return GraphQLError(shorten(coded.message, MAX_MESSAGE), coded.nodes, coded.source, coded.positions,
                                coded.path, extensions=coded.extensions)
        return coded

    @staticmethod
    def _with_code(error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, ApiError) or (error.extensions or {}).get("code"):
            return error
        if original is None:  # a parse or validation error: about the query, safe to show
            limits = ("exceeds maximum operation depth", "aliases found. Allowed", "tokens. Parsing aborted")
            code = LIMIT_EXCEEDED if any(limit in error.message for limit in limits) else VALIDATION_FAILED
            return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                                extensions={"code": code})
        if isinstance(original, GraphQLError):
            # A value the schema refused: a variable's before anything runs ("Variable '$m' has invalid
            # value…"), or an argument's as its field runs (a null variable given to a non-null argument
            # with a default): graphql-core's own message about the input, safe to show.
            return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                                extensions={"code": BAD_USER_INPUT})
        log.error("unexpected error in a GraphQL request", exc_info=original)
        return GraphQLError("Unexpected error.", error.nodes, error.source, error.positions, error.path,
                            extensions={"code": INTERNAL})
