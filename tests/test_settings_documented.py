"""The README's settings table lists every setting with its default."""

from __future__ import annotations

import re

from kpss.settings import REPO_ROOT, Settings


def test_every_setting_is_in_the_readme():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(KPSS_[A-Z0-9_]+)` \|", readme, flags=re.M))
    assert documented == {f"KPSS_{name.upper()}" for name in Settings.model_fields}
