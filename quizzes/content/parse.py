"""Parse question and exam files into ``schema`` objects, collecting every problem with its line.

Only the file's own structure is checked here; what depends on the rest of the bank (topics,
scenarios, misconceptions, unique ids) is checked in ``validate``.
"""

import re

from cnncore.scenarios.params import SEED_LIMIT

from .answer import parse_answer
from .errors import (
    BAD_CHOICE_LINE,
    BAD_DIFFICULTY,
    BAD_ID,
    BAD_PARAMS,
    BAD_RANGE,
    BAD_SEED,
    BAD_SHUFFLE,
    BAD_TAGS,
    CHOICES_AND_ANSWER,
    EMPTY_CHOICE,
    EMPTY_EXPLANATION,
    EMPTY_RANGE,
    EMPTY_STEM,
    EXAM_BAD_NUMBER,
    EXAM_BAD_SECTION,
    EXAM_BAD_SECTIONS,
    MISSING_FEEDBACK,
    MISSING_KEY,
    NO_CHOICES_SECTION,
    NO_EXPLANATION_SECTION,
    NO_FRONT_MATTER,
    NOT_A_MAPPING,
    UNCLOSED_FRONT_MATTER,
    UNKNOWN_CHOICE_DETAIL,
    UNKNOWN_KEY,
    UNKNOWN_SECTION,
    ContentError,
)
from .schema import RANDOM_SEED, ChoiceSource, ExamSection, ExamSource, ParamSpec, QuestionSource
from .yamlish import LoadedYaml, load_yaml

QUESTION_KEYS = ("id", "topic", "difficulty", "tags", "scenario", "params", "seed", "shuffle")
QUESTION_REQUIRED = ("id", "topic", "difficulty", "scenario")
EXAM_KEYS = ("id", "title", "time_limit_minutes", "pass_mark", "sections")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
CHOICE = re.compile(r"^- \[( |x|X)\]\s?(.*)$")
DETAIL = re.compile(r"^\s+([a-z][a-z_]*):\s?(.*)$")
CHOICE_DETAILS = ("feedback", "misconception")
MAX_TIME_LIMIT = 600


class _Collector:
    """Gather ``ContentError``s for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[ContentError] = []

    def add(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.path, line, message))


def split_front_matter(text: str, problems: _Collector) -> tuple[str, str, int] | None:
    """Return (front matter, body, first body line), or None after reporting the problem."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.add(1, NO_FRONT_MATTER)
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    problems.add(1, UNCLOSED_FRONT_MATTER)
    return None


def _front_matter(text: str, problems: _Collector, allowed: tuple[str, ...],
                  required: tuple[str, ...]) -> tuple[dict, LoadedYaml, str, int] | None:
    parts = split_front_matter(text, problems)
    if parts is None:
        return None
    yaml_text, body, body_line = parts
    loaded = load_yaml(yaml_text, path=problems.path, first_line=2)
    problems.errors.extend(loaded.errors)
    if loaded.errors and loaded.value is None:
        return None
    meta = loaded.value if loaded.value is not None else {}
    if not isinstance(meta, dict):
        problems.add(2, NOT_A_MAPPING.format(kind=type(meta).__name__))
        return None
    for key in meta:
        if key not in allowed:
            problems.add(loaded.key_lines.get(str(key), 2),
                         UNKNOWN_KEY.format(key=key, allowed=", ".join(allowed)))
    for key in required:
        if key not in meta:
            problems.add(2, MISSING_KEY.format(key=key))
    return meta, loaded, body, body_line


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _param_spec(name: str, value: object, line: int, problems: _Collector) -> ParamSpec | None:
    if not isinstance(value, dict):
        return ParamSpec(name=name, value=value)
    if set(value) == {"choices"} and isinstance(value["choices"], list) and value["choices"]:
        return ParamSpec(name=name, choices=tuple(value["choices"]))
    if {"min", "max"} <= set(value) <= {"min", "max", "step"} and all(
        _is_number(v) for v in value.values()
    ) and value.get("step", 1) > 0:
        if value["min"] > value["max"]:
            problems.add(line, EMPTY_RANGE.format(name=name, min=value["min"], max=value["max"]))
            return None
        return ParamSpec(name=name, min=value["min"], max=value["max"], step=value.get("step"))
    problems.add(line, BAD_RANGE.format(name=name, value=value))
    return None


def parse_question(text: str, path: str) -> tuple[QuestionSource | None, list[ContentError]]:
    """Parse a question file; return the question (None if unusable) and every problem found."""
    problems = _Collector(path)
    parsed = _front_matter(text, problems, QUESTION_KEYS, QUESTION_REQUIRED)
    if parsed is None:
        return None, problems.errors
    meta, loaded, body, body_line = parsed
    question = QuestionSource(path=path, key_lines=loaded.key_lines)
    line = question.line_of

    qid = meta.get("id")
    if "id" in meta:
        if isinstance(qid, str) and ID_PATTERN.match(qid):
            question.id = qid
        else:
            problems.add(line("id"), BAD_ID.format(value=qid))
    question.topic = str(meta.get("topic", "") or "")
    difficulty = meta.get("difficulty")
    if "difficulty" in meta:
        if _is_int(difficulty) and 1 <= difficulty <= 3:
            question.difficulty = difficulty
        else:
            problems.add(line("difficulty"), BAD_DIFFICULTY.format(value=difficulty))
    tags = meta.get("tags", [])
    if isinstance(tags, list) and all(isinstance(t, str | int) for t in tags):
        question.tags = [str(t) for t in tags]
    else:
        problems.add(line("tags"), BAD_TAGS.format(value=tags))
    question.scenario = str(meta.get("scenario", "") or "")
    params = meta.get("params", {}) or {}
    if isinstance(params, dict):
        specs = [_param_spec(str(name), value, line(f"params.{name}"), problems)
                 for name, value in params.items()]
        question.params = [spec for spec in specs if spec is not None]
    else:
        problems.add(line("params"), BAD_PARAMS.format(value=params))
    seed = meta.get("seed", 0)
    if seed == RANDOM_SEED or (_is_int(seed) and 0 <= seed < SEED_LIMIT):
        question.seed = seed
    else:
        problems.add(line("seed"), BAD_SEED.format(value=seed))
    shuffle = meta.get("shuffle", True)
    if isinstance(shuffle, bool):
        question.shuffle = shuffle
    else:
        problems.add(line("shuffle"), BAD_SHUFFLE.format(value=shuffle))

    _parse_body(body, body_line, question, problems)
    return question, problems.errors


def _sections(body: str, first_line: int) -> list[tuple[str, int, list[tuple[int, str]]]]:
    """Split the body at ``## `` headings outside fenced code: [(title, line, [(line, text)])]."""
    sections = [("", first_line, [])]
    in_fence = None
    for offset, text in enumerate(body.split("\n")):
        number = first_line + offset
        fence = FENCE.match(text)
        if fence:
            in_fence = None if in_fence == fence.group(1) else (in_fence or fence.group(1))
        heading = None if in_fence else HEADING.match(text)
        if heading:
            sections.append((heading.group(1).strip(), number, []))
        else:
            sections[-1][2].append((number, text))
    return sections


def _joined(lines: list[tuple[int, str]]) -> tuple[str, int]:
    """Return the text of ``lines`` stripped of blank edges, and the line it starts on."""
    kept = [(n, t) for n, t in lines]
    while kept and not kept[0][1].strip():
        kept.pop(0)
    while kept and not kept[-1][1].strip():
        kept.pop()
    return "\n".join(t for _, t in kept), (kept[0][0] if kept else 0)


def _parse_body(body: str, first_line: int, question: QuestionSource, problems: _Collector) -> None:
    stem_section, *named = _sections(body, first_line)
    question.stem, question.stem_line = _joined(stem_section[2])
    if not question.stem:
        problems.add(first_line, EMPTY_STEM)
        question.stem_line = first_line
    seen = {}
    for title, line, lines in named:
        key = title.lower()
        if key not in ("choices", "answer", "explanation"):
            problems.add(line, UNKNOWN_SECTION.format(title=title))
            continue
        seen[key] = line
        if key == "choices":
            question.choices = _parse_choices(lines, problems)
        elif key == "answer":
            question.answer = parse_answer(lines, line, problems.add)
        else:
            question.explanation, question.explanation_line = _joined(lines)
            if not question.explanation:
                problems.add(line, EMPTY_EXPLANATION)
                question.explanation_line = line
    end_line = first_line + body.count("\n")
    if "choices" in seen and "answer" in seen:
        problems.add(max(seen["choices"], seen["answer"]), CHOICES_AND_ANSWER)
    if "choices" not in seen and "answer" not in seen:
        problems.add(end_line, NO_CHOICES_SECTION)
    if "explanation" not in seen:
        problems.add(end_line, NO_EXPLANATION_SECTION)


def _parse_choices(lines: list[tuple[int, str]], problems: _Collector) -> list[ChoiceSource]:
    """Read ``- [x] text`` / ``- [ ] text`` items with indented ``feedback:``/``misconception:``."""
    drafts: list[dict] = []
    current_detail = None
    for number, text in lines:
        if not text.strip():
            if current_detail == "feedback":
                drafts[-1]["feedback"].append("")
            continue
        choice = CHOICE.match(text)
        if choice:
            if not choice.group(2).strip():
                problems.add(number, EMPTY_CHOICE)
            drafts.append({"line": number, "correct": choice.group(1) != " ",
                           "text": choice.group(2).strip(), "feedback": [], "misconception": ""})
            current_detail = None
            continue
        detail = DETAIL.match(text)
        if drafts and detail and detail.group(1) in CHOICE_DETAILS:
            current_detail = detail.group(1)
            if current_detail == "feedback":
                drafts[-1]["feedback"] = [detail.group(2)]
            else:
                drafts[-1]["misconception"] = detail.group(2).strip()
        elif drafts and text.startswith((" ", "\t")) and current_detail == "feedback":
            drafts[-1]["feedback"].append(text.strip())
        elif drafts and detail:
            problems.add(number, UNKNOWN_CHOICE_DETAIL.format(key=detail.group(1)))
        else:
            problems.add(number, BAD_CHOICE_LINE.format(text=text.strip()[:60]))
    choices = []
    for draft in drafts:
        feedback = "\n".join(draft["feedback"]).strip()
        if not feedback:
            problems.add(draft["line"], MISSING_FEEDBACK)
        choices.append(ChoiceSource(text=draft["text"], correct=draft["correct"], feedback=feedback,
                                    misconception=draft["misconception"], line=draft["line"]))
    return choices


def parse_exam(text: str, path: str) -> tuple[ExamSource | None, list[ContentError]]:
    """Parse an exam file; return the exam (None if unusable) and every problem found."""
    problems = _Collector(path)
    parsed = _front_matter(text, problems, EXAM_KEYS, EXAM_KEYS)
    if parsed is None:
        return None, problems.errors
    meta, loaded, body, _ = parsed
    exam = ExamSource(path=path, key_lines=loaded.key_lines, description=body.strip())
    line = exam.line_of
    if "id" in meta:
        if isinstance(meta["id"], str) and ID_PATTERN.match(meta["id"]):
            exam.id = meta["id"]
        else:
            problems.add(line("id"), BAD_ID.format(value=meta["id"]))
    exam.title = str(meta.get("title", "") or "").strip()
    for key, low, high in (("time_limit_minutes", 1, MAX_TIME_LIMIT), ("pass_mark", 0, 100)):
        value = meta.get(key)
        if key not in meta:
            continue
        if _is_int(value) and low <= value <= high:
            setattr(exam, key, value)
        else:
            problems.add(line(key), EXAM_BAD_NUMBER.format(key=key, min=low, max=high, value=value))
    if "sections" in meta:
        exam.sections = _exam_sections(meta["sections"], line("sections"), problems)
    return exam, problems.errors


def _exam_sections(raw: object, line: int, problems: _Collector) -> list[ExamSection]:
    if not isinstance(raw, list) or not raw:
        problems.add(line, EXAM_BAD_SECTIONS)
        return []
    sections = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not {"topics", "count"} <= set(item) <= {
            "topics", "count", "difficulty"
        }:
            problems.add(line, EXAM_BAD_SECTION.format(index=index, problem=EXAM_BAD_SECTIONS))
            continue
        topics, count, difficulty = item["topics"], item["count"], item.get("difficulty", [])
        if isinstance(topics, str):
            topics = [topics]
        if _is_int(difficulty):
            difficulty = [difficulty]
        if not (isinstance(topics, list) and topics and all(isinstance(t, str) for t in topics)):
            problems.add(line, EXAM_BAD_SECTION.format(index=index, problem="topics must be a list of slugs"))
        elif not (_is_int(count) and 1 <= count <= 100):
            problem = f"count must be 1 to 100, got {count!r}"
            problems.add(line, EXAM_BAD_SECTION.format(index=index, problem=problem))
        elif not (isinstance(difficulty, list) and all(_is_int(d) and 1 <= d <= 3 for d in difficulty)):
            problems.add(line, EXAM_BAD_SECTION.format(
                index=index, problem=f"difficulty must be a list of 1, 2 or 3, got {difficulty!r}"))
        else:
            sections.append(ExamSection(tuple(topics), count, tuple(difficulty)))
    return sections
