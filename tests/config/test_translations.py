"""Every user-facing string is marked, and every catalogue translates all of them.

The catalogues live in locale/<language>/LC_MESSAGES; `make messages` updates
and compiles them. These tests fail when a template or a user-facing Python
string is left unmarked, when a catalogue misses a marked string or holds an
untranslated or fuzzy entry, and when a compiled catalogue is stale.
"""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
PRODUCT_APPS = ("accounts", "tracker", "scorecards", "config")
# Management commands and migrations speak English (the demo and benchmarks live in devtools).
TOOLING = {"migrations", "management"}
# A word with a lower-case letter: format names and codes (CSV, PDF, USD) read the same everywhere.
WORD = re.compile(r"\b(?=[A-Za-z]*[a-z])[A-Za-z]{2,}")


def locale_dir(code: str) -> str:
    """Django's directory name for a language code: zh-hans -> zh_Hans."""
    language, _, script = code.partition("-")
    return f"{language}_{script.title()}" if script else language


def catalogue(code: str, root: Path = LOCALE):
    with open(root / locale_dir(code) / "LC_MESSAGES" / "django.po", "rb") as handle:
        return read_po(handle, locale=locale_dir(code))


def untranslated(catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


# Templates

SKIPPED_BLOCKS = re.compile(
    r"{%\s*(comment|blocktranslate|blocktrans)\b.*?{%\s*end\1\s*%}|{#.*?#}", re.S
)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.S)
UNREAD = re.compile(r"<(script|style|code|pre)\b.*?</\1>|<!--.*?-->", re.S)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
READ_ATTRIBUTE = re.compile(r'\b(title|placeholder|aria-label|alt|aria-description)="([^"]*)"')


def unmarked_template_text(source: str) -> list[str]:
    """Words a reader sees that no translate tag or variable produces."""
    text = UNREAD.sub(" ", TEMPLATE_CODE.sub("0", SKIPPED_BLOCKS.sub("", source)))
    found = [m.group(0) for m in READ_ATTRIBUTE.finditer(text) if WORD.search(m.group(2))]
    plain = re.sub(r"&[a-z]+;|&#\d+;", " ", HTML_TAG.sub(" ", text))
    found += [" ".join(line.split()) for line in plain.splitlines() if WORD.search(line)]
    return found


def templates() -> list[Path]:
    return sorted(ROOT.glob("templates/**/*.html")) + sorted(ROOT.glob("*/templates/**/*.html"))


def test_the_template_check_finds_unmarked_text():
    assert unmarked_template_text('<p title="Hover me">Hello {{ name }}</p>') == [
        'title="Hover me"',
        "Hello 0",
    ]
    assert not unmarked_template_text('<p title="{% translate "Hi" %}">{% translate "Hi" %}</p>')


def test_every_template_marks_its_text_for_translation():
    unmarked = {
        str(path.relative_to(ROOT)): found
        for path in templates()
        if (found := unmarked_template_text(path.read_text()))
    }
    assert not unmarked


# Python

ERRORS = {
    "ValidationError",
    "PermissionDenied",
    "MergeConflict",
    "DuplicateOpen",
    "ParseError",
    "ImportFileError",
    "PeriodError",
    "RowError",
    "Http404",
    "HttpResponseBadRequest",
}
MESSAGE_LEVELS = {"success", "error", "info", "warning", "debug"}
READ_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "message",
    "title",
    "caption",
    "placeholder",
    "description",
    "reason",
    "detail",
}


def _plain_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _called(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def _read_arguments(node: ast.Call) -> list[ast.AST]:
    called = _called(node)
    arguments = [kw.value for kw in node.keywords if kw.arg in READ_KEYWORDS]
    if called in ERRORS and node.args:
        arguments.append(node.args[0])
    is_message = (
        called in MESSAGE_LEVELS
        and isinstance(node.func, ast.Attribute)
        and getattr(node.func.value, "id", "") == "messages"
    )
    if is_message and len(node.args) >= 2:
        arguments.append(node.args[1])
    return arguments


def _choice_labels(node: ast.ClassDef) -> list[ast.AST]:
    """The labels of TextChoices and IntegerChoices members: `A = "a", "Label"`."""
    bases = {getattr(base, "attr", getattr(base, "id", "")) for base in node.bases}
    if not bases & {"TextChoices", "IntegerChoices", "Choices"}:
        return []
    return [
        statement.value.elts[-1]
        for statement in node.body
        if isinstance(statement, ast.Assign)
        and isinstance(statement.value, ast.Tuple)
        and len(statement.value.elts) >= 2
    ]


def unmarked_python_strings(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        read = []
        if isinstance(node, ast.Call):
            read = _read_arguments(node)
        elif isinstance(node, ast.ClassDef):
            read = _choice_labels(node)
        for argument in read:
            text = _plain_text(argument)
            if text and WORD.search(text):
                found.append(f"{argument.lineno}: {text[:70]}")
    return found


def product_modules() -> list[Path]:
    return [
        path
        for app in PRODUCT_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if not TOOLING & set(path.relative_to(ROOT).parts)
    ]


def test_the_python_check_finds_unmarked_strings():
    source = (
        'raise ValidationError("Bad date")\n'
        'messages.success(request, "Saved")\n'
        'forms.CharField(label="Name")\n'
        'class Kind(models.TextChoices):\n    A = "a", "Apple"\n'
        'raise ValidationError(_("Bad date"))\n'
    )
    assert sorted(line.split(": ")[1] for line in unmarked_python_strings(source)) == [
        "Apple",
        "Bad date",
        "Name",
        "Saved",
    ]


def test_every_user_facing_python_string_is_marked_for_translation():
    unmarked = {
        str(path.relative_to(ROOT)): found
        for path in product_modules()
        if (found := unmarked_python_strings(path.read_text()))
    }
    assert not unmarked


# Catalogues


PYTHON_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0-9.]*[sdfir]|%[sd]")
BRACE_PLACEHOLDER = re.compile(r"{[a-z_0-9]*(?::[^}]*)?}")


def placeholders_differ(message) -> bool:
    """A translation must fill in what its source does: no more, no fewer."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    for flag, pattern in (
        ("python-format", PYTHON_PLACEHOLDER),
        ("python-brace-format", BRACE_PLACEHOLDER),
    ):
        if flag not in message.flags:
            continue
        wanted = set().union(*(set(pattern.findall(text)) for text in ids))
        # Plural forms may leave the count out ("one deal"), never add one of their own.
        if any(not set(pattern.findall(form)) <= wanted for form in forms):
            return True
        if not isinstance(message.id, tuple) and set(pattern.findall(forms[0])) != wanted:
            return True
    return False


def test_the_placeholder_check_finds_a_missing_or_foreign_placeholder():
    from babel.messages.catalog import Message

    good = Message("%(n)s deals", "%(n)s сделок", flags=["python-format"])
    missing = Message("%(n)s deals", "сделки", flags=["python-format"])
    foreign = Message("{value}% of revenue", "{valore}%", flags=["python-brace-format"])
    assert not placeholders_differ(good)
    assert placeholders_differ(missing) and placeholders_differ(foreign)


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalogue_translates_every_entry(code):
    catalog = catalogue(code)
    assert not untranslated(catalog)
    assert not [message.id for message in catalog if message.id and placeholders_differ(message)]


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_compiled_catalogue_matches_its_source(code):
    with open(LOCALE / locale_dir(code) / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for message in catalogue(code):
        if not message.id or message.fuzzy:
            continue
        context = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, tuple):
            for index, form in enumerate(message.string):
                assert compiled.get((context + message.id[0], index)) == form, message.id
        else:
            assert compiled.get(context + message.id) == message.string, message.id


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext's xgettext")
def test_catalogues_hold_every_marked_string(tmp_path, monkeypatch):
    # makemessages writes into every `locale` directory it finds under the working
    # directory, so it runs in a copy of the product's code, never on the real catalogues.
    copy = tmp_path / "project"
    skipped = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.ttf")
    for part in (*PRODUCT_APPS, "devtools", "templates", "locale"):
        shutil.copytree(ROOT / part, copy / part, ignore=skipped)
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", all=True, no_location=True, verbosity=0)
    for code in TRANSLATED:
        assert not untranslated(catalogue(code, copy / "locale")), code


def test_russian_calls_a_quota_a_plan_throughout():
    # The Russian pages name a quota "план" (the menu, the board, its columns); a
    # sentence saying "квота" beside them reads as a second, different figure.
    strings = []
    for message in catalogue("ru"):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        strings.extend(form for form in forms if form)
    assert not [form for form in strings if "квот" in form.lower()]
