"""What one GraphQL request may ask, checked from the parsed query before anything runs: the
length of every string it gives (and that its text is valid Unicode), and its cost.

The cost estimates the work before it is done: every field counts 1 (or its weight, for the
fields that compute over the whole graph) plus its subfields times the number of items it can
return: a connection's edges and nodes count its `first` (the maximum page size when not given),
other lists ``LIST_SIZE``.
Fragments count as what they expand to, each costed once (a fragment spread twice costs twice,
without being expanded twice), and the arithmetic stops at ``COST_CAP``, so a query of a
few hundred tokens that expands to 2^30 fields is costed in microseconds and refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache, cached
from cachetools.keys import hashkey
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    TypeMetaFieldDef,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    is_list_type,
    visit,
)
from strawberry.extensions import SchemaExtension

from schema.errors import bad_input, limit_exceeded

# Longest string accepted, in characters: the words of a `text` argument, a cursor (`after`), and
# everything else (registration numbers, ids, codes, dates, amounts). Far above any real value.
MAX_TEXT_LENGTH = 500
MAX_CURSOR_LENGTH = 2000
MAX_KEY_LENGTH = 300
MAX_QUERY_LENGTH = 100_000  # characters of the query text, where the token limit cannot see a long string
MAX_TEXT_WORDS = 20  # every word of a text is matched against every name it may be in
KEY_DOC = f"At most {MAX_KEY_LENGTH} characters."
TEXT_DOC = f"At most {MAX_TEXT_LENGTH} characters and {MAX_TEXT_WORDS} words."
OTHER_STRINGS_DOC = f"Every other string: at most {MAX_KEY_LENGTH} characters."
COST_CAP = 10**12
# Items a list that is not paged is counted as: the fixed lists (programmes, regions) and an
# object's own lists (a project's participations, a programme's axes) are short.
LIST_SIZE = 20
_INTROSPECTION = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- strings --------------------------------------------------------------------------------


def _limit(name: str) -> int:
    return {"text": MAX_TEXT_LENGTH, "after": MAX_CURSOR_LENGTH}.get(name, MAX_KEY_LENGTH)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _unicode(text: str, where: str) -> None:
    if _SURROGATE.search(text):
        raise bad_input(f"{where} is not valid Unicode text (it holds a lone surrogate code point)")


def _check_string(value: str, path: str, name: str) -> None:
    _unicode(value, f"`{path}`")
    limit = _limit(name)
    if len(value) > limit:
        raise bad_input(f"`{path}` is {len(value):,} characters long; at most {limit:,} are accepted")
    if name == "text" and len(value.split()) > MAX_TEXT_WORDS:
        raise bad_input(f"`{path}` has {len(value.split()):,} words; at most {MAX_TEXT_WORDS} are accepted")


def _check_value(value: Any, path: str, name: str, type_: GraphQLInputType | None) -> None:
    """A variable's value given to an argument or input field ``name`` of ``type_``."""
    named = get_named_type(type_) if type_ else None
    if isinstance(value, str):
        _check_string(value, path, name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_value(item, f"{path}[{i}]", name, type_)
    elif isinstance(value, Mapping):
        fields = named.fields if isinstance(named, GraphQLInputObjectType) else {}
        for key, item in value.items():
            _check_value(item, f"{path}.{key}", key, fields[key].type if key in fields else None)


class _Inputs(Visitor):
    """Where an operation gives its arguments strings, written out or as variables, in the order of
    the document: (path, argument or input field, the string written, the variable, its type)."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.path: list[str] = []
        self.found: list[tuple[str, str, str | None, str | None, GraphQLInputType | None]] = []

    def enter_argument(self, node, *_):
        self.path = [node.name.value]
        self._given(node.value)

    def enter_object_field(self, node, *_):
        self.path.append(node.name.value)
        self._given(node.value)

    def leave_object_field(self, *_):
        self.path.pop()

    def _given(self, value) -> None:
        where, name = ".".join(self.path), self.path[-1]
        if isinstance(value, StringValueNode):
            self.found.append((where, name, value.value, None, None))
        elif isinstance(value, ListValueNode):
            for item in value.values:
                self._given(item)
        elif isinstance(value, VariableNode):
            self.found.append((where, name, None, value.name.value, self.type_info.get_input_type()))


# The same for every request of a query text, so found once per text (a walk of the whole document
# with its types took a fifth of a small query's time).
@cached(LRUCache(maxsize=1024), key=lambda schema, document, query: hashkey(schema, query))
def _inputs(schema: GraphQLSchema, document: DocumentNode, query: str) -> _Inputs:
    type_info = TypeInfo(schema)
    inputs = _Inputs(type_info)
    visit(document, TypeInfoVisitor(type_info, inputs))
    return inputs


def check_inputs(schema: GraphQLSchema, document: DocumentNode, query: str, variables: Mapping[str, Any]) -> None:
    """Refuses text that is not valid Unicode and strings longer than their argument accepts."""
    _unicode(query, "The query")
    for path, value in _strings(dict(variables), "$"):
        _unicode(value, f"The variable `{path[2:]}`")
        if len(value) > MAX_CURSOR_LENGTH:
            raise bad_input(f"The variable `{path[2:]}` is {len(value):,} characters long; "
                            f"no argument accepts more than {MAX_CURSOR_LENGTH:,}")
    for where, name, written, variable, type_ in _inputs(schema, document, query).found:
        if written is not None:
            _check_string(written, where, name)
        elif variable is not None and variable in variables:
            _check_value(variables[variable], where, name, type_)


# --- cost -----------------------------------------------------------------------------------


class _Cost:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any],
                 weights: Mapping[str, int], page_size: int) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.variables = variables
        self.weights = weights
        self.page_size = page_size
        self.costed: dict[tuple[str, int], int] = {}
        self.costing: set[str] = set()

    def selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, page: int = 1) -> int:
        """The cost of a selection set; ``page`` is the size of the page, when it is a connection's."""
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent, page)
            elif isinstance(node, InlineFragmentNode):
                on = self.schema.get_type(node.type_condition.name.value) if node.type_condition else parent
                total += self.selections(node.selection_set, on, page)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value, page)
            total = min(total, COST_CAP)
        return total

    def fragment(self, name: str, page: int) -> int:
        if (name, page) not in self.costed:
            definition = self.fragments.get(name)
            if definition is None or name in self.costing:
                return 0  # unknown, or a cycle: validation refuses the query
            self.costing.add(name)
            self.costed[(name, page)] = self.selections(
                definition.selection_set, self.schema.get_type(definition.type_condition.name.value), page)
            self.costing.discard(name)
        return self.costed[(name, page)]

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, page: int) -> int:
        name = node.name.value
        fields = getattr(parent, "fields", None) or {}
        definition = fields.get(name) or _INTROSPECTION.get(name)
        weight = self.weights.get(f"{parent.name}.{name}", 1) if parent else 1
        if node.selection_set is None:
            return weight
        if definition is None:  # unknown: validation refuses the query
            return min(weight + self.selections(node.selection_set, None), COST_CAP)
        if "first" in definition.args:  # a connection: its edges and nodes count the page's items
            items, inner = 1, self.first(node)
        else:
            items, inner = self.items(node, definition, parent, page), 1
        return min(weight + items * self.selections(node.selection_set, get_named_type(definition.type), inner), COST_CAP)

    def first(self, node: FieldNode) -> int:
        """The page size a connection field asks for."""
        given: object = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        if isinstance(given, VariableNode):
            given = self.variables.get(given.name.value)
        elif isinstance(given, IntValueNode):
            given = int(given.value)
        return min(max(given, 0), self.page_size) if isinstance(given, int) else self.page_size

    @staticmethod
    def items(node: FieldNode, definition: Any, parent: GraphQLNamedType | None, page: int) -> int:
        """How many objects a field that is not a connection can return."""
        within = parent.name if parent else ""  # no parent: a field under one validation refuses
        if within.endswith("Connection") and node.name.value in ("edges", "nodes"):
            return page
        if within.startswith("__"):
            return 1  # introspection: its lists are as long as the schema, not the data
        return LIST_SIZE if is_list_type(get_nullable_type(definition.type)) else 1


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
    return chosen[0] if len(chosen) == 1 else None


def query_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
               variables: Mapping[str, Any], weights: Mapping[str, int], page_size: int) -> int:
    """The cost of the operation that would run (0 when there is none: validation says why)."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    return _Cost(schema, document, variables, weights, page_size).selections(operation.selection_set, root)


@dataclass(frozen=True)
class QueryLimits:
    """What one query may ask for (the server's settings ``KPSS_MAX_QUERY_*``, ``KPSS_MAX_PAGE_SIZE``)."""

    max_cost: int
    weights: Mapping[str, int]
    page_size: int
    max_depth: int
    max_aliases: int
    max_tokens: int


class RequestLimits(SchemaExtension):
    """Refuses, before validation and before any store read, a request whose strings are too long
    or not valid Unicode (BAD_USER_INPUT) or whose cost is above the budget (LIMIT_EXCEEDED);
    reports the cost in the response's ``extensions.cost`` (of every query that parses)."""

    def __init__(self, *, max_cost: int, weights: Mapping[str, int], page_size: int) -> None:
        self.max_cost = max_cost
        self.weights = weights
        self.page_size = page_size
        self.cost: int | None = None

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query or ""
        if len(query) > MAX_QUERY_LENGTH:  # lexing it would take the event loop for as long
            raise limit_exceeded(f"the query is {len(query):,} characters long; at most {MAX_QUERY_LENGTH:,} are "
                                 "accepted: pass long values as variables")
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema, document = context.schema._schema, context.graphql_document
        assert document is not None, "validation follows parsing"
        variables = context.variables or {}
        try:
            if not isinstance(variables, Mapping):
                raise bad_input("`variables` must be a JSON object")
            self.cost = query_cost(schema, document, context.operation_name, variables, self.weights, self.page_size)
            check_inputs(schema, document, context.query or "", variables)
            if self.cost > self.max_cost:
                shown = f"more than {COST_CAP:,}" if self.cost >= COST_CAP else f"{self.cost:,}"
                raise limit_exceeded(f"the query's cost is {shown}, above the budget of {self.max_cost:,} "
                                     "(KPSS_MAX_QUERY_COST): ask for smaller pages, fewer nested lists or fewer "
                                     "network computations")
        except RecursionError:  # in the variables: the parser bounds the query's own nesting
            context.pre_execution_errors = [bad_input("the variables are nested too deeply")]
        except GraphQLError as error:
            # Set before validation runs, the error stands in for its result: nothing else runs.
            context.pre_execution_errors = [error]
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost}
