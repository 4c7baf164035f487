"""Tests for the loss functions' numerics on torch tensors: clipping, carried logits,
TF's softmax-crossentropy gradient, ignore_class, CTC dtypes, hinge labels.

Expected values are hand-derived from Keras 3.15's TF-backend formulas.
"""

import numpy as np
import pytest
import torch

from kerastorch.keras import losses as L
from kerastorch.keras.losses.wrapper import raw_loss_function

EPS = float(np.float32(1e-7))


def test_builtin_functions_have_torch_twins():
    twin = raw_loss_function(L.binary_crossentropy)
    assert twin is not L.binary_crossentropy
    out = twin(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.8, 0.4]]))
    assert type(out) is torch.Tensor
    np.testing.assert_allclose(out.numpy(), [-(np.log(0.8) + np.log(0.6)) / 2], rtol=1e-6)


def test_probabilities_are_clipped_with_the_gradient_passing_at_the_bounds():
    y_pred = torch.tensor([[0.0, EPS, 1.0, 0.5]], requires_grad=True)
    twin = raw_loss_function(L.binary_crossentropy)
    twin(torch.ones(1, 4), y_pred).sum().backward()
    # Outside the bounds no gradient; at the bound itself it passes, as TF's clip_by_value.
    grad = y_pred.grad.numpy()[0]
    assert grad[0] == 0.0 and grad[2] == 0.0
    np.testing.assert_allclose(grad[[1, 3]], [-0.25 / EPS, -0.25 / 0.5], rtol=1e-6)


def _with_logits(probabilities: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
    probabilities._keras_logits = logits
    return probabilities


def test_outputs_carrying_logits_are_computed_from_them():
    logits = torch.tensor([[30.0, -30.0, 0.3]])
    y_true = torch.tensor([[0.0, 1.0, 1.0]])
    twin = raw_loss_function(L.binary_crossentropy)
    from_logits = twin(y_true, logits, from_logits=True)
    carried = twin(y_true, _with_logits(torch.sigmoid(logits), logits))
    clipped = twin(y_true, torch.sigmoid(logits))
    assert carried.item() == pytest.approx(from_logits.item()) and carried.item() > clipped.item() + 4
    with pytest.warns(UserWarning, match="received `from_logits=True`, but the `output` argument was produced "
                                         "by a Sigmoid activation"):
        twin(y_true, _with_logits(torch.sigmoid(logits), logits), from_logits=True)


def test_softmax_crossentropy_gradient_is_tfs_for_unnormalized_labels():
    logits = torch.tensor([[0.0, 1.0]], requires_grad=True)
    labels = torch.tensor([[0.3, 0.3]])
    loss = raw_loss_function(L.categorical_crossentropy)(labels, logits, from_logits=True)
    (grad,) = torch.autograd.grad(loss.sum(), logits, create_graph=True)
    softmax = torch.softmax(logits.detach(), dim=-1)
    np.testing.assert_allclose(grad.detach().numpy(), (softmax - labels).numpy(), rtol=1e-6)
    (hessian_row,) = torch.autograd.grad(grad[0, 0], logits)  # second order: the softmax Jacobian
    p = softmax.numpy()[0]
    np.testing.assert_allclose(hessian_row.numpy()[0], [p[0] * (1 - p[0]), -p[0] * p[1]], rtol=1e-6)


def test_sparse_crossentropy_matches_the_one_hot_form():
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
    sparse = raw_loss_function(L.sparse_categorical_crossentropy)(torch.tensor([1, 2]), logits, from_logits=True)
    dense = raw_loss_function(L.categorical_crossentropy)(torch.eye(3)[[1, 2]], logits, from_logits=True)
    np.testing.assert_allclose(sparse.numpy(), dense.numpy(), rtol=1e-6)


def test_sparse_crossentropy_ignore_class_on_sequences():
    logits = torch.randn(2, 3, 4, generator=torch.Generator().manual_seed(0))
    labels = torch.tensor([[1, 0, 2], [0, 0, 3]])
    out = raw_loss_function(L.sparse_categorical_crossentropy)(labels, logits, from_logits=True, ignore_class=0)
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True], [False, False, True]])
    assert out[0, 1].item() == 0.0 and out[1, 0].item() == 0.0


@pytest.mark.parametrize(("dtype", "result"), [(torch.float32, torch.float32), (torch.float64, torch.float64),
                                               (torch.float16, torch.float32)], ids=str)
def test_ctc_dtypes(dtype, result):
    logits = torch.zeros(1, 4, 3, dtype=dtype)
    out = raw_loss_function(L.ctc)(torch.tensor([[1, 2]]), logits)
    assert out.dtype == result
    # Uniform logits: each of the 81 paths has probability 1/81; count those collapsing to (1, 2).
    paths = 0
    for seq in np.ndindex(3, 3, 3, 3):
        collapsed = [c for i, c in enumerate(seq) if c != 0 and (i == 0 or seq[i - 1] != c)]
        paths += collapsed == [1, 2]
    np.testing.assert_allclose(out.float().numpy(), [-np.log(paths / 81)], rtol=1e-5)


def test_hinge_converts_binary_labels_only():
    y_pred = torch.tensor([[0.5, -0.5]])
    hinge = raw_loss_function(L.hinge)
    np.testing.assert_allclose(hinge(torch.tensor([[1.0, 0.0]]), y_pred).numpy(), [0.5])  # 0 -> -1
    np.testing.assert_allclose(hinge(torch.tensor([[2.0, 0.0]]), y_pred).numpy(), [0.5])  # kept: 1 - 1, 1 - 0
