"""Write docs/CLI.md from the commands' --help texts (`make docs`); a test checks it is current."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from babelwire.cli import cli

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "CLI.md"


def render() -> str:
    """The Markdown reference: the group's help, then each command's, in name order."""
    runner = CliRunner()
    parts = ["# CLI reference", "", "Generated from `--help` by `make docs`; do not edit.", ""]
    for name in [None, *sorted(cli.commands)]:
        args = ["--help"] if name is None else [name, "--help"]
        text = runner.invoke(cli, args, prog_name="babelwire", terminal_width=100).output
        parts += [f"## `babelwire{'' if name is None else ' ' + name}`", "", "```", text.rstrip(),
                  "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    OUTPUT.write_text(render(), encoding="utf-8")
    click.echo(f"wrote {OUTPUT}", err=True)
    sys.exit(0)
