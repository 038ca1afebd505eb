"""Arrays as HTML tables of numbers: small arrays in full, and the values behind a heatmap.

Each 2-D panel (see ``panels``) becomes one ``<table>`` with its indices as headers (none
for a wrapped run, whose cells name their index in the ``title``); cells show 4 significant
digits, with the exact value in the ``title``. Tinted tables colour each cell with the
heatmap's diverging scale, lighter, so the sign shows at a glance.
"""

from __future__ import annotations

from django.utils.html import escape

from . import colours
from .numbers import full, short
from .panels import Panel, PanelSet


def panel_table(panel: Panel, *, vmax: float, tinted: bool, caption: str = "",
                names: tuple[str, ...] = (), row_names: bool = False) -> str:
    """Return one panel as ``<table>`` HTML.

    ``names`` (class names) head the columns instead of 0, 1, 2 when there is one per column,
    and the rows too with ``row_names`` (a matrix over the classes).
    """
    col_heads = names if names and len(names) == panel.cols and not panel.wrapped else ()
    row_heads = names if row_names and col_heads and len(names) == panel.rows else ()
    one_axis = len(panel.shape) <= 1 and not panel.wrapped
    row_headers = not (panel.wrapped or one_axis)
    fills = colours.TABLE_FILL[colours.colour_indices(panel.values, vmax)] if tinted else None
    where = panel.index_texts() if panel.wrapped else None
    parts = ['<table class="num-table">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    if not panel.wrapped:
        parts.append("<thead><tr>" + ("<td></td>" if row_headers else ""))
        parts.extend(f'<th scope="col">{escape(col_heads[j]) if col_heads else j}</th>' for j in range(panel.cols))
        parts.append("</tr></thead>")
    parts.append("<tbody>")
    for i in range(panel.rows):
        row_head = escape(row_heads[i]) if row_heads else i
        parts.append(f'<tr><th scope="row">{row_head}</th>' if row_headers else "<tr>")
        for j in range(panel.cols):
            if panel.flat_index[i, j] < 0:
                parts.append("<td></td>")
                continue
            value = float(panel.values[i, j])
            style = f' style="background:{fills[i, j]}"' if tinted else ""
            prefix = f"{where[i, j]} = " if where is not None else ""
            parts.append(f'<td{style} title="{prefix}{full(value)}">{short(value)}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def panel_set_tables(panel_set: PanelSet, *, vmax: float, tinted: bool, names: tuple[str, ...] = (),
                     row_names: bool = False) -> str:
    """Return every panel of ``panel_set`` as a table, captioned with its index label."""
    return "".join(
        f'<div class="num-table-wrap">'
        f'{panel_table(p, vmax=vmax, tinted=tinted, caption=p.label, names=names, row_names=row_names)}</div>'
        for p in panel_set.panels
    )


def text_table(values) -> str:
    """Return a non-numeric array (strings) as a one-row table of its flattened items."""
    cells = "".join(f"<td>{escape(str(v))}</td>" for v in list(getattr(values, "flat", values)))
    return f'<table class="num-table"><tbody><tr>{cells}</tr></tbody></table>'
