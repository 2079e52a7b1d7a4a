"""Page views, one module per kind of page; each has a ``register(app, ctx)``."""
