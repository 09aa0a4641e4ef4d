"""The bundled dataset read straight from its YAML files, independently of the loaders: the oracle
that tests over the bundled graph compare with."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kpss.settings import DATA_DIR


def read_yaml(path: Path) -> Any:
    """A YAML file of the repository's data, parsed once per test process (by libyaml); a copy each
    time, which the caller may change."""
    return copy.deepcopy(_parsed(path))


@cache
def _parsed(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)  # noqa: S506 — a safe loader


def _reference(name: str) -> dict:
    return read_yaml(DATA_DIR / "reference" / f"{name}.yaml")


def canonical_names() -> dict[str, str]:
    """Another name an organisation goes by -> its name, from the alias dictionary and the reference."""
    names = dict(_reference("aliases")["organisations"])
    for org in _reference("organisations")["organisations"]:
        names |= {alias: org["name"] for alias in org.get("aliases", [])}
    return names


def bundled_projects() -> list[dict]:
    """Every project the bundled files state (the seed files and the corpus pages' folder), its
    participants under their canonical names. A file's project without a registration number that
    another file states with one, under the same name, is that project (its participants and outputs added)."""
    names = canonical_names()
    records = []
    for path in sorted((DATA_DIR / "bundled").rglob("*.yaml")):
        for project in read_yaml(path).get("projects", []):
            project.setdefault("participants", [])
            for part in project["participants"]:
                part["name"] = names.get(part["name"], part["name"])
            records.append(project)
    numbered = {p["name"].casefold(): p for p in records if p.get("registration_number")}
    out = [p for p in records if p.get("registration_number")]
    for project in records:
        if project.get("registration_number"):
            continue
        if same := numbered.get(project["name"].casefold()):
            same["participants"] += [x for x in project["participants"] if x not in same["participants"]]
            same["outputs"] = same.get("outputs", []) + project.get("outputs", [])
        else:
            out.append(project)
    return out


def numbered_projects() -> list[dict]:
    """The bundled projects known by a registration number (the key GraphQL and IRIs use for them)."""
    return [p for p in bundled_projects() if p.get("registration_number")]


def project_regions(project: dict) -> set[str]:
    """The NUTS 3 codes of the places a bundled project covers, as the files state them."""
    regions = {r["name"]: r["code"] for r in _reference("regions")["regions"]}
    areas = {m["name"]: m.get("region") for m in _reference("municipalities")["microregions"]}
    out = set()
    for place in project.get("places", []):
        kind = place.get("kind", "municipality")
        out.add(place.get("region") if kind == "municipality" else regions.get(place["name"]) if kind == "region"
                else areas.get(place["name"]))
    return out - {None}


def nuts3_codes() -> list[str]:
    return [r["code"] for r in _reference("regions")["regions"] if r["nuts_level"] == 3]
