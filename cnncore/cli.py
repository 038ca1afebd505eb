"""The command line: ``python -m cnncore list`` and ``python -m cnncore run NAME --param value``.

``run`` prints the scenario's trace as text, or as JSON with ``--json``. Parameters are given
as ``--learning_rate 0.1``, ``--learning-rate 0.1`` or ``--learning-rate=0.1``; a bool
parameter alone (``--integer-values``) means true. A bad parameter prints its error and exits
with status 2. ``python -m cnncore NAME ...`` is short for ``run NAME ...``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from cnncore import scenarios
from cnncore.scenarios import ParameterError, UnknownScenario

USAGE = """\
usage: python -m cnncore list
       python -m cnncore run NAME [--PARAM VALUE ...] [--seed N] [--json]
       python -m cnncore run NAME --help     (the scenario's parameters)
"""
EXIT_OK, EXIT_USAGE = 0, 2


class UsageError(Exception):
    """The command line is malformed (a missing value, an unknown command)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args or args[0] in ("-h", "--help", "help"):
            print(USAGE, end="")
            return EXIT_OK if args else EXIT_USAGE
        if args[0] == "list":
            print(list_text(), end="")
            return EXIT_OK
        if args[0] == "run":
            args = args[1:]
        if not args:
            raise UsageError("run needs a scenario name")
        return run_command(args[0], args[1:])
    except (UsageError, ParameterError, UnknownScenario) as error:
        message = error.args[0] if error.args else str(error)
        print(f"error: {message}", file=sys.stderr)
        return EXIT_USAGE


def list_text() -> str:
    """Return one line per scenario: name, topic and summary, in teaching order."""
    rows = [(s.name, s.topic, s.summary) for s in scenarios.all_scenarios()]
    name_width = max(len(name) for name, _, _ in rows)
    topic_width = max(len(topic) for _, topic, _ in rows)
    return "".join(
        f"{name:<{name_width}}  {topic:<{topic_width}}  {summary}\n" for name, topic, summary in rows
    )


def help_text(scenario) -> str:
    """Return the scenario's summary and parameter schema."""
    lines = [f"{scenario.name}: {scenario.summary}", "", "parameters:"]
    for param in scenario.params:
        if param.kind == "choice":
            allowed = "one of " + ", ".join(param.choices)
        elif param.kind == "bool":
            allowed = "true or false"
        else:
            allowed = f"{param.kind} from {param.min:g} to {param.max:g}"
        default = str(param.default).lower() if param.kind == "bool" else param.default
        lines.append(f"  --{param.name} ({allowed}; default {default}): {param.help}")
    lines.append("  --seed N (0 to 4294967295; default 0): the random seed")
    lines.append("  --json: print the trace as JSON")
    return "\n".join(lines) + "\n"


def run_command(name: str, options: list[str]) -> int:
    """Run scenario ``name`` with the ``--param value`` ``options``; print its trace."""
    scenario = scenarios.get(name)
    if "-h" in options or "--help" in options:
        print(help_text(scenario), end="")
        return EXIT_OK
    params, seed, as_json = parse_options(scenario, options)
    trace = scenario.run(params, seed=seed)
    if as_json:
        print(json.dumps(trace.to_dict()))
    else:
        print(trace.to_text(), end="")
    return EXIT_OK


def parse_options(scenario, options: list[str]) -> tuple[dict[str, str], str, bool]:
    """Return ``(params, seed, as_json)`` from ``--name value`` / ``--name=value`` options."""
    params: dict[str, str] = {}
    seed, as_json = "0", False
    index = 0
    while index < len(options):
        option = options[index]
        index += 1
        if not option.startswith("--") or option == "--":
            raise UsageError(f"expected --PARAM VALUE, got {option!r}")
        key, has_value, value = option[2:].partition("=")
        if key == "json":
            as_json = True
            continue
        if not has_value:
            next_is_value = index < len(options) and not options[index].startswith("--")
            if next_is_value:
                value, index = options[index], index + 1
            elif key != "seed" and scenario.param(key).kind == "bool":
                value = "true"
            else:
                raise UsageError(f"--{key} needs a value")
        if key == "seed":
            seed = value
        else:
            params[scenario.param(key).name] = value
    return params, seed, as_json
