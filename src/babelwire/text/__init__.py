"""Text handling shared by sources and stages: decoding bytes and cleaning strings."""
