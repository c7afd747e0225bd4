"""Did you mean …? The one allowed value clearly closest to what was written: for the taxonomy
file's own keys, a note's values (FM201-FM203, FM211; `kb fix` writes a clear winner) and the
names `kb new` is given. taxonomy.py re-exports it, where its importers have always found it."""

from __future__ import annotations

import difflib
from functools import lru_cache


@lru_cache(maxsize=4096)
def suggest(value: str, choices: tuple[str, ...]) -> str | None:
    """The closest allowed value, for "did you mean …?"; None when nothing is close or two
    choices are about as close ('architecture' -> architecture-mvvm or architecture-mvi?)."""
    value = value.strip().lower()
    scored = sorted(((difflib.SequenceMatcher(None, value, choice).ratio(), choice)
                     for choice in choices), reverse=True)[:2]
    if not scored or scored[0][0] < 0.8:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.05:
        return None
    return scored[0][1]
