"""`host_cache`: an lru_cache in eager mode, the plain function while torch.compile traces."""

import torch

from kerastorch.framework.host_cache import host_cache

calls = []


@host_cache(maxsize=4)
def _padding(size: int) -> int:
    calls.append(size)
    return size // 2


def test_caches_in_eager_mode():
    calls.clear()
    _padding.cache_clear()
    assert [_padding(6), _padding(6), _padding(8)] == [3, 3, 4]
    assert calls == [6, 8]
    assert _padding.cache_info().hits == 1


def test_traced_without_the_cache_and_without_a_warning():
    # Warnings are errors in the tests: torch.compile warns when it meets an lru_cache wrapper.
    compiled = torch.compile(lambda x: x[:, _padding(x.shape[1]):], backend="eager", fullgraph=True)
    x = torch.arange(12.0).reshape(2, 6)
    torch.testing.assert_close(compiled(x), x[:, 3:])
