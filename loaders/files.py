"""Structured files in the canonical format (JSON / YAML documents) read into records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from graph import keys
from loaders.errors import LoadError, Problem
from loaders.records import Dataset, Project


@dataclass(frozen=True)
class Source:
    """A document facts come from; becomes a SourceDocument node."""

    id: str
    uri: str
    title: str | None
    sha256: str
    media_type: str
    file: str  # the path as given: what problems name

    @classmethod
    def of(cls, path: Path, data: bytes, media_type: str, title: str | None = None, uri: str | None = None) -> Source:
        """``uri``: the address the document states for itself, else the file's name."""
        digest = hashlib.sha256(data).hexdigest()
        return cls(keys.source_document(digest), uri or path.name, title or path.name, digest, media_type, str(path))


@dataclass(frozen=True)
class Document:
    source: Source
    dataset: Dataset
    warnings: tuple[str, ...] = ()  # what a reader noticed but did not refuse ("no project here")
    text: str | None = None  # a page's text, which spans count in: facts quote it


def _location(loc: tuple[Any, ...]) -> tuple[str | None, str | None]:
    """pydantic's error location -> (where, field): ("projects[0].participants[2]", "role")."""
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc]
    if not parts:
        return None, None
    field = str(loc[-1]) if not isinstance(loc[-1], int) else None
    where = "".join(parts[:-1] if field else parts).lstrip(".") or None
    return where, field


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line (1-based) of a validation error's location in a composed YAML or JSON document."""
    node, line = root, None
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def validation_problems(file: str, error: ValidationError, text: str | None = None) -> list[Problem]:
    """One problem per validation error; with the document's text, each names its line too."""
    try:  # JSON is YAML too, mostly: where it is not (control characters), problems name no line
        root = yaml.compose(text, Loader=_Loader) if text is not None else None
    except (yaml.YAMLError, RecursionError):
        root = None
    problems = []
    for err in error.errors():
        where, field = _location(tuple(err["loc"]))
        if root is not None and (line := _line_of(root, tuple(err["loc"]))):
            where = f"{where}, line {line}" if where else f"line {line}"
        message = err["msg"].removeprefix("Value error, ")
        shown = err.get("input")
        if shown is not None and err["type"] not in ("missing", "extra_forbidden") and not isinstance(shown, (dict, list)) \
                and str(shown) not in message:
            message += f" (got {shown!r})"
        problems.append(Problem(file, where, field, message))
    return problems


def parse_dataset(path: Path, data: bytes, media_type: str, content: Any, text: str | None = None) -> Document:
    if not isinstance(content, dict):
        raise LoadError([Problem(str(path), None, None, "expected a document with lists such as 'projects'")])
    try:
        dataset = Dataset.model_validate(content)
    except ValidationError as exc:
        raise LoadError(validation_problems(str(path), exc, text)) from exc
    if text is not None:
        _locate(dataset, text)
    return Document(Source.of(path, data, media_type, dataset.title, dataset.source), dataset, text=text)


# A project's lists of plain words, each item a fact of its own (``target_groups[0]``…).
_WORD_LISTS = ("target_groups", "working_groups", "follows", "followed_by")


def _locate(dataset: Dataset, text: str) -> None:
    """Every record of a structured file cites where it stands: its ``span`` (a project also each
    field's, in ``spans``) is the characters of the file's text it is written in, as a page's facts
    cite theirs. The text is composed again by libyaml (fast, and counting characters); JSON that
    YAML does not read (a rare escape) keeps its records unlocated."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return
    if root is None:  # an empty file
        return

    def span(node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.index, node.end_mark.index)

    todo: list[tuple[Any, yaml.Node]] = [(dataset, root)]  # any record of the dataset
    while todo:
        record, node = todo.pop()
        if not isinstance(node, yaml.MappingNode):
            continue
        if "span" in type(record).model_fields and record.span is None:
            record.span = span(node)
        spans = record.spans if isinstance(record, Project) else None
        for key, value_node in node.value:
            value = getattr(record, key.value, None) if isinstance(key, yaml.ScalarNode) else None
            if isinstance(value, list) and isinstance(value_node, yaml.SequenceNode):
                for i, (item, item_node) in enumerate(zip(value, value_node.value)):
                    if isinstance(item, BaseModel):
                        todo.append((item, item_node))
                    elif spans is not None and key.value in _WORD_LISTS:
                        spans.setdefault(f"{key.value}[{i}]", span(item_node))
            elif spans is not None and value is not None and key.value != "spans":
                spans.setdefault(key.value, span(value_node))


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32  # the canonical format nests four levels; more is not a document of it
MAX_VALUES = 2_000_000
TOO_DEEP = f"nested too deeply: the format nests at most {MAX_DEPTH} levels"


class _Loader(yaml.SafeLoader):
    """YAML as the canonical format reads it: dates stay the text they are written as (so that an
    unquoted 2021-02-03 is the day it says and 2021-02-30 is refused as no day, with its line),
    and numbers with a fraction or exponent are exact decimals, never binary floats."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node)
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:  # YAML 1.1's base-60 floats (1:20.5) and the like
        value = None
    if value is None or not value.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"{text} is not a finite decimal number", node.start_mark)
    return value


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a finite number")


def _shape_problem(content: Any) -> str | None:
    """Too deep or too many values (YAML aliases can repeat a list exponentially), found without recursion."""
    todo, seen = [(content, 1)], 0
    while todo:
        node, depth = todo.pop()
        seen += 1
        if seen > MAX_VALUES:
            return f"more than {MAX_VALUES:,} values (do YAML aliases repeat a part many times?)"
        if isinstance(node, (dict, list)):
            if depth > MAX_DEPTH:
                return TOO_DEEP
            todo.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return None


def read_structured(path: Path) -> Document:
    """A JSON or YAML document (see docs/data-format.md)."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise LoadError([Problem(str(path), None, None, f"{size:,} bytes is more than a JSON or YAML document may hold "
                                 f"({MAX_DOCUMENT_BYTES:,}); split it, or use CSV files, which are read as a stream")])
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise LoadError([Problem(str(path), None, None, "a binary file, not JSON or YAML text")])
    if not data.strip():
        raise LoadError([Problem(str(path), None, None, "the file is empty")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem(str(path), f"byte {exc.start}", None, "not UTF-8 text (JSON and YAML must be UTF-8)")]) from exc
    try:
        if path.suffix.lower() == ".json":
            content = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
            media_type = "application/json"
        else:
            content, media_type = yaml.load(text, Loader=_Loader), "application/yaml"  # noqa: S506 — a SafeLoader
    except RecursionError:
        raise LoadError([Problem(str(path), None, None, TOO_DEEP)]) from None
    except json.JSONDecodeError as exc:
        raise LoadError([Problem(str(path), f"line {exc.lineno}, column {exc.colno}", None, f"not valid JSON: {exc.msg}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise LoadError([Problem(str(path), where, None, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    except ValueError as exc:  # JSON's NaN and Infinity, an integer of thousands of digits
        raise LoadError([Problem(str(path), None, None, str(exc))]) from exc
    if problem := _shape_problem(content):
        raise LoadError([Problem(str(path), None, None, problem)])
    return parse_dataset(path, data, media_type, content, text)
