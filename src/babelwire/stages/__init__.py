"""The core pipeline stages, one module per stage."""
