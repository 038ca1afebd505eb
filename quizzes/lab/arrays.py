"""One array of a step, ready for a template: a table, a heatmap, or "same as ... above".

Arrays up to ``TABLE_MAX_ELEMENTS`` values are tables; larger ones heatmaps. A large array
whose values were already shown (a layer's input is the layer before's output; a backward
step's incoming gradient is the outgoing one of the step before) is not drawn again: it
links to where it was, which is the chain rule made visible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.utils.safestring import SafeString, mark_safe

from cnncore.trace import TABLE_MAX_ELEMENTS

from . import colours
from .heatmap import heatmap_block
from .numbers import shape_text
from .panels import cut
from .tables import panel_set_tables, text_table

ROLES = {
    "forward": {"input": "input", "output": "output"},
    "backward": {"upstream": "incoming gradient", "downstream": "outgoing gradient"},
    "update": {"before": "before", "gradient": "gradient", "velocity": "velocity", "after": "after"},
}
DEFAULT_ROLES = {"forward": "parameter", "backward": "local gradient"}


def role_of(kind: str, name: str) -> str:
    """Return what array ``name`` is in a step of ``kind`` ("" when nothing special)."""
    if kind == "backward" and name.startswith("d") and name not in ROLES["backward"]:
        return "parameter gradient"
    return ROLES.get(kind, {}).get(name, DEFAULT_ROLES.get(kind, ""))


@dataclass
class ArrayRef:
    """Where an array was first shown."""

    label: str
    anchor: str
    where: str
    shape: tuple[int, ...]


@dataclass
class ArrayView:
    """An array as the page shows it; ``display`` is "table", "heatmap" or "same".

    ``html`` is drawn when first read (a closed phase of the page never draws its arrays).
    """

    name: str
    label: str
    shape: str
    role: str
    anchor: str
    display: str
    render: Callable[[], SafeString]
    same_as: ArrayRef | None = None
    reshaped: bool = False

    @cached_property
    def html(self) -> SafeString:
        return self.render()


def is_colour_image(name: str, array: np.ndarray) -> bool:
    """Return whether ``array`` is an RGB image: named "image", (3, H, W) or (1, 3, H, W), in [0, 1]."""
    values = np.asarray(array)
    shape = values.shape[1:] if values.ndim == 4 and values.shape[0] == 1 else values.shape
    return ("image" in name and len(shape) == 3 and shape[0] == 3 and values.dtype.kind == "f"
            and values.size > 0 and float(values.min()) >= 0.0 and float(values.max()) <= 1.0)


CLASS_ARRAYS = frozenset({
    "logits", "probabilities", "dlogits", "target", "dprobabilities", "dL_dy", "dL_dz", "softmax_jacobian",
    "probabilities_before", "probabilities_after", "output_gradient", "logits_gradient", "labels",
})
"""Arrays whose last axis runs over the classes (tables name the classes instead of 0, 1, 2)."""


def class_heads(name: str, array: np.ndarray, class_names: tuple[str, ...]) -> tuple[str, ...]:
    """Return the class names that head ``array``'s columns ("" tuple when they do not apply)."""
    values = np.asarray(array)
    if not class_names or name not in CLASS_ARRAYS or values.ndim == 0:
        return ()
    if name == "labels":
        return ()
    return class_names if values.ndim and values.shape[-1] == len(class_names) else ()


def array_html(array: np.ndarray, *, label: str, values_url: str = "", name: str = "",
               class_names: tuple[str, ...] = (), class_axis: bool = False) -> SafeString:
    """Return a table (small arrays) or a heatmap block (large ones) for ``array``.

    With ``class_names`` a class array's columns are headed by the class names; class labels
    (integer indices) are shown as names.
    """
    values = np.asarray(array)
    if name == "labels" and class_names and values.dtype.kind in "iu" and values.size <= TABLE_MAX_ELEMENTS \
            and values.size and 0 <= values.min() and values.max() < len(class_names):
        return mark_safe(text_table(np.array([class_names[int(v)] for v in values.ravel()], dtype=object)))
    if values.size > TABLE_MAX_ELEMENTS:
        rows = class_names if class_axis and values.ndim == 2 and values.shape[0] == len(class_names) else ()
        return heatmap_block(values, label=label, values_url=values_url,
                             colour_image=is_colour_image(name, values), row_names=rows)
    if values.dtype.kind not in "biuf":
        return mark_safe(text_table(values))
    numeric = values.astype(float)
    heads = class_heads("logits" if class_axis else name, values, class_names)
    return mark_safe(panel_set_tables(cut(numeric), vmax=colours.scale_max(numeric), tinted=True, names=heads,
                                      row_names=name == "softmax_jacobian"))


class ArrayShelf:
    """Remember the arrays already shown, so a repeat links to where its values first were.

    A large repeat is not drawn again; a small one keeps its table and says where it was
    seen (arrays of fewer than ``SMALL_MIN`` values, or all one value, match too easily).
    """

    SMALL_MIN = 3

    def __init__(self) -> None:
        self._seen: dict[tuple, ArrayRef] = {}

    @staticmethod
    def _key(array: np.ndarray) -> tuple:
        data = np.ascontiguousarray(array)
        return data.dtype.str, data.size, hashlib.blake2b(data.tobytes(), digest_size=16).digest()

    def _remembered(self, array: np.ndarray) -> bool:
        if array.size > TABLE_MAX_ELEMENTS:
            return True
        return array.size >= self.SMALL_MIN and array.dtype.kind in "biuf" and bool(np.ptp(array) > 0)

    def find(self, array: np.ndarray) -> ArrayRef | None:
        """Return where ``array``'s values (in any shape) were shown, or None."""
        if not self._remembered(array):
            return None
        return self._seen.get(self._key(array))

    def view(self, name: str, array: np.ndarray, *, label: str, anchor: str, role: str,
             where: str, values_url: str = "", class_names: tuple[str, ...] = (),
             class_axis: bool = False) -> ArrayView:
        """Return the view of ``array`` and remember where it is shown."""
        shown = self.find(array)
        large = array.size > TABLE_MAX_ELEMENTS
        if shown is not None and large:
            return ArrayView(name, label, shape_text(array.shape), role, anchor, "same",
                             lambda: mark_safe(""), shown, reshaped=shown.shape != array.shape)
        if shown is None and self._remembered(array):
            self._seen[self._key(array)] = ArrayRef(label, anchor, where, tuple(array.shape))
        return ArrayView(name, label, shape_text(array.shape), role, anchor,
                         "heatmap" if large else "table",
                         lambda: array_html(array, label=label, values_url=values_url, name=name,
                                            class_names=class_names, class_axis=class_axis), shown,
                         reshaped=shown is not None and shown.shape != array.shape)
