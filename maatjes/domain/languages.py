"""Language codes: any ISO 639 code, named through CLDR, with custom names where CLDR has none."""

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import upsert_insert
from maatjes.models import Language

_CODE = re.compile(r"^[a-z]{2,3}$")
MAX_LANGUAGES = 8

# The languages most asked for in Zuidoost, offered as a hint in forms.
COMMON = ("nl", "en", "srn", "pap", "tw", "ak", "fat", "es", "pt", "fr", "ar", "tr", "hi", "hns")


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    custom_name: str | None = None


@lru_cache(maxsize=4096)
def iso_name(code: str) -> str | None:
    """The English ISO 639 name of a code, or None when ISO 639 does not know it."""
    if not _CODE.match(code):
        return None
    found = (
        pycountry.languages.get(alpha_2=code)
        if len(code) == 2
        else pycountry.languages.get(alpha_3=code)
    )
    return found.name if found else None


@lru_cache(maxsize=64)
def _cldr_names(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).languages)


def cldr_name(code: str, locale: str) -> str | None:
    return _cldr_names(locale).get(code)


def parse_language_list(text: str) -> list[LanguageChoice]:
    """Parse "nl, srn, hns=Sarnami Hindustani" into ordered choices; refuse unknown codes.

    A code ISO 639 does not know is accepted only with a name given after ``=``.
    """
    choices: list[LanguageChoice] = []
    seen: set[str] = set()
    for raw in re.split(r"[,;\n]", text or ""):
        token = raw.strip()
        if not token:
            continue
        code, _sep, name = token.partition("=")
        code = code.strip().lower()
        name = " ".join(name.split())
        if not _CODE.match(code):
            raise RuleViolation(
                _l(
                    "“%(code)s” is not a language code. Use ISO 639 codes of two or three letters,"
                    " for example nl, en, srn, pap, tw or hns.",
                    code=code[:20],
                )
            )
        if not name and not iso_name(code) and not cldr_name(code, "en"):
            raise RuleViolation(
                _l(
                    "Unknown language code “%(code)s”. Check the code (for example srn for"
                    " Sranantongo, pap for Papiamento) or give it a name: %(code)s=Name.",
                    code=code,
                )
            )
        if len(name) > 80:
            raise RuleViolation(_l("A language name can be at most 80 characters."))
        if code in seen:
            continue
        seen.add(code)
        choices.append(LanguageChoice(code, name or None))
    if len(choices) > MAX_LANGUAGES:
        raise RuleViolation(_l("Give at most %(n)d languages.", n=MAX_LANGUAGES))
    return choices


def format_language_list(codes: list[str], custom_names: dict[str, str]) -> str:
    """The inverse of ``parse_language_list``, for filling in a form."""
    parts = []
    for code in codes:
        name = custom_names.get(code)
        parts.append(f"{code}={name}" if name else code)
    return ", ".join(parts)


def ensure_languages(session: Session, choices: list[LanguageChoice]) -> list[Language]:
    """The Language rows for the choices, created when new; a given name is stored.

    New codes are inserted with ON CONFLICT DO NOTHING, so two people entering the same new
    language at once both succeed."""
    codes = list(dict.fromkeys(choice.code for choice in choices))
    if not codes:
        return []
    session.execute(
        upsert_insert(session, Language)
        .values([{"code": code} for code in codes])
        .on_conflict_do_nothing(index_elements=["code"])
    )
    existing = {
        language.code: language
        for language in session.scalars(select(Language).where(Language.code.in_(codes)))
    }
    rows = []
    for choice in choices:
        language = existing[choice.code]
        if choice.custom_name:
            language.custom_name = choice.custom_name
        rows.append(language)
    session.flush()
    return rows


def display_name(code: str, locale: str, custom_names: dict[str, str]) -> str:
    """CLDR's name in the UI language, else the custom name, else ISO 639's, else the code."""
    return (
        cldr_name(code, locale)
        or custom_names.get(code)
        or cldr_name(code, "en")
        or iso_name(code)
        or code
    )
