"""Structured files in the canonical format (JSON / YAML documents) read into records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from loaders.errors import LoadError, Problem
from loaders.records import Dataset


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
        return cls(f"doc:{digest[:16]}", uri or path.name, title or path.name, digest, media_type, str(path))


@dataclass(frozen=True)
class Document:
    source: Source
    dataset: Dataset
    warnings: tuple[str, ...] = ()  # what a reader noticed but did not refuse ("no project here")


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
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text is not None else None
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
    return Document(Source.of(path, data, media_type, dataset.title, dataset.source), dataset)


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


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
            content, media_type = json.loads(text), "application/json"
        else:
            content, media_type = yaml.safe_load(text), "application/yaml"
    except json.JSONDecodeError as exc:
        raise LoadError([Problem(str(path), f"line {exc.lineno}, column {exc.colno}", None, f"not valid JSON: {exc.msg}")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise LoadError([Problem(str(path), where, None, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    return parse_dataset(path, data, media_type, content, text)
