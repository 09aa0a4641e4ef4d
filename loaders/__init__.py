"""Loaders: sources (structured files, Czech project pages) -> canonical records -> graph batches."""

from pathlib import Path

# The bundled dataset and the reference data (code lists, places, aliases) ship with the loaders.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
