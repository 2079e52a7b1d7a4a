"""``python -m babelwire``."""

from .cli import main

main()
