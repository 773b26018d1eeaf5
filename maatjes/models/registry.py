"""The pact's registry: areas, organisations and languages."""

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from maatjes.models.base import Base


class Area(Base):
    """An area (gebied) of Zuidoost with its own buurtteam."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    def __str__(self) -> str:
        return self.name


class Organisation(Base):
    """A member or partner organisation of the Social Pact."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="member")  # member | partner
    joined_on: Mapped[date | None] = mapped_column(Date)

    def __str__(self) -> str:
        return self.name


class Language(Base):
    """A language code in use, with a custom name for codes CLDR does not know (e.g. hns)."""

    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    custom_name: Mapped[str | None] = mapped_column(String(80))
