"""``python -m console.cli``: the command line without the entry point's early start."""

from console.cli import main

main()
