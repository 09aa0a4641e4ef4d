"""The documented input format agrees with the code: the JSON Schema file is what the records
generate and accepts the bundled data; every CSV column of every kind is documented."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from kpss.settings import DATA_DIR, REPO_ROOT
from loaders.records import json_schema
from loaders.tables import KINDS, csv_columns

DOC = (REPO_ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
SCHEMA_FILE = REPO_ROOT / "docs" / "schema" / "kpss-dataset.schema.json"


def test_the_committed_json_schema_is_what_the_records_generate():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate: python -m loaders.records > docs/schema/kpss-dataset.schema.json")


DATASETS = [p for folder in ("bundled", "reference") for p in sorted((DATA_DIR / folder).glob("*.yaml"))
            if p.name != "aliases.yaml"]  # the alias dictionary is a plain mapping, not a dataset


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_the_schema_accepts_the_bundled_and_reference_data(path):
    document = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(document, json_schema())


def test_the_schema_refuses_what_the_loader_refuses():
    bad = {"projects": [{"registration_number": "CZ.1.04/1.1.01/01.00001", "name": "X", "start": "2010-13"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json_schema())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_csv_column_is_documented(kind):
    section = re.search(rf"### {kind}\.csv\n(.*?)(?=\n### |\n## )", DOC, re.S)
    assert section, f"docs/data-format.md has no section for {kind}.csv"
    documented = re.findall(r"^\| `(\w+)` \|", section[1], re.M)
    assert sorted(documented) == sorted(csv_columns(KINDS[kind]))
