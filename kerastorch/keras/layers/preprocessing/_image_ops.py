"""TensorFlow's image kernels on torch tensors (NHWC), written to match TF numerically.

- `resize`: `tf.image.resize`: half-pixel centers for bilinear, nearest and bicubic (Keys
  cubic, a = -0.5, with TF's 1024-entry coefficient table and its renormalized border
  taps: torch's bicubic uses a = -0.75 and clamps instead), TF's box filter for `area`,
  and TF's ScaleAndTranslate filters for `antialias=True` and the Lanczos kernels.
- `crop_to_aspect` / `pad_to_aspect`: the boxes Keras's `resize` cuts or pads first.
- `affine_transform`: `ImageProjectiveTransformV3`, each output pixel read at its
  projected input location with TF's fill modes and nearest or bilinear sampling.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from kerastorch.framework.host_cache import host_cache

_TABLE = 1024  # TF's bicubic coefficient table resolution


def _scale(in_size: int, out_size: int) -> float:
    # TF computes scales in float32 (`static_cast<float>(in) / out`).
    return float(np.float32(in_size) / np.float32(out_size))


def resize(images: torch.Tensor, height: int, width: int, interpolation: str,
           antialias: bool = False) -> torch.Tensor:
    """Resizes NHWC `images`; float32 results except for `nearest`, which keeps the dtype.

    `antialias` (bilinear, bicubic) and the Lanczos methods go through TF's
    `ScaleAndTranslate` filters; it changes nothing for `nearest` and `area`, as in TF.
    """
    if interpolation in _KERNELS and (antialias or interpolation.startswith("lanczos")):
        floats = images if images.dtype in (torch.float32, torch.float64) else images.float()
        wx = _span_weights(images.shape[2], width, interpolation, antialias).to(floats.device, floats.dtype)
        wy = _span_weights(images.shape[1], height, interpolation, antialias).to(floats.device, floats.dtype)
        columns = torch.einsum("pw,nhwc->nhpc", wx, floats)
        return torch.einsum("oh,nhpc->nopc", wy, columns).to(torch.float32)
    if interpolation == "nearest":
        rows = _nearest_index(images.shape[1], height, images.device)
        cols = _nearest_index(images.shape[2], width, images.device)
        return images.index_select(1, rows).index_select(2, cols)
    floats = images if images.dtype in (torch.float32, torch.float64) else images.float()
    if interpolation == "bilinear":
        out = F.interpolate(floats.permute(0, 3, 1, 2), size=(height, width), mode="bilinear",
                            align_corners=False)
        return out.permute(0, 2, 3, 1).to(torch.float32)
    if interpolation == "bicubic":
        out = _cubic_axis(floats, 1, height)
        return _cubic_axis(out, 2, width).to(torch.float32)
    if interpolation == "area":
        wy = _area_weights(images.shape[1], height).to(floats.device, floats.dtype)
        wx = _area_weights(images.shape[2], width).to(floats.device, floats.dtype)
        norm = 1.0 / (_scale(images.shape[1], height) * _scale(images.shape[2], width))
        return (torch.einsum("oh,nhwc,pw->nopc", wy, floats, wx) * norm).to(torch.float32)
    raise ValueError(f"Unknown resize interpolation {interpolation!r}.")


def _lanczos(radius: int):
    def kernel(x: float) -> float:
        x = abs(x)
        if x > radius:
            return 0.0
        if x <= 1e-3:  # the limit of sin(x) / x at 0
            return 1.0
        pi = float(np.float32(3.14159265359))
        return radius * np.sin(pi * x) * np.sin(pi * x / radius) / (pi * pi * x * x)

    return kernel, radius


def _triangle(x: float) -> float:
    x = abs(x)
    return 1.0 - x if x < 1.0 else 0.0


def _keys_cubic(x: float) -> float:
    x = abs(x)
    if x >= 2.0:
        return 0.0
    if x >= 1.0:
        return ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return ((1.5 * x - 2.5) * x) * x + 1.0


# TF's ScaleAndTranslate kernels, by Keras interpolation name: (function, radius).
_KERNELS = {"bilinear": (_triangle, 1), "bicubic": (_keys_cubic, 2), "lanczos3": _lanczos(3),
            "lanczos5": _lanczos(5)}


@host_cache(maxsize=64)
def _span_weights(in_size: int, out_size: int, interpolation: str, antialias: bool) -> torch.Tensor:
    """The `(out, in)` filter weights of TF's ScaleAndTranslate (no translation) along one axis."""
    kernel, radius = _KERNELS[interpolation]
    f32 = np.float32
    inv_scale = f32(1) / (f32(out_size) / f32(in_size))
    kernel_scale = max(inv_scale, f32(1)) if antialias else f32(1)
    weights = np.zeros((out_size, in_size), np.float32)
    for o in range(out_size):
        sample = (f32(o) + f32(0.5)) * inv_scale
        if sample < 0 or sample > in_size:
            continue
        start = int(np.ceil(sample - f32(radius) * kernel_scale - f32(0.5)))
        end = int(np.floor(sample + f32(radius) * kernel_scale - f32(0.5)))
        start, end = min(max(start, 0), in_size - 1), min(max(end, 0), in_size - 1) + 1
        taps = np.array([kernel(float((f32(i) + f32(0.5) - sample) * (f32(1) / kernel_scale)))
                         for i in range(start, end)], np.float32)
        total = taps.sum(dtype=np.float32)
        if abs(total) >= 1000.0 * np.finfo(np.float32).tiny:
            taps = taps * (f32(1) / total)
        weights[o, start:end] = taps
    return torch.from_numpy(weights)


def _nearest_index(in_size: int, out_size: int, device) -> torch.Tensor:
    scale = torch.tensor(_scale(in_size, out_size), dtype=torch.float32)
    pos = (torch.arange(out_size, dtype=torch.float32) + 0.5) * scale
    return pos.floor().long().clamp(0, in_size - 1).to(device)


@host_cache(maxsize=2)
def _coefficients() -> np.ndarray:
    """TF's Keys-cubic table: float32 entries computed in double, as `InitCoeffsTable` does."""
    a = -0.5
    table = np.zeros((_TABLE + 1, 2), np.float32)
    for i in range(_TABLE + 1):
        x = float(np.float32(i * 1.0 / _TABLE))
        table[i, 0] = ((a + 2) * x - (a + 3)) * x * x + 1
        x = float(np.float32(x + 1.0))
        table[i, 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return table


@host_cache(maxsize=64)
def _cubic_taps(in_size: int, out_size: int) -> tuple:
    """(indices, weights), each `(out_size, 4)`, of TF's half-pixel Keys-cubic resize."""
    table = _coefficients()
    scale = np.float32(_scale(in_size, out_size))
    loc = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * scale - np.float32(0.5)
    base = np.floor(loc).astype(np.int64)
    offset = np.rint((loc - base.astype(np.float32)) * np.float32(_TABLE)).astype(np.int64)
    wanted = base[:, None] + np.arange(-1, 3)
    index = np.clip(wanted, 0, in_size - 1)
    weights = np.stack([table[offset, 1], table[offset, 0], table[_TABLE - offset, 0],
                        table[_TABLE - offset, 1]], axis=1)
    weights = np.where(index == wanted, weights, np.float32(0))
    total = weights.sum(axis=1, dtype=np.float32, keepdims=True)
    weights = np.where(np.abs(total) >= 1000.0 * np.finfo(np.float32).tiny, weights / total, weights)
    return torch.from_numpy(index), torch.from_numpy(weights.astype(np.float32))


def _cubic_axis(x: torch.Tensor, axis: int, out_size: int) -> torch.Tensor:
    index, weights = _cubic_taps(x.shape[axis], out_size)
    index, weights = index.to(x.device), weights.to(x.device, x.dtype)
    shape = [1] * x.dim()
    shape[axis] = out_size
    out = None
    for k in range(4):
        term = x.index_select(axis, index[:, k]) * weights[:, k].reshape(shape)
        out = term if out is None else out + term
    return out


@host_cache(maxsize=64)
def _area_weights(in_size: int, out_size: int) -> torch.Tensor:
    """The `(out, in)` overlap of each output cell with each input cell (TF's ResizeArea)."""
    scale = np.float32(_scale(in_size, out_size))
    weights = np.zeros((out_size, in_size), np.float32)
    for o in range(out_size):
        lo, hi = np.float32(o) * scale, np.float32(o + 1) * scale
        for i in range(int(np.floor(lo)), int(np.ceil(hi))):
            if i < lo:
                part = scale if i + 1 > hi else np.float32(i + 1) - lo
            else:
                part = hi - np.float32(i) if i + 1 > hi else np.float32(1.0)
            weights[o, min(i, in_size - 1)] += part
    return torch.from_numpy(weights)


def crop_to_aspect(images: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """The centered crop of NHWC `images` with the aspect ratio of `(height, width)`."""
    in_h, in_w = images.shape[1], images.shape[2]
    crop_h = max(min(in_h, int(np.float32(in_w * height) / np.float32(width))), 1)
    crop_w = max(min(in_w, int(np.float32(in_h * width) / np.float32(height))), 1)
    top = int(np.float32(in_h - crop_h) / np.float32(2))
    left = int(np.float32(in_w - crop_w) / np.float32(2))
    return images[:, top:top + crop_h, left:left + crop_w, :]


def pad_to_aspect(images: torch.Tensor, height: int, width: int, fill_value: float) -> torch.Tensor:
    """NHWC `images` padded evenly with `fill_value` to the aspect ratio of `(height, width)`."""
    in_h, in_w = images.shape[1], images.shape[2]
    pad_h = max(in_h, int(np.float32(in_w * height) / np.float32(width)))
    pad_w = max(in_w, int(np.float32(in_h * width) / np.float32(height)))
    top = int(np.float32(pad_h - in_h) / np.float32(2))
    left = int(np.float32(pad_w - in_w) / np.float32(2))
    # Keras pads the same amount on both sides (its padded size can differ from pad_h/pad_w).
    return F.pad(images, (0, 0, left, left, top, top), value=float(fill_value))


def affine_transform(images: torch.Tensor, transform: torch.Tensor, interpolation: str, fill_mode: str,
                     fill_value: float) -> torch.Tensor:
    """TF's projective transform of NHWC `images` by `transform` rows `(a0, a1, a2, b0, b1, b2, c0, c1)`.

    Output pixel `(x, y)` reads the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`,
    `k = c0 x + c1 y + 1`. The gradient is TF's: the upstream gradient transformed by the
    inverse matrix (filled with 0), which is not the exact adjoint of the sampling.
    """
    return _ProjectiveTransform.apply(images, transform.to(torch.float32), interpolation, fill_mode, fill_value)


class _ProjectiveTransform(torch.autograd.Function):
    @staticmethod
    def forward(ctx, images, transform, interpolation, fill_mode, fill_value):
        ctx.save_for_backward(transform)
        ctx.modes = (interpolation, fill_mode)
        return _project(images, transform, interpolation, fill_mode, fill_value)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad):
        (transform,) = ctx.saved_tensors
        n = transform.shape[0]
        matrices = torch.cat([transform, torch.ones((n, 1), dtype=transform.dtype, device=transform.device)], 1)
        inverse = torch.linalg.inv(matrices.reshape(n, 3, 3)).reshape(n, 9)
        inverse = (inverse / inverse[:, 8:9])[:, :8]
        return _project(grad, inverse, *ctx.modes, 0.0), None, None, None, None


def _project(images: torch.Tensor, transform: torch.Tensor, interpolation: str, fill_mode: str,
             fill_value: float) -> torch.Tensor:
    if images.dtype in (torch.float16, torch.bfloat16):
        return _project(images.float(), transform, interpolation, fill_mode, fill_value).to(images.dtype)
    n, h, w, _ = images.shape
    t = transform.reshape(n, 8, 1, 1).unbind(1)
    ys = torch.arange(h, dtype=torch.float32, device=images.device).reshape(1, h, 1)
    xs = torch.arange(w, dtype=torch.float32, device=images.device).reshape(1, 1, w)
    projective = bool((transform[:, 6:] != 0).any())
    fill = torch.tensor(fill_value, dtype=images.dtype, device=images.device)
    if interpolation == "bilinear" and h > 1 and w > 1:
        if fill_mode == "constant" and not projective:
            # Pixel coordinates straight to grid_sample's [-1, 1] (the maps are affine).
            sx, sy = 2.0 / (w - 1), 2.0 / (h - 1)
            grid = torch.stack([(t[0] * sx) * xs + (t[2] * sx - 1.0) + (t[1] * sx) * ys,
                                (t[3] * sy) * xs + (t[5] * sy - 1.0) + (t[4] * sy) * ys], dim=-1)
            return _sample_bilinear(images, grid, fill_value)
    x, y, k = _coordinates(t, xs, ys, projective)
    x, y = _map_coordinates(x, w, fill_mode), _map_coordinates(y, h, fill_mode)
    if interpolation == "bilinear" and h > 1 and w > 1:
        out = _sample_bilinear(images, torch.stack([x * (2.0 / (w - 1)) - 1.0, y * (2.0 / (h - 1)) - 1.0], -1),
                               fill_value)
    else:
        out = _gather(images, x, y, interpolation, fill)
    if projective:
        # TF fills the pixels whose projection is at infinity.
        out = torch.where((k != 0).unsqueeze(-1), out, fill)
    return out


def _coordinates(t: tuple, xs: torch.Tensor, ys: torch.Tensor, projective: bool) -> tuple:
    """The input location `(x, y)` each output pixel reads, and the projective divisor `k`."""
    x = t[0] * xs + t[2] + t[1] * ys
    y = t[3] * xs + t[5] + t[4] * ys
    if not projective:
        return x, y, None
    k = t[6] * xs + t[7] * ys + 1.0
    return x / k, y / k, k


def _sample_bilinear(images: torch.Tensor, grid: torch.Tensor, fill_value: float) -> torch.Tensor:
    """TF's bilinear read with out-of-image neighbours worth `fill_value`, via torch's `grid_sample`.

    `grid` holds the read locations scaled to [-1, 1] (`align_corners=True`); `grid_sample`
    reads outside neighbours as 0, so `fill + sample(images - fill)` gives TF's
    `sum(w * (inside ? v : fill))` (the four weights sum to 1).
    """
    shifted = images if fill_value == 0 else images - fill_value
    out = F.grid_sample(shifted.permute(0, 3, 1, 2), grid.to(images.dtype), mode="bilinear", padding_mode="zeros",
                        align_corners=True).permute(0, 2, 3, 1)
    return out if fill_value == 0 else out + fill_value


def _gather(images: torch.Tensor, x: torch.Tensor, y: torch.Tensor, interpolation: str,
            fill: torch.Tensor) -> torch.Tensor:
    """TF's nearest or bilinear reads, one `index_select` per neighbour."""
    n, h, w, c = images.shape
    flat = images.reshape(n * h * w, c)
    base = torch.arange(n, device=images.device).reshape(n, 1, 1) * (h * w)

    def read(yi, xi):
        inside = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
        index = base + yi.clamp(0, h - 1) * w + xi.clamp(0, w - 1)
        values = flat.index_select(0, index.reshape(-1)).reshape(n, h, w, c)
        return torch.where(inside.unsqueeze(-1), values, fill)

    if interpolation == "nearest":
        return read(_round_half_away(y).long(), _round_half_away(x).long())
    y0, x0 = y.floor(), x.floor()
    y1, x1 = y0 + 1, x0 + 1
    y0i, x0i, y1i, x1i = y0.long(), x0.long(), y1.long(), x1.long()
    wx0, wx1 = (x1 - x).unsqueeze(-1).to(images.dtype), (x - x0).unsqueeze(-1).to(images.dtype)
    wy0, wy1 = (y1 - y).unsqueeze(-1).to(images.dtype), (y - y0).unsqueeze(-1).to(images.dtype)
    top = wx0 * read(y0i, x0i) + wx1 * read(y0i, x1i)
    bottom = wx0 * read(y1i, x0i) + wx1 * read(y1i, x1i)
    return wy0 * top + wy1 * bottom


def _round_half_away(v: torch.Tensor) -> torch.Tensor:
    return torch.sign(v) * torch.floor(v.abs() + 0.5)


def _map_coordinates(coord: torch.Tensor, size: int, fill_mode: str) -> torch.Tensor:
    """TF's `MapCoordinate`: out-of-image coordinates folded back per `fill_mode`."""
    if fill_mode == "constant":
        return coord
    if size <= 1:
        return torch.zeros_like(coord)
    if fill_mode == "reflect":
        # TF's two branches (below 0, past the end) are one fold of period 2 * size.
        span = 2 * size
        coord = torch.remainder(coord, span)
        coord = torch.where(coord >= size, span - 1 - coord, coord)
    elif fill_mode == "wrap":
        # TF's wrap steps by `size` but counts the steps with `size - 1`.
        period = size - 1
        low = coord + size * (torch.trunc(-coord / period) + 1)
        high = coord - size * torch.trunc(coord / period)
        coord = torch.where(coord < 0, low, torch.where(coord > size - 1, high, coord))
    return coord.clamp(0.0, size - 1.0)
