"""The flags every command shares, defined once so that each reads the same."""

from __future__ import annotations

import typer

JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of text (schemas in the README).")
PLAIN_OPT = typer.Option(False, "--plain", help="Plain lines: no colour, no tables (screen readers, pipes).")
