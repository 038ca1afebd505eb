"""A ``Trace`` as template-ready structures: phases of steps, key results, mistakes, charts.

``present(trace)`` groups the steps, in the trace's order, into phases: runs of forward,
loss, backward or update steps, and notes. Three or more notes in a row that hold only
scalars of the same names (a layer table, one row per epoch) become one table. Arrays are
tables, heatmaps or links to where their values were first shown (see ``arrays``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.utils.safestring import SafeString

from cnncore.trace import TABLE_MAX_ELEMENTS, Step, Trace

from .arithmetic import ConvArithmetic, conv_arithmetic, is_conv_window
from .arrays import ArrayRef, ArrayShelf, ArrayView, array_html, role_of
from .charts import ChartView, charts
from .numbers import exact, full, value_text

PHASES = {
    "forward": ("Forward pass", "Each layer turns its input into an output; the last output "
                "is the network's prediction."),
    "loss": ("Loss", "The loss compares the prediction with the true answer as one number to "
             "make smaller, and gives the first gradient of the backward pass."),
    "backward": ("Backward pass", "From the loss back to the input, each layer takes the gradient "
                 "of its output (incoming), multiplies it by its local derivatives and passes the "
                 "gradient of its input on (outgoing); layers with weights also get the gradient "
                 "of each weight. This is the chain rule."),
    "update": ("Weight update", "Each weight moves against its gradient, scaled by the learning "
               "rate."),
}
ValuesUrl = Callable[[int, str], str]
"""``values_url(step index, array name)``: where the values table of a large array loads from."""

NOTE_TABLE_MIN = 3
"""This many notes in a row with only scalars of the same names become one table."""


@dataclass
class ScalarView:
    name: str
    label: str
    text: str
    exact: str


@dataclass
class UpdateExample:
    """One element of an update, worked: after = before - lr * (velocity or gradient)."""

    index: str
    before: str
    gradient: str
    velocity: str
    learning_rate: str
    momentum: str
    after: str


NUMBERED = re.compile(r"(?:(?<=: )|(?<=\. ))(?=\d{1,2}\. )")


def numbered_items(text: str) -> tuple[str, list[str]]:
    """Return ``(lead, items)`` of a text that numbers its steps "1. ... 2. ..." (no items otherwise)."""
    parts = NUMBERED.split(text)
    items = [re.sub(r"^\d{1,2}\. ", "", part).strip() for part in parts[1:]]
    numbers = [int(re.match(r"\d+", part)[0]) for part in parts[1:]]
    if len(items) < 2 or numbers != list(range(1, len(items) + 1)):
        return text, []
    return parts[0].strip(), items


@dataclass
class StepView:
    index: int
    kind: str
    title: str
    layer: str
    explanation: str
    anchor: str
    arrays: list[ArrayView] = field(default_factory=list)
    scalars: list[ScalarView] = field(default_factory=list)
    update: UpdateExample | None = None
    arithmetic: ConvArithmetic | None = None

    @property
    def explanation_parts(self) -> tuple[str, list[str]]:
        """Return the explanation as a lead and numbered items (a chain rule, step by step)."""
        return numbered_items(self.explanation)


@dataclass
class NoteRow:
    title: str
    anchor: str
    cells: list[ScalarView | None]
    explanation: str


@dataclass
class NoteTable:
    columns: list[str]
    rows: list[NoteRow]


@dataclass
class PhaseView:
    kind: str
    title: str
    intro: str
    anchor: str
    steps: list[StepView] = field(default_factory=list)
    table: NoteTable | None = None
    open: bool = False
    """Shown open: the phase the student came for (``?phase=``), or a light note."""
    loaded: bool = True
    """Whether its body is in the page (a closed heavy phase loads when opened)."""
    first: int = 0
    last: int = 0
    """The step indices it holds (an anchor ``#step-N...`` lives in the phase holding N)."""

    @property
    def outline(self) -> str:
        """Return one line on what the phase holds, e.g. "conv1 -> relu1 -> pool1"."""
        layers = [s.layer for s in self.steps if s.layer]
        if layers:
            return " → ".join(dict.fromkeys(layers))
        return f"{len(self.steps)} step{'s' if len(self.steps) != 1 else ''}"


@dataclass
class ResultView:
    name: str
    description: str
    text: str
    exact: str
    html: SafeString | None = None
    ref: ArrayRef | None = None


@dataclass
class MistakeView:
    name: str
    description: str
    text: str
    gives_right_value: bool


@dataclass
class MistakeGroup:
    result: str
    description: str
    right: str
    mistakes: list[MistakeView]


@dataclass
class SummaryItem:
    """One number that changed in the run: before -> after, with how."""

    label: str
    before: str
    after: str
    how: str = ""
    exact_before: str = ""
    exact_after: str = ""


@dataclass
class TraceView:
    phases: list[PhaseView]
    results: list[ResultView]
    mistakes: list[MistakeGroup]
    charts: list[ChartView]
    contents: list[tuple[str, str]]
    summary: list[SummaryItem] = field(default_factory=list)


def scalar_view(step: Step, name: str, value) -> ScalarView:
    """Return a step's scalar as label and text (6 digits) with its exact value."""
    return ScalarView(name, step.label(name), value_text(value),
                      full(value) if isinstance(value, float) else value_text(value))


def update_example(step: Step) -> UpdateExample | None:
    """Return the worked update of the element with the largest gradient, if the step has one."""
    arrays = step.arrays
    if not all(n in arrays for n in ("before", "gradient", "after")) or arrays["gradient"].size == 0:
        return None
    gradient = np.asarray(arrays["gradient"], dtype=float)
    flat = int(np.argmax(np.abs(gradient)))
    where = np.unravel_index(flat, gradient.shape)

    def pick(name: str) -> str:
        return exact(float(np.asarray(arrays[name]).ravel()[flat]))

    def factor(name: str) -> str:  # a negative factor in a product gets brackets
        text = pick(name)
        return f"({text})" if text.startswith("-") else text

    momentum = float(step.scalars.get("momentum", 0.0) or 0.0)
    return UpdateExample(
        index="[" + ", ".join(str(int(i)) for i in where) + "]",
        before=pick("before"),
        gradient=factor("gradient"),
        velocity=factor("velocity") if "velocity" in arrays else "",
        learning_rate=exact(step.scalars.get("learning_rate", 0.0)),
        momentum=exact(momentum) if momentum else "",
        after=pick("after"),
    )


def step_view(step: Step, trace: Trace, shelf: ArrayShelf, values_url: ValuesUrl | None = None) -> StepView:
    """Return one step with its arrays (deduplicated through ``shelf``) and scalars."""
    anchor = f"step-{step.index}"
    view = StepView(step.index, step.kind, step.title, step.layer, step.explanation, anchor)
    if is_conv_window(step):
        view.arithmetic = conv_arithmetic(step, trace)
    last_layer = next((s.layer for s in reversed(trace.steps) if s.kind == "forward"), "")
    for name, array in step.arrays.items():
        # the last layer's output (the logits) and its incoming gradient run over the classes too
        class_side = step.layer == last_layer and (step.kind, name) in (
            ("forward", "output"), ("forward", "weight"), ("forward", "bias"), ("backward", "upstream"),
            ("backward", "dweight"), ("backward", "dbias"), ("update", "before"),
            ("update", "gradient"), ("update", "after"))
        view.arrays.append(shelf.view(name, array, label=step.label(name), anchor=f"{anchor}-{name}",
                                      role=role_of(step.kind, name), where=step.title,
                                      values_url=values_url(step.index, name) if values_url else "",
                                      class_names=trace.class_names, class_axis=class_side))
    hidden = {"momentum"} if not step.scalars.get("momentum") else set()
    if view.arithmetic is not None:
        hidden |= {"sum_of_products", "bias", "value"}
    view.scalars = [scalar_view(step, n, v) for n, v in step.scalars.items() if n not in hidden]
    if step.kind == "update":
        view.update = update_example(step)
    return view


def _note_run_length(steps: list[Step], start: int) -> int:
    """Return how many notes from ``start`` hold only scalars named like the first one's."""
    first = steps[start]
    if first.kind != "note" or first.arrays or not first.scalars:
        return 0
    keys = set(first.scalars)
    length = 0
    for step in steps[start:]:
        if step.kind != "note" or step.arrays or not step.scalars or not set(step.scalars) <= keys:
            break
        length += 1
    return length


def note_table(steps: list[Step]) -> NoteTable:
    """Return notes holding only scalars as one table: a row per note, a column per scalar."""
    names = list(steps[0].scalars)
    return NoteTable(
        columns=[steps[0].label(n) for n in names],
        rows=[NoteRow(s.title, f"step-{s.index}",
                      [scalar_view(s, n, s.scalars[n]) if n in s.scalars else None for n in names],
                      s.explanation) for s in steps],
    )


def phases(trace: Trace, shelf: ArrayShelf, values_url: ValuesUrl | None = None) -> list[PhaseView]:
    """Return the trace's steps grouped into phases, in order."""
    result: list[PhaseView] = []
    steps, i = trace.steps, 0
    while i < len(steps):
        step = steps[i]
        run = _note_run_length(steps, i)
        if run >= NOTE_TABLE_MIN:
            first, last = (steps[k].title.split(":")[0] for k in (i, i + run - 1))
            result.append(PhaseView("notes", f"{first} to {last}", "", f"notes-{step.index}",
                                    table=note_table(steps[i:i + run]), first=i, last=i + run - 1))
            i += run
            continue
        if step.kind == "note":
            result.append(PhaseView("note", step.title, "", f"step-{step.index}",
                                    [step_view(step, trace, shelf, values_url)], first=i, last=i))
            i += 1
            continue
        title, intro = PHASES[step.kind]
        phase = PhaseView(step.kind, title, intro, f"phase-{step.index}", first=i)
        while i < len(steps) and steps[i].kind == step.kind:
            phase.steps.append(step_view(steps[i], trace, shelf, values_url))
            i += 1
        phase.last = i - 1
        result.append(phase)
    return result


def result_views(trace: Trace, shelf: ArrayShelf) -> list[ResultView]:
    """Return the key results; small arrays as tables, large ones as a link to their heatmap."""
    views = []
    for name, result in trace.results.items():
        value = result.value
        view = ResultView(name, result.description, value_text(value),
                          full(value) if isinstance(value, float) else value_text(value))
        if isinstance(value, np.ndarray):
            view.ref = shelf.find(value) if value.size > TABLE_MAX_ELEMENTS else None
            if view.ref is None:
                view.html = array_html(value, label=result.description, name=name, class_names=trace.class_names)
        views.append(view)
    return views


def mistake_groups(trace: Trace) -> list[MistakeGroup]:
    """Return, per result, the wrong values classic mistakes give (flagging any that match)."""
    groups = []
    for result_name, wrongs in trace.misconceptions.items():
        result = trace.results[result_name]
        right = value_text(result.value)
        groups.append(MistakeGroup(
            result_name, result.description, right,
            [MistakeView(m.name, m.description, value_text(m.value), value_text(m.value) == right)
             for m in wrongs.values()],
        ))
    return groups


SUMMARY_PAIRS = (
    # (label, before result, after result, gradient result, name result)
    ("loss, one iteration", "loss_before", "loss_after", "", ""),
    ("probability of the true label", "target_probability_before", "target_probability_after", "", ""),
    ("", "weight_before", "updated_weight", "weight_gradient", "weight_name"),
    ("", "conv_weight_before", "conv_updated_weight", "conv_weight_gradient", "conv_weight_name"),
    ("loss", "initial_loss", "final_loss", "", ""),
    ("accuracy", "initial_accuracy", "final_accuracy", "", ""),
)
"""Results that say what changed in a run, shown first (those a run has)."""
HEAVY_PHASE_CELLS = 2 * TABLE_MAX_ELEMENTS
"""A closed phase whose arrays hold more values than this loads its body when opened."""


def summary_items(trace: Trace) -> list[SummaryItem]:
    """Return what changed in the run: each ``SUMMARY_PAIRS`` entry the trace has."""
    results = trace.results
    items = []
    for label, before, after, gradient, name in SUMMARY_PAIRS:
        if before not in results or after not in results:
            continue
        b, a = results[before].value, results[after].value
        how = ""
        if gradient and gradient in results:
            lr = results["learning_rate"].value if "learning_rate" in results else None
            g = results[gradient].value
            how = f"gradient {value_text(g)}" + (f", w − {value_text(lr)} × gradient" if lr is not None else "")
        elif isinstance(a, float) and isinstance(b, float):
            how = "lower" if a < b else "higher" if a > b else "unchanged"
        items.append(SummaryItem(results[name].value if name in results else label, value_text(b),
                                 value_text(a), how, exact(b) if isinstance(b, float) else "",
                                 exact(a) if isinstance(a, float) else ""))
    curve = results["loss_curve"].value if "loss_curve" in results else None
    if curve is not None and len(curve) > 2:
        first, last = float(curve[0]), float(curve[-1])
        how = "lower" if last < first else "higher: the steps overshoot" if last > first else "unchanged"
        items.append(SummaryItem(f"loss on the batch, {len(curve) - 1} iterations", value_text(first),
                                 value_text(last), how, exact(first), exact(last)))
    return items


def phase_cells(phase: PhaseView, trace: Trace) -> int:
    """Return how many array values the phase's steps hold."""
    return sum(a.size for step in trace.steps[phase.first:phase.last + 1] for a in step.arrays.values())


def choose_open(views: list[PhaseView], trace: Trace, wanted: str) -> None:
    """Mark the phase the student asked for (a kind or an anchor) open; defer closed heavy ones."""
    for phase in views:
        asked = wanted in (phase.kind, phase.anchor) or (wanted == "all")
        heavy = phase_cells(phase, trace) > HEAVY_PHASE_CELLS
        light_note = phase.kind in ("note", "notes") and not heavy
        phase.open = asked or light_note
        phase.loaded = phase.open or not heavy


def present(trace: Trace, *, values_url: ValuesUrl | None = None, open_phase: str = "",
            only: str = "") -> TraceView:
    """Return everything the lab page shows of ``trace``.

    ``open_phase`` (a phase kind such as "backward", an anchor, or "all") is shown open; other
    heavy phases are closed and not rendered (they load when opened). ``only`` (an anchor)
    presents that phase alone, loaded.
    """
    shelf = ArrayShelf()
    phase_views = phases(trace, shelf, values_url)
    choose_open(phase_views, trace, open_phase)
    if only:
        phase_views = [p for p in phase_views if p.anchor == only]
        for phase in phase_views:
            phase.open = phase.loaded = True
    view = TraceView(phase_views, result_views(trace, shelf), mistake_groups(trace), charts(trace), [],
                     summary_items(trace))
    view.contents = [("lab-summary", "Summary")]
    if view.charts:
        view.contents.append(("lab-curves", "Curves"))
    view.contents += [(p.anchor, p.title) for p in phase_views if p.kind in PHASES]
    view.contents.append(("lab-key-results", "Key results"))
    if view.mistakes:
        view.contents.append(("lab-mistakes", "Common mistakes"))
    return view
