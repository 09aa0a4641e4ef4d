"""`python -m bench.peak RESULT COMMAND…`: runs COMMAND and writes its peak resident memory (MiB) to
RESULT, exiting with its exit code. Linux counts in a process's peak the memory of the process it was
started from (the larger of the two is kept across exec), so the suite, which holds gigabytes of
generated data, starts its measured commands through this small one (bench/ingest.py)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    result, *command = sys.argv[1:]
    code = subprocess.call(command)
    Path(result).write_text(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
    sys.exit(code)
