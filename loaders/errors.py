"""Problems with input, each naming the file, where in it, and the field."""

from __future__ import annotations

from dataclasses import dataclass

from graph.text import shorten


@dataclass(frozen=True)
class Problem:
    file: str
    where: str | None  # "row 3", "line 12", "characters 120–145", "projects[0].participants[2]"
    field: str | None
    message: str

    def __post_init__(self) -> None:
        # What a problem quotes of the input (a value, a column name) is cut short, never echoed whole.
        object.__setattr__(self, "message", shorten(self.message, 500))
        if self.field is not None:
            object.__setattr__(self, "field", shorten(self.field, 80))

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.file, self.where, self.field and f"field {self.field}") if part)
        return f"{place}: {self.message}"


class LoadError(Exception):
    """The input cannot be loaded; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
