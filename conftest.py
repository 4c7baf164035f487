"""Test-session settings shared by tests/ and compat/.

The suite runs thousands of tiny ops; torch's intra-op threads only add scheduling cost
there (and stall under load on a 2-core machine), so tests use one.
"""

import torch

torch.set_num_threads(1)
