"""Every private name of typer, and of the click it carries (`typer._click`), that setguide
uses: here and nowhere else. They differ between typer releases, so pyproject.toml pins
typer below its next minor version, and tests/test_typer_compat.py fails, naming the
name, when one has moved. Everything is looked up when it is used, so start-up imports
no more of typer than before."""

from __future__ import annotations

from typing import Any

from typer._click import Context

# The private modules and names setguide reads (checked by tests/test_typer_compat.py).
NAMES = (
    "typer._click:Context",
    "typer._click.formatting:HelpFormatter",
    "typer._click.formatting:iter_rows",
    "typer._click.formatting:measure_table",
    "typer._click.formatting:term_len",
    "typer._click.shell_completion:CompletionItem",
    "typer._coercion:PassThroughRuntimeParam",
    "typer._completion_shared:_get_shell_name",
)
# The private attributes of a command's parameters that setguide reads or sets.
PARAM_ATTRIBUTES = ("type_descriptor", "_runtime_param", "_custom_shell_complete")
# The private method of typer's coercion that `whole_number` overrides.
COERCE = "_coerce_value"
ARGUMENT_ATTRIBUTES = ("_usage_display_name", "display_type_rich")
# The parameters typer adds to the root for completion, by name.
INSTALL_COMPLETION = "install_completion"
SHOW_COMPLETION = "show_completion"

__all__ = ["Context"]


def help_formatter() -> Any:
    from typer._click.formatting import HelpFormatter

    return HelpFormatter


def table_helpers() -> tuple[Any, Any, Any]:
    """click's iter_rows, measure_table and term_len, for a help formatter's two columns."""
    from typer._click.formatting import iter_rows, measure_table, term_len

    return iter_rows, measure_table, term_len


def completion_item(value: str, about: str | None) -> Any:
    from typer._click.shell_completion import CompletionItem

    return CompletionItem(value, help=about)


def pass_through() -> Any:
    """Typer's coercion that takes a value as it is (no pydantic adapter); ImportError in a
    typer without it."""
    from typer._coercion import PassThroughRuntimeParam

    return PassThroughRuntimeParam


def whole_number() -> Any:
    """A whole number within the option's min and max, said wrong as Typer says it."""
    from typer import BadParameter

    class WholeNumber(pass_through()):
        def _coerce_value(self, value, param, ctx):
            try:
                number = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
            except ValueError:
                raise BadParameter(
                    "Input should be a valid integer, unable to parse string as an integer", ctx=ctx, param=param
                ) from None
            low, high = getattr(self.parameter_info, "min", None), getattr(self.parameter_info, "max", None)
            if low is not None and number < low:
                raise BadParameter(f"Input should be greater than or equal to {low}", ctx=ctx, param=param)
            if high is not None and number > high:
                raise BadParameter(f"Input should be less than or equal to {high}", ctx=ctx, param=param)
            return number

    return WholeNumber


def detected_shell() -> str | None:
    """The shell typer's completion installer would write for (lower case), or None."""
    try:
        from typer._completion_shared import _get_shell_name

        return _get_shell_name()
    except Exception:  # shellingham missing or failing: unknown
        return None


# --- the private attributes of a parameter --------------------------------------


def plain_annotation(param: Any) -> tuple[Any, Any] | None:
    """(annotation, parameter info) of a parameter whose coercion typer has not built yet
    and that holds no file, else None."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", "absent") is not None:
        return None
    if getattr(descriptor, "file_annotation", None) is not None:
        return None
    return descriptor.annotation, descriptor.parameter_info


def annotation(param: Any) -> Any:
    return param.type_descriptor.annotation


def set_coercion(param: Any, coercion: Any) -> None:
    param._runtime_param = coercion


def set_completer(param: Any, completer: Any) -> None:
    param._custom_shell_complete = completer


def set_usage(param: Any, usage: str) -> None:
    """An argument's name in the usage line, and no type shown beside it in rich help."""
    param.display_type_rich = lambda ctx: None
    param._usage_display_name = lambda _u=usage: _u
