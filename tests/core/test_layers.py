"""The apps are layers, and a lower layer never imports a higher one: core < catalog < partnerships < api.

Catalog shows and queries partnership records only through the extension points that partnerships fills
from its AppConfig.ready() (core.extensions), so this is checked on the source itself, with ``ast``:
imports (also inside functions), ``apps.get_model("partnerships", ...)`` and lazy "app.Model" references.
Migrations are left out: they record history, not the code's layering.
"""
import ast
from pathlib import Path

import pytest
from django.conf import settings

LAYERS = ["core", "catalog", "partnerships", "api"]  # each may use the ones before it
ROOT = Path(settings.BASE_DIR)


def higher_than(app: str) -> set[str]:
    return set(LAYERS[LAYERS.index(app) + 1:])


def imported_modules(tree: ast.AST, package: str):
    """(line, module) for every import in ``tree``; relative imports resolved within ``package``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module


def string_references(tree: ast.AST):
    """(line, text) for the first string argument of every call: get_model("app", ...), import_module("app.x"),
    ForeignKey("app.Model") and the like."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value


def violations(source: str, app: str, package: str) -> list[str]:
    forbidden = higher_than(app)
    found = []
    tree = ast.parse(source)
    for line, module in imported_modules(tree, package):
        if module.split(".")[0] in forbidden:
            found.append(f"line {line}: imports {module}")
    for line, text in string_references(tree):
        dotted = "." in text and not any(character in text for character in "/ ")
        if text in forbidden or (dotted and text.split(".")[0] in forbidden):
            found.append(f"line {line}: names {text!r}")
    for layer in forbidden:
        for quote in "\"'":
            if f"get_model({quote}{layer}" in source:
                found.append(f"get_model({quote}{layer}...")
    return found


def app_modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" not in relative.parts:
            package = ".".join(relative.with_suffix("").parts[:-1])
            yield relative, package


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_a_lower_app_never_uses_a_higher_one(app):
    modules = list(app_modules(app))
    assert modules, f"no modules found for {app}"
    problems = [
        f"{relative} {problem}"
        for relative, package in modules
        for problem in violations((ROOT / relative).read_text(encoding="utf-8"), app, package)
    ]
    assert not problems, f"{app} must not use {', '.join(sorted(higher_than(app)))}:\n" + "\n".join(problems)


@pytest.mark.parametrize("source", [
    "from partnerships.models import Program",
    "import partnerships.models",
    "from partnerships import models",
    "def f():\n    from api.views import ProgramViewSet",
    "from django.apps import apps\nProgram = apps.get_model('partnerships', 'Program')",
    "from django.apps import apps\nProgram = apps.get_model('partnerships.Program')",
    "from django.db import models\nprogram = models.ForeignKey('partnerships.Program', on_delete=models.CASCADE)",
    "from importlib import import_module\nimport_module('partnerships.formats')",
])
def test_the_check_finds_a_higher_import(source):
    assert violations(source, "catalog", "catalog")


@pytest.mark.parametrize("source", [
    "from core.models import Publishable",
    "from .models import Institution",
    "from django.shortcuts import render\nrender(None, 'partnerships/data.html')",
    "message = 'The registry holds partnerships.'",
])
def test_the_check_lets_lower_and_own_imports_through(source):
    assert not violations(source, "catalog", "catalog")


def test_relative_imports_resolve_within_their_package():
    modules = [module for _line, module in imported_modules(ast.parse("from ..choices import X"), "core.fileformat")]
    assert modules == ["core.choices"]
