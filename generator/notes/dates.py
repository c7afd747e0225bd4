"""Read a date that an author wrote in some other way than YYYY-MM-DD, when there is only one
date it can mean. `fix` rewrites such a value as an ISO date (DATE001); anything that could be
two dates (03/04/2025: March or April?) is left for the author.

Unambiguous: a year first (2025/10/03, 2025.10.3, 20251003, 2025-10-3), a month name
(3 Oct 2025, October 3, 2025, 3 октября 2025), or day and month in either order when one of
them is over 12 or both are the same (31.10.2025, 10/31/2025, 05.05.2025).
"""

from __future__ import annotations

import datetime as dt
import re

_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
# A time after the date does not make it ambiguous: "2025/10/03 14:30" is 2025-10-03.
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2})?$")

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    # Russian month names, in the genitive as dates write them ("3 октября 2025") and the
    # nominative; their first three letters are distinct.
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}


def unambiguous_date(value: object) -> dt.date | None:
    """The one date `value` can mean, or None (not a date, not a real date, or ambiguous)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = _TIME.sub("", value.strip()).strip()
    for pattern in (_YEAR_FIRST, _COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return _date(year, month, day)
    match = _YEAR_LAST.match(text)
    if match:
        first, second, year = (int(part) for part in match.groups())
        if first == second or (first > 12 >= second):
            return _date(year, second, first)  # day first, as in 31.10.2025
        if second > 12 >= first:
            return _date(year, first, second)  # month first, as in 10/31/2025
        return None
    for pattern, day_group, month_group in ((_DAY_MONTH_NAME, 1, 2), (_MONTH_NAME_DAY, 2, 1)):
        match = pattern.match(text)
        if match:
            named = _MONTHS.get(match.group(month_group)[:3].lower())
            if named is None:
                return None
            return _date(int(match.group(3)), named, int(match.group(day_group)))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
