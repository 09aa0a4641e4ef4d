"""`kpss generate`: a synthetic dataset shaped like the real one, the same for a seed, proportional
to the scale, and loadable as it is (all of it, a second time changing nothing)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from graph.store import GraphStore
from kpss.cli import app
from loaders.generate import generate
from loaders.normalise import is_valid_ico
from loaders.pipeline import load_paths
from loaders.reference import reference_documents, territory


def _rows(folder: Path, name: str) -> list[dict]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_same_seed_gives_the_same_files_and_another_seed_others(tmp_path: Path) -> None:
    runner = CliRunner()
    for folder, seed in (("a", 5), ("b", 5), ("c", 6)):
        result = runner.invoke(app, ["generate", "--scale", "0.01", "--seed", str(seed), str(tmp_path / folder)])
        assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["funding.csv", "organisations.csv", "participations.csv", "projects.csv", "unnumbered-projects.json"]
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "projects.csv").read_bytes() != (tmp_path / "c" / "projects.csv").read_bytes()


def test_counts_grow_with_the_scale(tmp_path: Path) -> None:
    small, large = generate(0.01, 1, tmp_path / "s"), generate(0.03, 1, tmp_path / "l")
    assert (small["projects"], small["organisations"]) == (120, 400)
    assert (large["projects"], large["organisations"]) == (360, 1200)
    # About 12.5 participations a project at any scale (150,000 for 12,000 projects).
    for counts in (small, large):
        assert 10 <= counts["participations"] / counts["projects"] <= 15


def test_the_data_is_shaped_like_the_real_data(tmp_path: Path) -> None:
    counts = generate(0.05, 3, tmp_path)
    orgs = _rows(tmp_path, "organisations.csv")
    parts = _rows(tmp_path, "participations.csv")
    projects = _rows(tmp_path, "projects.csv")
    unnumbered = json.loads((tmp_path / "unnumbered-projects.json").read_text(encoding="utf-8"))["projects"]

    reference = [d.dataset for d in reference_documents()]
    kraje = {r.name for ds in reference for r in ds.regions if r.nuts_level == 3 and r.country == "CZ"}
    towns = {m.name for m in territory().municipalities}
    programmes = {p.code for ds in reference for p in ds.programmes}
    assert kraje <= {o["name"] for o in orgs}  # every kraj is an organisation, with its real IČO where known
    assert {o["seat"] for o in orgs if o["seat"]} <= towns
    assert {p["programme"] for p in projects} <= programmes and len({p["call"] for p in projects}) > 3
    # IČO on part of the organisations, every one valid and distinct; legal forms; Czech letters.
    icos = [o["ico"] for o in orgs if o["ico"]]
    assert 0.4 < len(icos) / len(orgs) < 0.8 and all(map(is_valid_ico, icos)) and len(set(icos)) == len(icos)
    assert sum(bool(o["legal_form"]) for o in orgs) > len(orgs) / 2
    assert any(ch in "ěščřžýáíéůú" for o in orgs for ch in o["name"])
    # Skewed: hubs (kraje, towns, labour offices, the managing authority) in many projects, most in one or two.
    per_org = Counter(p["name"] for p in parts if p["role"] != "managing_authority")
    assert per_org.most_common(1)[0][1] >= 10
    assert sum(1 for n in per_org.values() if n <= 2) > len(per_org) / 2
    # A share without a registration number; funding shares on every project, within its total.
    assert 0 < counts["unnumbered"] < counts["projects"] / 10 and all(p["funding"] for p in unnumbered)
    funded = Counter(row["registration_number"] for row in _rows(tmp_path, "funding.csv"))
    assert set(funded) == {p["registration_number"] for p in projects}
    assert all(p["target_groups"] for p in projects)


async def test_a_generated_dataset_loads_whole_and_a_second_load_changes_nothing(empty_store: GraphStore,
                                                                                tmp_path: Path) -> None:
    counts = generate(0.01, 2, tmp_path)
    first = await load_paths(empty_store, [tmp_path])
    assert first.write.created["Project"] == counts["projects"]
    assert first.write.created["PARTICIPATES_IN"] == counts["participations"]
    assert not first.merges  # distinct names stay distinct organisations
    again = await load_paths(empty_store, [tmp_path])
    assert not again.write.changed
