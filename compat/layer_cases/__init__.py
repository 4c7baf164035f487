"""Layer parity cases, one module per layer family (`CASES`, made with `layerkit.layer_case`)."""
