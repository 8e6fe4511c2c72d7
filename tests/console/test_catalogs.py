"""One catalog of messages for people: every message the code marks is translated in
each language's catalog, and the compiled catalogs say what the sources say."""

from __future__ import annotations

import gettext
import warnings
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from console import i18n

ROOT = Path(__file__).resolve().parents[2]
ERRORS = (
    "Refused",
    "InvalidInput",
    "NotFound",
    "Stale",
    "IntegrityError",
    "MatrixpubError",
    "DeployError",
    "AuditKeyUnavailable",
    "ImageProblem",
    "LexiconProblem",
    "InvalidSchedule",
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), **dict.fromkeys(ERRORS)}


def _marked() -> set[str]:
    """What `make catalogs` extracts, by the same mapping (console/locale/babel.cfg): the
    messages the faces mark, the errors the rules raise with a message as written, the
    CLI's help, the console's pages."""
    from babel.messages.frontend import parse_mapping_cfg

    with (i18n.LOCALE_DIR / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str] = set()
    with warnings.catch_warnings():  # f-strings are skipped, and said to be
        warnings.simplefilter("ignore")
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, options_map=options_map, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    path = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_code_marks_messages() -> None:
    marked = _marked()
    assert "Draft {id} created: a working copy, not yet submitted." in marked
    assert "Register (备案) an account; admin only." in marked  # a command's help
    assert "The person's name." in marked  # an option's
    assert "no account {account_id}" in marked  # an error that carries a value


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_every_marked_message_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id
        and not m.fuzzy
        and all(m.string if isinstance(m.string, str) else tuple(s for s in m.string if s))
    }
    missing = sorted(_marked() - translated)
    assert not missing, f"{lang} lacks {len(missing)} message(s) (run `make catalogs`): {missing}"


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_the_compiled_catalog_matches_its_source(lang: str) -> None:
    mo = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog(lang):
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, message.id
        else:
            assert compiled.ngettext(*message.id[:2], 1) == message.string[0], message.id


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_placeholders_survive_translation(lang: str) -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _t, name, _f, _c in string.Formatter().parse(text) if name}

    for message in _catalog(lang):
        if message.id and isinstance(message.id, str):
            assert fields(message.string) == fields(message.id), message.id


def test_the_language_is_chosen_by_the_environment_or_the_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MATRIXPUB_LANG", raising=False)
    assert i18n._("2nd review") == "复审"  # zh-CN by default
    monkeypatch.setenv("MATRIXPUB_LANG", "en")
    assert i18n._("2nd review") == "2nd review"
    with i18n.use_language("zh-CN"):
        assert i18n.gate_label("review_3") == "终审"
    assert i18n.state_label("in_review") == "in review"


def test_commands_in_a_translation_name_their_values_as_the_help_does() -> None:
    # The Chinese help shows an option's value by its translated name (--from-file 文件):
    # a command quoted in a Chinese message writes it the same way, not NAME or FILE.
    import re

    catalog = _catalog("zh_CN")
    metavars = {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and re.fullmatch("[A-Z][A-Z_]*", m.id) and m.string != m.id
    }
    assert {"NAME", "FILE", "URL"} <= metavars.keys()
    untranslated = [
        (metavar, command)
        for m in catalog
        if m.id and isinstance(m.string, str)
        for command in re.findall("`([^`]+)`", m.string)
        for metavar in metavars
        if re.search(f"(?<![A-Za-z_]){metavar}(?![A-Za-z_=])", command)
    ]
    assert untranslated == []
