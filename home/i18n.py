"""Which interface strings the public sees, so the public languages' catalogues hold those.

The admin stays German and English (``WAGTAILADMIN_PERMITTED_LANGUAGES``); the content
languages beyond them (Turkish, Arabic, Ukrainian, Russian, Leichte Sprache) only ever show
the public interface. Their catalogues are made from the public sources only, so that
translators work on what visitors read and a test can demand that every public string is
translated in every one of them:

- whole files that only the admin, the staff or the shell use are left out
  (``ADMIN_ONLY_SOURCES``: admin views and hooks, admin templates, staff mails, setup and
  provisioning code, management commands, migrations);
- in model and block modules, the strings that only label the editing interface are left out
  too: a field's verbose name and help text, a model's ``verbose_name``, a panel's
  ``heading`` and a block's ``label``, default and preview values (German default content that
  is translated as content, not as interface). Choice labels, validation messages and
  everything else in those modules stay public: visitors read them on pages and in filters.

``public_messages()`` extracts the public strings from the sources without gettext (Python
through ``ast``, templates through Django's own ``templatize``), so the catalogue test also
runs where gettext is not installed. ``manage.py public_messages`` uses the same rules to
refresh the catalogues.
"""

import ast
import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import to_locale

# Languages whose catalogues this module governs: every content language except German
# (the source) and English (admin and public, kept complete by its own test).
FULL_CATALOGUE_LANGUAGES = ("de", "en")

# Source files (relative to BASE_DIR, fnmatch patterns) that the public never sees.
ADMIN_ONLY_SOURCES = (
    ".venv/*",
    "var/*",
    "tests/*",
    "benchmarks/*",
    "*/node_modules/*",
    "*/migrations/*",
    "*/management/*",
    "*/admin_views.py",
    "*/wagtail_hooks.py",
    "*/admin_filters.py",
    "*/admin_display.py",
    "*/dashboard.py",
    "*/setup.py",
    "directory/exchange.py",
    "sites/provisioning.py",
    "sites/review.py",
    "sites/side_doors.py",
    "sites/password_reset.py",
    "sites/admin_errors.py",
    "sites/admin_sites.py",
    "sites/translation_review.py",
    "sites/translation_targets.py",
    "directory/widget_admin.py",
    "templates/*/admin/*",
    "templates/wagtailadmin/*",
    "templates/sites/email/password_reset.txt",
    "templates/directory/mail/stale_groups.txt",
    # Written in German whatever the language of the page (``translation.override("de")``).
    "templates/directory/mail/confirmation_request.txt",
    "templates/directory/mail/proposal_to_office.txt",
)

# In these modules, keyword arguments and assignments with these names only label the admin.
EDITING_MODULES = ("models.py", "blocks.py", "apps.py", "newsletter_sources.py", "queries.py")
EDITING_KEYWORDS = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "heading",
    "label",
    "default",
    "preview_value",
}
GETTEXT_NAMES = {
    "_": "gettext",
    "_lazy": "gettext",
    "gettext": "gettext",
    "gettext_lazy": "gettext",
    "gettext_noop": "gettext",
    "ngettext": "ngettext",
    "ngettext_lazy": "ngettext",
    "pgettext": "pgettext",
    "pgettext_lazy": "pgettext",
    "npgettext": "npgettext",
    "npgettext_lazy": "npgettext",
}
TEMPLATE_SUFFIXES = (".html", ".txt")


@dataclass(frozen=True)
class Message:
    """One msgid as gettext keys it: context, singular and (for plural forms) plural."""

    msgid: str
    plural: str = ""
    context: str = ""


def public_languages():
    """Language codes of the content languages whose catalogues hold only public strings."""
    return [code for code, _name in settings.LANGUAGES if code not in FULL_CATALOGUE_LANGUAGES]


def catalogue_path(language_code):
    """The .po file of a language in the project's catalogues (``de-x-ls`` → ``de_X-ls``)."""
    base = Path(settings.LOCALE_PATHS[0])
    return base / to_locale(language_code) / "LC_MESSAGES" / "django.po"


def is_admin_only_source(relative_path):
    return any(fnmatch.fnmatch(relative_path, pattern) for pattern in ADMIN_ONLY_SOURCES)


def source_files(base_dir=None):
    """Project files that may hold public strings: Python modules and templates. Hidden
    and admin-only directories are not even walked (``.venv``, ``node_modules``)."""
    base = Path(base_dir or settings.BASE_DIR)
    for directory, subdirectories, files in os.walk(base):
        relative_dir = Path(directory).relative_to(base).as_posix()
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".")
            and name != "node_modules"
            and not is_admin_only_source(f"{relative_dir}/{name}/".removeprefix("./"))
        )
        for name in sorted(files):
            path = Path(directory) / name
            relative = path.relative_to(base).as_posix()
            if path.suffix not in (".py", *TEMPLATE_SUFFIXES) or is_admin_only_source(relative):
                continue
            if path.suffix in TEMPLATE_SUFFIXES and "templates/" not in f"/{relative}":
                continue
            yield relative, path


def _message_from_call(node):
    """The :class:`Message` of a gettext call with literal arguments, else None."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    kind = GETTEXT_NAMES.get(name)
    if not kind:
        return None
    arity = {"gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}[kind]
    args = node.args[:arity]
    if len(args) < arity or not all(
        isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
    ):
        return None
    return _message(kind, [a.value for a in args])


def _message(kind, values):
    if kind == "gettext":
        return Message(values[0])
    if kind == "ngettext":
        return Message(values[0], values[1])
    if kind == "pgettext":
        return Message(values[1], context=values[0])
    return Message(values[1], values[2], context=values[0])


def _python_messages(source, editing_module):
    """``(message, line, public)`` for every gettext call with literal arguments."""
    tree = ast.parse(source)
    admin_calls = set()
    if editing_module:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg in EDITING_KEYWORDS:
                        admin_calls.update(id(n) for n in ast.walk(keyword.value))
                func = node.func
                func_name = (
                    func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                )
                # The first positional argument of a model field is its verbose name.
                if func_name.endswith(("Field", "Key")) and node.args:
                    admin_calls.update(id(n) for n in ast.walk(node.args[0]))
            elif isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(t in EDITING_KEYWORDS for t in targets):
                    admin_calls.update(id(n) for n in ast.walk(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            message = _message_from_call(node)
            if message:
                yield message, node.lineno, id(node) not in admin_calls


_STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(
    r"\b(_|gettext|ngettext|pgettext|npgettext)\(((?:" + _STRING + r"(?:, ?)?)+)(?:\w+)?\)"
)
_LITERAL = re.compile(_STRING)


def _template_messages(source, origin):
    """``(message, line)`` for every translatable string of a template."""
    from django.utils.translation.template import templatize

    code = templatize(source, origin=origin)
    for match in _TEMPLATE_CALL.finditer(code):
        kind = "gettext" if match.group(1) == "_" else match.group(1)
        values = [ast.literal_eval(lit) for lit in _LITERAL.findall(match.group(2))]
        yield _message(kind, values), code.count("\n", 0, match.start()) + 1


def public_occurrences(base_dir=None):
    """``{message: [(file, line), ...]}`` for every string the public can see."""
    found = {}
    for relative, path in source_files(base_dir):
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            editing = path.name in EDITING_MODULES
            hits = [(m, line) for m, line, public in _python_messages(source, editing) if public]
        else:
            hits = list(_template_messages(source, relative))
        for message, line in hits:
            found.setdefault(message, []).append((relative, line))
    return found


def public_messages(base_dir=None):
    """Every msgid the public can see, from the project's own sources."""
    return set(public_occurrences(base_dir))


_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[^{}]*\}")


def placeholders(text):
    """The sorted placeholders (``%(name)s``, ``%s``, ``{}``) of a message."""
    return sorted(match.group(0) for match in _PLACEHOLDER.finditer(text))


def _po_string(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def pot_text(occurrences):
    """A gettext template (POT) of ``occurrences`` in a stable order, with format flags so
    that ``msgfmt --check-format`` compares placeholders."""
    header = (
        'msgid ""\nmsgstr ""\n'
        '"Project-Id-Version: selbsthilfe-platform\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
    )
    blocks = [header]
    for message in sorted(occurrences, key=lambda m: (min(occurrences[m]), m.msgid)):
        lines = ["#: " + " ".join(f"{f}:{n}" for f, n in sorted(set(occurrences[message])))]
        text = message.msgid + message.plural
        if re.search(r"%\(\w+\)[sd]|%[sd]", text):
            lines.append("#, python-format")
        elif re.search(r"\{\w*\}", text):
            lines.append("#, python-brace-format")
        if message.context:
            lines.append(f"msgctxt {_po_string(message.context)}")
        lines.append(f"msgid {_po_string(message.msgid)}")
        if message.plural:
            lines.append(f"msgid_plural {_po_string(message.plural)}")
            lines += ['msgstr[0] ""', 'msgstr[1] ""']
        else:
            lines.append('msgstr ""')
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


# gettext plural rules of the public languages (CLDR categories: Arabic has six, Russian and
# Ukrainian three: one / few / many).
PLURAL_FORMS = {
    "tr": "nplurals=2; plural=(n != 1);",
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5);"
    ),
    "uk": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<12 || n%100>14) ? 1 : 2);"
    ),
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<12 || n%100>14) ? 1 : 2);"
    ),
    "de-x-ls": "nplurals=2; plural=(n != 1);",
}


def new_catalogue_text(language_code, pot):
    """A fresh catalogue for ``language_code`` from ``pot``: header, empty translations with
    as many plural forms as the language has."""
    nplurals = int(re.search(r"nplurals=(\d)", PLURAL_FORMS[language_code]).group(1))
    header = (
        f"# Public interface of the office sites, language {language_code}.\n"
        "# Built from the public sources only (home/i18n.py); refresh with\n"
        "# manage.py public_messages.\n"
    )
    text = pot.replace(
        '"Content-Transfer-Encoding: 8bit\\n"\n',
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Language: {language_code}\\n"\n'
        f'"Plural-Forms: {PLURAL_FORMS[language_code]}\\n"\n',
        1,
    )
    empty_plurals = "\n".join(f'msgstr[{k}] ""' for k in range(nplurals))
    return header + text.replace('msgstr[0] ""\nmsgstr[1] ""', empty_plurals)
