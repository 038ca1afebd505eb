"""Load YAML keeping the line of every mapping key, and report errors with file lines."""

from dataclasses import dataclass, field

import yaml

from .errors import DUPLICATE_KEY, YAML_ALIAS, YAML_ERROR, ContentError

try:  # the C loader is several times faster; fall back where PyYAML was built without it
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader


@dataclass
class LoadedYaml:
    """A YAML document's value and the file line of each top-level key or list item."""

    value: object = None
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: list[int] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)


def first_alias_line(text: str) -> int | None:
    """Return the 0-based line of the first anchor or alias in ``text``, or None.

    Only the event stream is read (nothing is built), so an alias bomb costs no more than its size.
    Malformed YAML returns None here and is reported by the full parse.
    """
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return event.start_mark.line
    except yaml.YAMLError:
        return None
    return None


def load_yaml(text: str, *, path: str, first_line: int = 1) -> LoadedYaml:
    """Parse ``text`` whose first line is line ``first_line`` of ``path``; refuse anchors and aliases."""
    alias_line = first_alias_line(text)
    if alias_line is not None:
        return LoadedYaml(errors=[ContentError(path, first_line + alias_line, YAML_ALIAS)])
    try:
        node = yaml.compose(text, Loader=SafeLoader)
        value = yaml.load(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = " ".join(filter(None, [error.context, error.problem]))
        return LoadedYaml(errors=[ContentError(path, line, YAML_ERROR.format(problem=problem))])
    except yaml.YAMLError as error:
        return LoadedYaml(errors=[ContentError(path, first_line, YAML_ERROR.format(problem=error))])
    loaded = LoadedYaml(value=value)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key, line = str(key_node.value), first_line + key_node.start_mark.line
            if key in loaded.key_lines:
                loaded.errors.append(ContentError(path, line, DUPLICATE_KEY.format(key=key)))
            loaded.key_lines[key] = line
            if isinstance(value_node, yaml.MappingNode):  # one level down, as "params.stride"
                for sub_key, _ in value_node.value:
                    loaded.key_lines[f"{key}.{sub_key.value}"] = first_line + sub_key.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        loaded.item_lines = [first_line + item.start_mark.line for item in node.value]
    return loaded
