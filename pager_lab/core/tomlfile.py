"""Reading TOML files with errors that name the file, the key path and the bad value."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pager_lab.core.errors import ConfigError
from pager_lab.core.names import closest_name

__all__ = [
    "check_keys",
    "read_text_file",
    "read_toml",
    "require",
    "require_number",
    "require_table",
]


def read_text_file(path: str | Path, kind: str) -> str:
    """The UTF-8 text of a file; a folder, a missing, unreadable or binary file becomes a
    ``ConfigError`` naming the file and saying what was expected (*kind*, e.g. "TOML file")."""
    p = Path(path)
    where = str(path)
    if where == "":
        raise ConfigError("", "file", where, f"the path of a {kind}, not an empty string")
    try:
        return p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(where, "file", where, f"an existing {kind} (there is none)") from None
    except IsADirectoryError:
        raise ConfigError(where, "file", where, f"a {kind}, not a folder") from None
    except NotADirectoryError:
        raise ConfigError(
            where, "file", where, f"a {kind} (a part of the path is a file, not a folder)"
        ) from None
    except OSError as exc:
        raise ConfigError(where, "file", where, f"a readable {kind} ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start : exc.start + 1].hex()
        raise ConfigError(
            where,
            "file",
            where,
            f"a UTF-8 text {kind} (byte 0x{byte} at offset {exc.start} is not UTF-8: "
            "a binary file, or saved in another encoding?)",
        ) from None


def read_toml(path: str | Path) -> dict[str, Any]:
    """Parse a TOML file; a missing, binary or folder path or a syntax error becomes a
    ``ConfigError``."""
    text = read_text_file(path, "TOML file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "syntax", str(exc), "valid TOML") from None


def check_keys(table: Mapping[str, Any], allowed: Iterable[str], where: str, path: str) -> None:
    """Reject keys a user typed that nothing reads (so nothing is silently ignored): every
    unknown key of the table in one message, each with the closest known key if there is one."""
    allowed = set(allowed)
    unknown = [key for key in table if key not in allowed]
    if not unknown:
        return
    guesses = []
    for key in unknown:
        close = closest_name(str(key), sorted(allowed), cutoff=0.7)
        if close:
            guesses.append(f"{key} -> {close}")
    hint = f" (did you mean {', '.join(guesses)}?)" if guesses else ""
    value = table[unknown[0]] if len(unknown) == 1 else [table[key] for key in unknown]
    raise ConfigError(
        where,
        ", ".join(f"{path}.{key}" if path else str(key) for key in unknown),
        value,
        f"no such key here{hint}; known keys: {', '.join(sorted(allowed))}",
    )


def require_table(value: Any, where: str, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(where, path, value, "a table")
    return value


def require(
    table: Mapping[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    path: str,
    expected: str,
    default: Any = ...,
) -> Any:
    """``table[key]`` checked against *kind*; a missing key uses *default* or is an error."""
    full = f"{path}.{key}" if path else key
    if key not in table:
        if default is ...:
            raise ConfigError(where, full, None, f"{expected} (the key is missing)")
        return default
    value = table[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ConfigError(where, full, value, expected)
    if not isinstance(value, kind):
        raise ConfigError(where, full, value, expected)
    return value


def require_number(
    table: Mapping[str, Any],
    key: str,
    where: str,
    path: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
    default: Any = ...,
    integer: bool = False,
) -> Any:
    """A number within bounds, e.g. a probability in [0, 1] or a timeout > 0."""
    kind: type | tuple[type, ...] = int if integer else (int, float)
    lo = "" if minimum is None else (f"> {minimum:g}" if strict_minimum else f">= {minimum:g}")
    hi = "" if maximum is None else f"<= {maximum:g}"
    bounds = " and ".join(b for b in (lo, hi) if b)
    expected = ("an integer" if integer else "a number") + (f" {bounds}" if bounds else "")
    value = require(table, key, kind, where, path, expected, default)
    if value is None or value is default:
        return value
    full = f"{path}.{key}" if path else key
    too_low = minimum is not None and (value <= minimum if strict_minimum else value < minimum)
    if too_low or (maximum is not None and value > maximum):
        raise ConfigError(where, full, value, expected)
    return value
