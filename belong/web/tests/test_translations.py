"""The UI catalogues are complete, compiled and in use: no English for pt, bg or af members.

The catalogues are read with a small parser here (the project has no polib): enough for what
makemessages and the vendor catalogues contain — comments, flags, msgctxt, plurals, continued lines.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LANGUAGES = ["pt", "bg", "af"]
LOCALE = Path(settings.BASE_DIR) / "belong" / "locale"
VENDOR = Path(settings.BASE_DIR) / "belong" / "locale_vendor"
CATALOGUES = [LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in LANGUAGES] + sorted(
    VENDOR.glob("*/LC_MESSAGES/django.po")
)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def where(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def parse_po(path: Path) -> list[Entry]:
    """Entries in file order; the header is the first. Entries are separated by blank lines."""
    entries: list[Entry] = []
    entry = Entry()
    target = ""
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')

    def flush() -> None:
        nonlocal entry
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := keyword.match(line):
            name, index, literal = match.groups()
            entry.line = entry.line or number
            target = name if name != "msgstr" else f"msgstr{index or 0}"
            value = ast.literal_eval(literal)
            if name == "msgstr":
                entry.msgstr[int(index or 0)] = value
            else:
                setattr(entry, name, value)
        else:
            assert line.startswith('"') and target, f"{path}:{number}: cannot read {raw!r}"
            value = ast.literal_eval(line)
            if target.startswith("msgstr"):
                entry.msgstr[int(target[6:])] += value
            else:
                setattr(entry, target, getattr(entry, target) + value)
    flush()
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    assert entries and entries[0].msgid == "", "the catalogue has no header"
    lines = entries[0].msgstr[0].splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def nplurals(entries: list[Entry]) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header(entries)["Plural-Forms"])
    assert match
    return int(match.group(1))


PLACEHOLDER = re.compile(
    r"%\([A-Za-z0-9_]+\)[#0 +-]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s
    r"|%[#0 +-]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %s, %d
    r"|\{[A-Za-z0-9_]*\}"  # {name}
    r"|</?[A-Za-z][A-Za-z0-9]*"  # HTML tags, by name
    r"|&[a-z]+;"  # entities
)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


@pytest.fixture(params=CATALOGUES, ids=catalogue_id)
def catalogue(request) -> tuple[Path, list[Entry]]:
    path: Path = request.param
    return path, parse_po(path)


def test_every_language_has_its_catalogues():
    for lang in [*LANGUAGES, "en"]:
        assert (LOCALE / lang / "LC_MESSAGES" / "django.po").is_file(), f"run `make messages` for {lang}"
    for lang in ("pt", "af"):  # django-allauth ships no catalogue for these codes
        assert (VENDOR / lang / "LC_MESSAGES" / "django.po").is_file()
    assert VENDOR in [Path(p) for p in settings.LOCALE_PATHS], "belong/locale_vendor must be in LOCALE_PATHS"
    assert Path(settings.LOCALE_PATHS[0]) == LOCALE, "the project's own catalogue must win"


def test_the_language_catalogues_hold_the_same_strings_as_the_english_one():
    def keys(lang: str) -> set[tuple[str | None, str]]:
        return {(e.msgctxt, e.msgid) for e in parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")[1:]}

    english = keys("en")
    assert english, "the English catalogue is empty"
    for lang in LANGUAGES:
        assert keys(lang) == english, f"{lang} is out of step with en: run `make messages`"


def test_no_entry_is_untranslated_or_fuzzy(catalogue):
    path, entries = catalogue
    forms = nplurals(entries)
    assert "fuzzy" not in entries[0].flags, f"{path}: the header is fuzzy"
    problems = []
    for entry in entries[1:]:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy, {entry.where}")
        expected = forms if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(expected)):
            problems.append(f"{len(entry.msgstr)} msgstr forms instead of {expected}, {entry.where}")
        if not all(entry.msgstr.values()):
            problems.append(f"untranslated, {entry.where}")
    assert not problems, f"{catalogue_id(path)}:\n" + "\n".join(problems)


def test_translations_keep_placeholders_markup_and_edge_whitespace(catalogue):
    path, entries = catalogue
    problems = []
    for entry in entries[1:]:
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            wanted = placeholders(source)
            if entry.msgid_plural is not None and index > 0:
                # A plural form may drop the number where the language spells it out, never add one.
                wanted_any = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
                if not placeholders(text) <= wanted_any or placeholders(text) != wanted:
                    problems.append(
                        f"msgstr[{index}] has {dict(placeholders(text))}, wants {dict(wanted)}, {entry.where}"
                    )
            elif placeholders(text) != wanted:
                problems.append(f"msgstr[{index}] has {dict(placeholders(text))}, wants {dict(wanted)}, {entry.where}")
            for edge in (str.startswith, str.endswith):
                if edge(source, "\n") != edge(text, "\n"):
                    problems.append(f"leading/trailing newline differs, {entry.where}")
            if source[:1].isspace() != text[:1].isspace() or source[-1:].isspace() != text[-1:].isspace():
                problems.append(f"leading/trailing whitespace differs, {entry.where}")
    assert not problems, f"{catalogue_id(path)}:\n" + "\n".join(problems)


def test_the_compiled_catalogue_matches_its_source(catalogue):
    """The committed .mo says exactly what the .po says (git keeps no file times, so compare contents)."""
    path, entries = catalogue
    compiled = path.with_suffix(".mo")
    assert compiled.is_file(), f"{catalogue_id(path)} is not compiled: run `make compilemessages`"
    with compiled.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in entries[1:]:
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            expected.update({(msgid, index): text for index, text in entry.msgstr.items()})
    actual = {key: value for key, value in mo.items() if key != ""}
    stale = sorted(str(key)[:60] for key in expected.keys() ^ actual.keys())
    changed = sorted(str(key)[:60] for key in expected.keys() & actual.keys() if expected[key] != actual[key])
    assert not stale and not changed, (
        f"{catalogue_id(compiled)} is out of date with its .po: run `make compilemessages` "
        f"(missing or extra: {stale[:5]}, different: {changed[:5]})"
    )


# --- Pages --------------------------------------------------------------------------------------

NAVIGATION = {
    # English words of the layout and sign-in page -> what each language shows instead
    "pt": {"Sign in": "Entrar", "Sign up": "Criar conta", "Communities": "Comunidades", "Password": "Palavra-passe"},
    "bg": {"Sign in": "Вход", "Sign up": "Регистрация", "Communities": "Общности", "Password": "Парола"},
    "af": {"Sign in": "Meld aan", "Sign up": "Registreer", "Communities": "Gemeenskappe", "Password": "Wagwoord"},
}
SIGNED_IN = {
    "pt": {"Sign out": "Sair", "Profile": "Perfil", "My communities": "As minhas comunidades"},
    "bg": {"Sign out": "Изход", "Profile": "Профил", "My communities": "Моите общности"},
    "af": {"Sign out": "Meld af", "Profile": "Profiel", "My communities": "My gemeenskappe"},
}


class TextCollector(HTMLParser):
    """The words a visitor sees or hears: text nodes and labelling attributes, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    collector = TextCollector()
    collector.feed(html)
    return collector.texts


def english_strings(lang: str) -> set[str]:
    """Every English string the catalogues translate differently, for spotting one left untranslated.

    Language names are left out: the switcher names each language in itself ("English", "Afrikaans").
    """
    english: set[str] = set()
    for path in (LOCALE / lang / "LC_MESSAGES" / "django.po", VENDOR / lang / "LC_MESSAGES" / "django.po"):
        if path.is_file():
            for entry in parse_po(path)[1:]:
                if entry.msgid_plural is None and "%" not in entry.msgid and entry.msgstr.get(0) != entry.msgid:
                    english.add(" ".join(entry.msgid.split()))
    with translation.override("en"):
        return english - {str(name) for _code, name in settings.LANGUAGES}


def client_for(lang: str, how: str) -> Client:
    if how == "accept-language":
        return Client(HTTP_ACCEPT_LANGUAGE=f"{lang},en;q=0.5")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def assert_translated(html: str, lang: str, words: dict[str, str]) -> None:
    texts = visible_texts(html)
    joined = "\n".join(texts)
    assert f'<html lang="{lang}">' in html
    for english, translated in words.items():
        assert english not in texts, f"{english!r} is shown in English to a {lang} visitor"
        assert translated in joined, f"{translated!r} missing for a {lang} visitor"
    leftovers = sorted(set(texts) & english_strings(lang))
    assert not leftovers, f"English on a {lang} page: {leftovers}"


def page_urls(community) -> dict[str, str]:
    return {
        "home": reverse("web:home"),
        "community": reverse("communities:detail", args=[community.slug]),
        "sign-in": reverse("account_login"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["cookie", "accept-language"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ["home", "community", "sign-in"])
def test_visitors_see_the_pages_in_their_language(community, lang, how, page):
    response = client_for(lang, how).get(page_urls(community)[page])
    assert response.status_code == 200
    html = response.content.decode()
    words = dict(NAVIGATION[lang])
    if page != "sign-in":
        del words["Password"]
    assert_translated(html, lang, words)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", ["home", "community"])
def test_members_see_the_pages_in_their_language(member, lang, page):
    client = client_for(lang, "cookie")
    client.force_login(member.user)
    response = client.get(page_urls(member.community)[page])
    assert response.status_code == 200
    assert_translated(
        response.content.decode(), lang, SIGNED_IN[lang] | {"Communities": NAVIGATION[lang]["Communities"]}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "url_name",
    ["account_signup", "account_reset_password", "account_reset_password_done", "account_email_verification_sent"],
)
def test_allauth_pages_speak_the_language_too(lang, url_name):
    response = client_for(lang, "cookie").get(reverse(url_name))
    assert response.status_code == 200
    assert_translated(response.content.decode(), lang, {"Communities": NAVIGATION[lang]["Communities"]})


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url_name", ["account_email", "account_change_password", "account_logout"])
def test_allauth_settings_pages_speak_the_language_too(member, lang, url_name):
    client = client_for(lang, "cookie")
    client.force_login(member.user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_translated(response.content.decode(), lang, SIGNED_IN[lang])


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGUAGES)
def test_sign_up_errors_are_translated(lang):
    response = client_for(lang, "cookie").post(
        reverse("account_signup"), {"email": "x@example.com", "username": "ab", "password1": "1", "password2": "1"}
    )
    texts = visible_texts(response.content.decode())
    assert not [text for text in texts if "password is too short" in text or "at least" in text], texts


def test_afrikaans_dates_read_day_month_year():
    import datetime

    from django.utils import formats, translation

    with translation.override("af"):
        assert formats.date_format(datetime.date(2026, 11, 23)) == "23 November 2026"
