"""The private names of typer and click that setguide uses live in one module,
setguide/typer_compat.py. A typer release that moves one fails here, naming it, before
--help or start-up breaks for a user."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import typer
import typer.main

from setguide import cli, typer_compat

ROOT = Path(__file__).resolve().parent.parent / "setguide"


def _moved(what: str) -> str:
    return (
        f"typer {typer.__version__} no longer has {what}, which setguide uses: "
        "update setguide/typer_compat.py, or keep typer within the version pinned in pyproject.toml"
    )


def test_every_private_name_setguide_uses_is_where_it_was():
    for entry in typer_compat.NAMES:
        module, name = entry.split(":")
        try:
            found = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            found = None
        assert found is not None, _moved(f"{module}.{name}")
    coercion = typer_compat.pass_through()
    assert callable(getattr(coercion, typer_compat.COERCE, None)), _moved(f"{coercion.__name__}.{typer_compat.COERCE}")


def test_every_private_parameter_attribute_setguide_sets_is_there():
    root = typer.main.get_command(cli.full_app())
    params = [p for command in root.commands.values() for p in command.params]
    params += [p for group in root.commands.values() for sub in getattr(group, "commands", {}).values()
               for p in sub.params]  # fmt: skip
    arguments = [p for p in params if p.param_type_name == "argument"]
    assert params and arguments
    for attribute in typer_compat.PARAM_ATTRIBUTES:
        assert all(hasattr(p, attribute) for p in params), _moved(f"the parameter attribute {attribute}")
    for attribute in typer_compat.ARGUMENT_ATTRIBUTES:
        assert all(hasattr(p, attribute) for p in arguments), _moved(f"the argument attribute {attribute}")
    names = {p.name for p in root.params}
    for name in (typer_compat.INSTALL_COMPLETION, typer_compat.SHOW_COMPLETION):
        assert name in names, _moved(f"the root option {name}")


def test_polish_still_gives_plain_coercion_and_completion(run):
    """What the private names are for: a whole-number option checked without pydantic,
    and a place completed. Both break, not silently, when typer changes."""
    result = run("forums", "--next", "--days", "x")
    assert result.code == 2 and "valid integer" in result.err
    result = run("forums", "--next", "--days", "9999")
    assert result.code == 2 and "less than or equal to 3660" in result.err
    root = typer.main.get_command(cli.full_app())
    cli.polish(root)
    quadrant = root.commands["quadrant"]
    place = next(p for p in quadrant.params if p.name == "place")
    assert place._custom_shell_complete is cli.COMPLETERS[(("quadrant",), "place")]


def test_no_module_but_the_compat_module_names_a_private_part_of_typer_or_click():
    found = []
    for path in ROOT.rglob("*.py"):
        if path.name == "typer_compat.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            module = ""
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
            elif isinstance(node, ast.Import):
                module = " ".join(a.name for a in node.names)
            if "typer._" in module or "click" in module:
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {module}")
            if isinstance(node, ast.FunctionDef) and node.name == typer_compat.COERCE:
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: def {node.name}")
            if isinstance(node, ast.Attribute) and node.attr in (
                *typer_compat.PARAM_ATTRIBUTES[1:],
                typer_compat.ARGUMENT_ATTRIBUTES[0],
            ):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: .{node.attr}")
    assert not found, "private typer or click names outside setguide/typer_compat.py:\n" + "\n".join(found)
