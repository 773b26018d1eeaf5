"""Language codes: any ISO 639 code, named through CLDR, with custom names where CLDR has none.

People type languages by name, in Dutch or English ("turks", "Turkish"), by code ("tr"), or as
the picker offers them ("Turks (tr)"); all of these give the code, case and accents ignored.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from maatjes.domain.errors import RuleViolation
from maatjes.domain.sql import upsert_insert
from maatjes.models import Language, ResidentLanguage
from maatjes.models.volunteer import volunteer_languages

_CODE = re.compile(r"^[a-z]{2,3}$")
# "Turks (tr)", as the picker offers a language; the name before the code is only a label.
_NAMED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3})\)$")
# Languages are named in the UI languages, then in English.
NAME_LOCALES = ("nl", "en")
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


def normalise(text: str) -> str:
    """Lower case, accents and extra spaces gone: "Papiaments " and "papiaments" are one key."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@lru_cache(maxsize=1)
def _cldr_name_index() -> dict[str, str]:
    """Every CLDR language name in Dutch and English, normalised, to its code (Dutch first)."""
    index: dict[str, str] = {}
    for locale in NAME_LOCALES:
        for code, name in _cldr_names(locale).items():
            if _CODE.match(code):
                index.setdefault(normalise(name), code)
    return index


def _iso_code_for_name(key: str) -> str | None:
    """ISO 639's English name (e.g. "caribbean hindustani") as a last resort."""
    try:
        found = pycountry.languages.lookup(key)
    except LookupError:
        return None
    code = getattr(found, "alpha_2", None) or getattr(found, "alpha_3", None)
    if code and normalise(found.name) == key:
        return code
    return None


def canonical(code: str) -> str:
    """A three-letter code of a language that has a two-letter one becomes that (twi → tw), so
    that one language is never two in matching."""
    if len(code) == 3:
        found = pycountry.languages.get(alpha_3=code)
        if found is not None and getattr(found, "alpha_2", None):
            return found.alpha_2
    return code


def is_known(code: str, custom_names: dict[str, str]) -> bool:
    return bool(code in custom_names or iso_name(code) or cldr_name(code, "en"))


def code_for_name(text: str, custom_names: dict[str, str], *, iso: bool = True) -> str | None:
    """The code of a language typed by name (custom names first, ISO 639's English names last
    unless ``iso`` is false), or None."""
    key = normalise(text)
    if not key:
        return None
    for code, name in custom_names.items():
        if name and normalise(name) == key:
            return code
    return _cldr_name_index().get(key) or (_iso_code_for_name(key) if iso else None)


def suggestions(text: str, custom_names: dict[str, str], locale: str, n: int = 3) -> list[str]:
    """Close matches for a name we do not know, as "Name (code)" in the user's language."""
    key = normalise(text)
    names = dict(_cldr_name_index())
    names.update({normalise(name): code for code, name in custom_names.items() if name})
    found: list[str] = []
    if len(key) >= 3:
        found += [code for name, code in sorted(names.items()) if name.startswith(key)]
    found += [names[name] for name in difflib.get_close_matches(key, names, n=n, cutoff=0.7)]
    codes = list(dict.fromkeys(found))[:n]
    return [f"{display_name(code, locale, custom_names)} ({code})" for code in codes]


def _unknown(token: str, custom_names: dict[str, str], locale: str) -> RuleViolation:
    close = suggestions(token, custom_names, locale)
    if close:
        return RuleViolation(
            _l(
                "“%(text)s” is not a language we know. Did you mean %(suggestions)s? Type a name"
                " in Dutch or English, or an ISO 639 code.",
                text=token[:40],
                suggestions=", ".join(close),
            )
        )
    return RuleViolation(
        _l(
            "“%(text)s” is not a language we know. Type a name in Dutch or English (for example"
            " Turks or Turkish) or an ISO 639 code (tr). A language without a name here: give"
            " its code and name, for example hns=Sarnami Hindustani.",
            text=token[:40],
        )
    )


def resolve_language(
    token: str, custom_names: dict[str, str] | None = None, locale: str = "en"
) -> LanguageChoice:
    """One typed language: "tr", "turks", "Turkish", "Turks (tr)" or "hns=Sarnami Hindustani".

    A code ISO 639 and CLDR do not know is accepted only with a name: "qqa=Name" or "Name (qqa)".
    """
    custom_names = custom_names or {}
    token = " ".join(token.split())
    if "=" in token:
        code, _sep, name = token.partition("=")
        code, name = code.strip().lower(), name.strip()
        if not _CODE.match(code):
            raise RuleViolation(
                _l(
                    "“%(code)s” is not a language code. Use ISO 639 codes of two or three letters,"
                    " for example nl, en, srn, pap, tw or hns.",
                    code=code[:20],
                )
            )
    elif named := _NAMED.match(token):
        code, name = canonical(named["code"].lower()), named["name"].strip()
        if (
            cldr_name(code, "en")
            or code in custom_names
            or normalise(name)
            in (
                normalise(iso_name(code) or ""),
                "",
            )
        ):
            name = ""  # only a label: the known name stays
    elif _CODE.match(token.lower()) and is_known(token.lower(), custom_names):
        code, name = canonical(token.lower()), ""
        named_code = code_for_name(token, custom_names, iso=False)
        if named_code and named_code != code:  # "ga": Irish by code, Ga (Ghana) by name
            raise RuleViolation(
                _l(
                    "“%(text)s” is the code of %(by_code)s and the name of %(by_name)s. Choose"
                    " one of them from the list.",
                    text=token[:20],
                    by_code=labelled(code, locale, custom_names),
                    by_name=labelled(named_code, locale, custom_names),
                )
            )
    elif found := code_for_name(token, custom_names):
        code, name = found, ""
    elif _CODE.match(token.lower()):
        code, name = token.lower(), ""  # looks like a code: refused below with a hint
    else:
        raise _unknown(token, custom_names, locale)
    if not name and not is_known(code, custom_names):
        raise RuleViolation(
            _l(
                "Unknown language code “%(code)s”. Check the code (for example srn for"
                " Sranantongo, pap for Papiamento) or give it a name: %(code)s=Name.",
                code=code,
            )
        )
    if len(name) > 80:
        raise RuleViolation(_l("A language name can be at most 80 characters."))
    return LanguageChoice(code, name or None)


def parse_language_list(
    text: str, custom_names: dict[str, str] | None = None, locale: str = "en"
) -> list[LanguageChoice]:
    """Parse "nl, Turks, Sarnami Hindustani (hns)" into ordered choices; refuse unknown ones.

    Each part is resolved by ``resolve_language``; the order is kept (a resident's languages are
    ranked), a repeat is dropped.
    """
    choices: list[LanguageChoice] = []
    seen: set[str] = set()
    for raw in re.split(r"[,;\n]", text or ""):
        if not raw.strip():
            continue
        choice = resolve_language(raw, custom_names, locale)
        if choice.code in seen:
            continue
        seen.add(choice.code)
        choices.append(choice)
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


def labelled(code: str, locale: str, custom_names: dict[str, str]) -> str:
    """ "Turks (tr)": how the picker shows a language, and reads it back."""
    return f"{display_name(code, locale, custom_names)} ({code})"


def format_labelled_list(codes: list[str], locale: str, custom_names: dict[str, str]) -> str:
    return ", ".join(labelled(code, locale, custom_names) for code in codes)


def codes_in_use(session: Session) -> list[str]:
    """Codes that residents or volunteers have, most used first."""
    links = union_all(
        select(ResidentLanguage.language_code.label("code")),
        select(volunteer_languages.c.language_code.label("code")),
    ).subquery()
    uses = func.count().label("uses")
    return list(
        session.scalars(
            select(links.c.code).group_by(links.c.code).order_by(uses.desc(), links.c.code)
        )
    )


@dataclass(frozen=True)
class PickerOption:
    code: str
    value: str  # "Turks (tr)"
    terms: str  # every name and the code, normalised, for the picker's search
    in_use: bool


def picker_options(session: Session, locale: str) -> list[PickerOption]:
    """What the language picker offers: languages in use first, then the common ones of the
    area, then every language with a two-letter code and every custom-named one, by name."""
    custom = dict(
        session.execute(
            select(Language.code, Language.custom_name).where(Language.custom_name.is_not(None))
        ).all()
    )
    in_use = codes_in_use(session)
    others = {code for code in _cldr_names("en") if len(code) == 2} | set(custom)
    others -= set(in_use) | set(COMMON)
    rest = sorted(others, key=lambda code: normalise(display_name(code, locale, custom)))
    options = []
    for code in dict.fromkeys([*in_use, *COMMON, *rest]):
        names = [cldr_name(code, name_locale) for name_locale in NAME_LOCALES]
        names += [custom.get(code), iso_name(code), code]
        terms = " | ".join(dict.fromkeys(normalise(name) for name in names if name))
        options.append(
            PickerOption(code, labelled(code, locale, custom), terms, code in set(in_use))
        )
    return options


def display_name(code: str, locale: str, custom_names: dict[str, str]) -> str:
    """CLDR's name in the UI language, else the custom name, else ISO 639's, else the code."""
    return (
        cldr_name(code, locale)
        or custom_names.get(code)
        or cldr_name(code, "en")
        or iso_name(code)
        or code
    )
