"""Content problems, reported as ``path:line: message``; the messages are constants tests reuse."""

from dataclasses import dataclass

FILE_TOO_LARGE = "file is too large ({size} bytes; a content file may be at most {limit} bytes)"
FILE_NOT_TEXT = "not a UTF-8 text file (is it binary?)"
FILE_EMPTY = "empty file: a question starts with front matter between two '---' lines"
NO_FRONT_MATTER = "no front matter: the file must start with a line '---'"
UNCLOSED_FRONT_MATTER = "front matter is not closed: add a line '---' after it"
YAML_ERROR = "YAML error: {problem}"
YAML_ALIAS = (
    "YAML anchors and aliases (&name, *name) are not allowed in content: write the value out in full"
)
NOT_A_MAPPING = "front matter must be a mapping of keys to values, got {kind}"
DUPLICATE_KEY = "key {key!r} is given twice"
UNKNOWN_KEY = "unknown key {key!r} (allowed: {allowed})"
MISSING_KEY = "missing required key {key!r}"
BAD_ID = "id {value!r} must be lowercase letters, digits and hyphens (e.g. conv-output-size-basic)"
DUPLICATE_ID = "id {value!r} is already used by {other}"
UNKNOWN_TOPIC = "unknown topic {value!r}; topics.yml has: {known}"
BAD_DIFFICULTY = "difficulty must be 1, 2 or 3, got {value!r}"
BAD_TAGS = "tags must be a list of words, got {value!r}"
UNKNOWN_SCENARIO = "unknown scenario {value!r}; known scenarios: {known}"
BAD_SEED = "seed must be a whole number from 0 to 4294967295 or the word 'random', got {value!r}"
BAD_SHUFFLE = "shuffle must be true or false, got {value!r}"
BAD_PARAMS = "params must be a mapping of parameter names to values or ranges, got {value!r}"
BAD_RANGE = (
    "parameter {name}: a range is {{min: a, max: b}} (optionally with step) or {{choices: [...]}}, "
    "got {value!r}"
)
EMPTY_RANGE = "parameter {name}: min {min} is greater than max {max}"
PARAM_PROBLEM = "parameter {name}: {problem}"
NO_CHOICES_SECTION = (
    "no '## Choices' section: list the choices under a line '## Choices' "
    "(or, for a typed number, give it under '## Answer')"
)
NO_EXPLANATION_SECTION = "no '## Explanation' section: explain the answer under '## Explanation'"
UNKNOWN_SECTION = (
    "unknown section {title!r}: a question has a stem, '## Choices' (or '## Answer') and '## Explanation'"
)
EMPTY_STEM = "the stem is empty: write the question before '## Choices'"
EMPTY_EXPLANATION = "the explanation is empty"
BAD_CHOICE_LINE = "expected a choice '- [x] text' or '- [ ] text', or an indented detail, got {text!r}"
UNKNOWN_CHOICE_DETAIL = "unknown choice detail {key!r} (allowed: feedback, misconception)"
EMPTY_CHOICE = "a choice needs text after '- [x]' or '- [ ]'"
TOO_FEW_CHOICES = "a question needs at least two choices, found {count}"
NO_CORRECT_CHOICE = "no correct choice: mark exactly one choice with '- [x]'"
SEVERAL_CORRECT_CHOICES = "{count} choices are marked correct (lines {lines}); mark exactly one"
MISSING_FEEDBACK = "this choice has no 'feedback:' line"
DUPLICATE_CHOICE = "this choice reads the same as the choice on line {other}: {text!r}"
UNKNOWN_MISCONCEPTION = "unknown misconception {value!r}; add it to misconceptions.yml"
MISCONCEPTION_REQUIRED = (
    "a wrong choice of a parameterised question must name its 'misconception:'"
)
MISCONCEPTION_ON_CORRECT = "the correct choice cannot name a misconception"
UNSAFE_HTML = "{what} is not allowed in content (it would be stripped): {snippet!r}"
BAD_MATH = "LaTeX does not parse: {latex!r} ({problem})"
UNKNOWN_PLACEHOLDER = "{{{{ {name} }}}}: {problem}"
BAD_FORMAT = "{{{{ {name}:{spec} }}}}: {problem}"
SEED_FAILED = "seed {seed}: the scenario failed: {problem}"
SEED_COLLISION = "seed {seed}: choices display the same text {text!r} (lines {lines})"
CHOICES_AND_ANSWER = "a question has '## Choices' or '## Answer' (a typed number), not both"
ANSWER_BAD_LINE = (
    "expected 'key: value' in '## Answer' (keys: value, tolerance, misconceptions, hints, step), got {text!r}"
)
ANSWER_UNKNOWN_KEY = "unknown answer key {key!r} (allowed: value, tolerance, misconceptions, hints, step)"
ANSWER_DUPLICATE_KEY = "answer key {key!r} is given twice"
ANSWER_NO_VALUE = "the answer has no 'value:' line: e.g. value: {{{{ results.out_h }}}}"
ANSWER_BAD_VALUE = "{what} must be a number or one placeholder such as {{{{ results.loss_before }}}}, got {text!r}"
ANSWER_NO_TOLERANCE = (
    "the answer has no 'tolerance:' line: give a percentage (tolerance: 0.5%) or an absolute amount "
    "(tolerance: 0.001)"
)
ANSWER_BAD_TOLERANCE = "tolerance must be a percentage like 0.5% or an absolute amount like 0.001, got {text!r}"
ANSWER_NEGATIVE_TOLERANCE = "tolerance must not be negative, got {text!r}"
ANSWER_BAD_MISCONCEPTION_LINE = "expected 'misconception-slug: value' under 'misconceptions:', got {text!r}"
ANSWER_DUPLICATE_MISCONCEPTION = "misconception {slug!r} is given twice"
ANSWER_BAD_HINT_LINE = "expected a hint '- text' under 'hints:', got {text!r}"
ANSWER_EMPTY_HINT = "a hint needs text after '- '"
ANSWER_UNKNOWN_STEP = "step {value!r} names no step of the scenario run (its steps: {known})"
NUMERIC_NOT_A_NUMBER = "seed {seed}: {what} is not a finite number: {value!r}"
NUMERIC_MISTAKES_COLLIDE = (
    "seed {seed}: misconceptions {first!r} ({first_value}) and {second!r} ({second_value}) are within the "
    "tolerance {tolerance} of each other, so the feedback could not say which mistake a typed number shows"
)
NUMERIC_COLLISION = (
    "seed {seed}: the answer {value} and misconception {slug!r} ({wrong}) are within the tolerance "
    "{tolerance} of each other, so a typed number could not tell them apart"
)
TOPICS_FILE_MISSING = "topics.yml is missing: list the topics with slug, title and description"
BAD_TOPIC = "each topic needs slug, title and description (and nothing else), got {value!r}"
DUPLICATE_TOPIC = "topic {value!r} is listed twice"
BAD_MISCONCEPTION = "misconception {slug!r} needs a label and a description (and nothing else)"
EXAM_BAD_NUMBER = "{key} must be a whole number from {min} to {max}, got {value!r}"
EXAM_BAD_SECTIONS = "sections must be a list of {{topics: [...], count: N}} (difficulty optional)"
EXAM_BAD_SECTION = "section {index}: {problem}"
EXAM_NOT_ENOUGH = (
    "sections ask for {wanted} questions from {topics} (difficulty {difficulty}), "
    "the bank has {available}"
)


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file; ``str()`` gives ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentInvalid(Exception):
    """The bank has problems; nothing was written."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} content problem(s)")
        self.errors = errors
