from datetime import date

import pytest

from maatjes.domain.workdays import add_working_days, is_working_day, latest_overdue_day

D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2022, 4, 27), False),  # Koningsdag
        (D(2022, 4, 18), False),  # Easter Monday
        (D(2022, 12, 26), False),  # Boxing Day
        (D(2022, 4, 26), True),
        (D(2022, 4, 30), False),  # Saturday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        (D(2022, 3, 7), 5, D(2022, 3, 14)),  # Monday + 5 working days = next Monday
        (D(2022, 3, 11), 5, D(2022, 3, 18)),  # from a Friday
        (D(2022, 4, 22), 5, D(2022, 5, 2)),  # across Koningsdag (Wednesday 27 April)
        (D(2022, 12, 22), 5, D(2022, 12, 30)),  # Boxing Day (26th) is skipped
        (D(2022, 12, 28), 5, D(2023, 1, 4)),  # New Year's Day is a Sunday in 2023
    ],
)
def test_add_working_days(start, n, end):
    assert add_working_days(start, n) == end


@pytest.mark.parametrize(
    ("today", "latest"),
    [
        (D(2022, 3, 15), D(2022, 3, 7)),  # sent Monday 7th: 5 working days end on the 14th
        (D(2022, 3, 14), D(2022, 3, 6)),
        (D(2022, 5, 3), D(2022, 4, 24)),  # across Koningsdag: sent Friday 22nd is overdue
    ],
)
def test_latest_overdue_day(today, latest):
    assert latest_overdue_day(today, 5) == latest
    assert add_working_days(latest, 5) < today
