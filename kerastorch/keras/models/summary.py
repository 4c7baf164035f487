"""`model.summary()`: Keras 3's table of layers, output shapes and parameter counts.

Keras 3.15 draws the table with `rich`; this module lays it out the same way without
it, so the text is byte for byte what TensorFlow 2.21 prints when no standard stream
is a terminal (pipes, files, CI, captured `print_fn`):

- the table is `line_length` wide: by default 88 columns (108 with a "Connected to"
  column, +12 with `show_trainable`), capped at the terminal width less 4
  (`shutil.get_terminal_size()`, 80 without a terminal, so 76);
- column widths come from `positions`, then rich's fixed-width columns: each cell
  gets one space of padding on both sides and the widths are reduced evenly
  (Python's `round`) until the table, borders included, is `line_length` wide;
- cell text wraps at spaces; a word longer than its cell ends in "…";
- the console width is the `COLUMNS` variable, else the size of the first of stdin,
  stdout, stderr that is a terminal, else 80: table lines longer than that are cut,
  the title and the totals wrap (a word longer than a line is split).

On a terminal Keras adds colours and bold with ANSI escapes; kerastorch prints the
same layout for that terminal's width without them. `print_fn`, when given, is
called once with the whole text (newline-terminated lines), as Keras does.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
import unicodedata

from kerastorch.keras.models.graph import inputs_of as _inputs_of
from kerastorch.keras.models.graph import keras_flatten as _flat
from kerastorch.keras.models.graph import keras_graph as _keras_graph

_BITS = {"bool": 1, "bfloat16": 16, "float16": 16, "float32": 32, "float64": 64,
         **{f"{kind}{bits}": bits for kind in ("int", "uint") for bits in (8, 16, 32, 64)}}
_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")
_WORD = re.compile(r"\s*\S+\s*")


def print_summary(model, line_length: int | None = None, positions: list | None = None, print_fn=None,
                  expand_nested: bool = False, show_trainable: bool = False,
                  layer_range: list | tuple | None = None) -> None:
    """Prints `model`'s summary table (see `Model.summary`).

    Args:
        model: a Sequential, functional or subclassed model.
        line_length: the table's width in characters.
        positions: where each column ends, as fractions of `line_length`.
        print_fn: called with the whole summary text instead of printing it.
        expand_nested: also list the layers of nested models, indented.
        show_trainable: add a column telling whether each layer is trainable.
        layer_range: the names (or regular expressions) of the first and last layers
            to list.
    """
    from kerastorch.keras.models.functional import Functional

    layers, relevant, sequential_like = model.layers, None, True
    if isinstance(model, Functional):
        layers, by_depth = _keras_graph(model)
        sequential_like = _is_sequential_like(layers, by_depth)
        if not sequential_like:  # the nodes whose inputs the "Connected to" column names
            relevant = {id(node) for nodes in by_depth.values() for node in nodes}
    header, align, default_length, column_ends = _columns(sequential_like, show_trainable, positions)
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    widths = _column_widths(column_ends, line_length)
    if len(widths) < len(header):
        raise IndexError(f"`positions` needs one entry per column ({len(header)} with these options). "
                         f"Received: positions={positions}")

    def rows_of(layer, level: int = 0) -> list:
        fields = _layer_fields(layer, "   " * level + "└ " if level else "", relevant, show_trainable)
        rows = [fields]
        if expand_nested and getattr(layer, "layers", None):
            for sub in layer.layers:
                rows.extend(rows_of(sub, level + 1))
        return rows

    first, last = _layer_bounds(layers, layer_range)
    rows = [row for layer in layers[first:last] for row in rows_of(layer)]
    width = _console_width(print_fn is None)
    lines = [*_wrap(f'Model: "{model.name}"', width, None, "fold"),
             *(_crop(line, width) for line in _table(header, align, rows, widths[:len(header)], line_length)),
             *(piece for line in _totals(model) for piece in _wrap(line, width, None, "fold"))]
    text = "".join(line + "\n" for line in lines)
    if print_fn is not None:
        print_fn(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _columns(sequential_like: bool, show_trainable: bool, positions: list | None) -> tuple:
    """(header, alignments, default line length, column end positions)."""
    if sequential_like:
        header, align, length = ["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"], 88
        positions = positions or [0.45, 0.80, 1.0]
    else:
        header, length = ["Layer (type)", "Output Shape", "Param #", "Connected to"], 108
        align = ["left", "left", "right", "left"]
        positions = positions or [0.3, 0.56, 0.74, 1.0]
    if show_trainable:
        return header + ["Trainable"], align + ["center"], length + 12, [p * 0.90 for p in positions] + [1.0]
    return header, align, length, positions


# -- the model's layers -------------------------------------------------------------
def _is_sequential_like(layers: list, by_depth: dict) -> bool:
    """Keras drops the "Connected to" column for a chain: one node per depth, one input
    per node, no layer called twice."""
    nodes = set()
    for depth_nodes in by_depth.values():
        if len(depth_nodes) > 1 or len(_inputs_of(depth_nodes[0])) > 1:
            return False
        nodes.add(id(depth_nodes[0]))
    return all(sum(id(node) in nodes for node in layer._inbound_nodes) <= 1 for layer in layers)


def _layer_fields(layer, prefix: str, relevant: set | None, show_trainable: bool) -> list:
    if not hasattr(layer, "built"):
        params = "0"
    elif not layer.built:
        params = "0 (unbuilt)"
    else:
        params = f"{layer.count_params():,}"
    fields = [f"{prefix}{layer.name} ({type(layer).__name__})", _output_shape(layer), params]
    if relevant is not None:
        fields.append(_connections(layer, relevant))
    if show_trainable:
        fields.append(("Y" if layer.trainable else "N") if getattr(layer, "weights", None) else "-")
    return fields


def _output_shape(layer) -> str:
    """The shape(s) of the layer's last symbolic call, else those it was built for."""
    from kerastorch.keras.models.functional import Functional
    from kerastorch.keras.models.sequential import Sequential

    nodes = getattr(layer, "_inbound_nodes", None) or []
    built_for = getattr(layer, "_build_shapes", None)
    if not nodes and built_for is None:
        return "?"
    if nodes:  # Keras keeps a node's outputs as a flat list
        shapes = [_shape_text(tensor.shape) for tensor in _flat(nodes[-1].outputs)]
    else:
        try:
            if isinstance(layer, (Sequential, Functional)) and layer.built:
                shapes = _map_shapes(layer.output_shape)
            else:
                shapes = _map_shapes(layer.compute_output_shape(built_for))
        except NotImplementedError:
            return "?"
    flat = _flat(shapes)
    return flat[0] if len(flat) == 1 else str(shapes).replace("'", "")


def _map_shapes(shapes):
    if isinstance(shapes, dict):
        return {key: _map_shapes(value) for key, value in shapes.items()}
    if isinstance(shapes, (list, tuple)) and not all(d is None or isinstance(d, int) for d in shapes):
        return type(shapes)(_map_shapes(value) for value in shapes)
    return _shape_text(shapes)


def _shape_text(shape) -> str:
    return f"({', '.join(str(d) for d in shape)})"


def _connections(layer, relevant: set) -> str:
    calls = []
    for node in getattr(layer, "_inbound_nodes", None) or []:
        if id(node) in relevant:
            calls.extend(f"{t._keras_history[0].name}[{t._keras_history[1]}][{t._keras_history[2]}]"
                         for t in _inputs_of(node))
    return ", ".join(calls) or "-"


def _layer_bounds(layers: list, layer_range) -> tuple:
    """(first, last + 1) indices of the layers `layer_range` names (regular expressions
    matched with `re.match`: the first match of the start, the last of the end)."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(f"layer_range must be a list or tuple of length 2. Received: layer_range = "
                         f"{layer_range} of length {len(layer_range)}")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    starts = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    ends = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not starts or not ends:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. "
                         f"Received: {layer_range}")
    if min(starts) > max(ends):
        return min(ends), max(starts) + 1
    return min(starts), max(ends) + 1


# -- parameter counts and sizes ---------------------------------------------------------
def _totals(model) -> list:
    groups = [("Trainable", model.trainable_weights), ("Non-trainable", model.non_trainable_weights)]
    optimizer = getattr(model, "optimizer", None)
    if getattr(model, "compiled", False) and optimizer is not None and getattr(optimizer, "built", False):
        groups.append(("Optimizer", optimizer.variables))
    counts = [(kind, sum(math.prod(v.shape) for v in weights), _size_in_bytes(weights))
              for kind, weights in groups]
    total = ("Total", sum(c[1] for c in counts), sum(c[2] for c in counts))
    return [f" {kind} params: {count:,} ({readable_memory_size(size)})"
            for kind, count, size in [total, *counts]]


def _size_in_bytes(weights: list) -> float:
    unique = {id(v): v for v in weights}.values()  # a variable listed twice is stored once
    bits = 0
    for v in unique:
        dtype = getattr(v.dtype, "name", v.dtype)
        if dtype not in _BITS:
            raise ValueError(f"Invalid dtype: {dtype}")
        bits += math.prod(v.shape) * _BITS[dtype]
    return bits / 8


def readable_memory_size(size: float) -> str:
    """`900.00 B`, `3.52 KB`, `1.23 MB`: a byte count in powers of 1024."""
    for unit in _UNITS:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {_UNITS[-1]}"


# -- the table (rich's layout rules, written out) ------------------------------------------
def _column_widths(positions: list, line_length: int) -> list:
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    return widths


def _fit(widths: list, line_length: int) -> list:
    """Cell widths (padding included) that make the table, borders included,
    `line_length` wide: rich shrinks fixed-width columns evenly, or grows them in
    proportion when they are too narrow."""
    room = line_length - len(widths) - 1
    cells = [min(width + 2, room) for width in widths]
    if sum(cells) > room:
        excess, left = sum(cells) - room, len(cells)
        for i, cell in enumerate(cells):
            cut = min(cell, round(excess / left))
            cells[i], excess, left = cell - cut, excess - cut, left - 1
    if sum(cells) < room:
        spare, weight = room - sum(cells), sum(cells)
        for i, cell in enumerate(cells):
            grow = math.ceil(cell * spare / weight)
            cells[i], spare, weight = cell + grow, spare - grow, weight - cell
    return cells


def _table(header: list, align: list, rows: list, widths: list, line_length: int) -> list:
    cells = _fit(widths, line_length)

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * width for width in cells) + right

    lines = [rule("┏", "━", "┳", "┓"), *_row(header, align, cells, "┃", bottom=True),
             rule("┡", "━", "╇", "┩")]
    for i, row in enumerate(rows):
        if i:
            lines.append(rule("├", "─", "┼", "┤"))
        lines.extend(_row(row, align, cells, "│"))
    lines.append(rule("└", "─", "┴", "┘"))
    return lines


def _row(texts: list, align: list, cells: list, bar: str, bottom: bool = False) -> list:
    """The lines of one table row; short cells are filled with blank lines below (above
    in the header, which rich aligns to the bottom)."""
    blocks = [[f" {_set_cell_size(line, cell - 2)} " for line in _wrap(text, cell - 2, justify, "ellipsis")]
              for text, justify, cell in zip(texts, align, cells)]
    height = max(len(block) for block in blocks)
    for block, cell in zip(blocks, cells):
        blank = [" " * cell] * (height - len(block))
        block[:] = blank + block if bottom else block + blank
    return [bar + bar.join(parts) + bar for parts in zip(*blocks)]


def _wrap(text: str, width: int, justify: str | None, overflow: str) -> list:
    """rich's `Text.wrap`: break at spaces, then justify ("left", "right", "center" or
    None) and cut long lines ("…" at the end with `overflow="ellipsis"`)."""
    lines = []
    for line in text.split("\n"):
        breaks = [0, *_breaks(line, width, fold=overflow == "fold"), len(line)]
        for piece in (line[a:b] for a, b in zip(breaks, breaks[1:])):
            if len(piece) > width:  # trailing spaces past the width go
                spaces = len(piece) - len(piece.rstrip())
                piece = piece[:len(piece) - min(spaces, len(piece) - width)]
            if justify in ("right", "center"):
                piece = _truncate(piece.rstrip(), width, overflow)
                room = width - _cell_len(piece)
                piece = " " * (room if justify == "right" else room // 2) + piece
                piece += " " * (width - _cell_len(piece))
            elif justify == "left":
                piece = _truncate(piece, width, overflow)
                piece += " " * (width - _cell_len(piece))
            lines.append(_truncate(piece, width, overflow))
    return lines


def _breaks(text: str, width: int, fold: bool) -> list:
    """Offsets where rich's `divide_line` breaks `text` to fit `width` cells."""
    breaks, used = [], 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = _cell_len(word.rstrip())
        if width - used >= length:
            used += _cell_len(word)
        elif length > width and fold:
            chunks = _chop(word, width)
            for chunk in chunks[:-1]:
                if start:
                    breaks.append(start)
                start += len(chunk)
            if start:
                breaks.append(start)
            used = _cell_len(chunks[-1])
        elif length > width or (used and start):
            if start:
                breaks.append(start)
            used = _cell_len(word)
    return breaks


def _truncate(text: str, width: int, overflow: str) -> str:
    if _cell_len(text) <= width:
        return text
    if overflow == "ellipsis":
        return _set_cell_size(text, width - 1) + "…"
    return _set_cell_size(text, width)


def _chop(word: str, width: int) -> list:
    chunks, size = [""], 0
    for char in word:
        if size + _char_width(char) > width and chunks[-1]:
            chunks.append("")
            size = 0
        chunks[-1] += char
        size += _char_width(char)
    return chunks


def _set_cell_size(text: str, width: int) -> str:
    """`text` cut or padded with spaces to `width` cells (a negative width cuts from
    the end, as rich does for one-cell characters)."""
    if width < 0:
        return text[:width]
    out, size = "", 0
    for char in text:
        if size + _char_width(char) > width:
            break
        out += char
        size += _char_width(char)
    return out + " " * (width - size)


def _crop(text: str, width: int) -> str:
    return _set_cell_size(text, width) if _cell_len(text) > width else text


def _cell_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) == "Cc":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _console_width(to_stdout: bool) -> int:
    """rich's console width: `COLUMNS`, else the first standard stream that is a
    terminal (80 for a "dumb" one Keras writes to), else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns):
        return int(columns)
    if to_stdout and sys.stdout.isatty() and os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80
