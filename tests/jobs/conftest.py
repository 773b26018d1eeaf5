from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from maatjes.domain.clock import AMSTERDAM
from maatjes.extensions import db
from maatjes.models import Notification


def local(*args) -> datetime:
    """An Amsterdam wall-clock time as an aware UTC datetime."""
    return datetime(*args, tzinfo=AMSTERDAM).astimezone(UTC)


def notes(kind: str | None = None, user_id: int | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    if user_id:
        query = query.where(Notification.user_id == user_id)
    return list(db.session.scalars(query))


@pytest.fixture
def ctx(app_context):
    yield
