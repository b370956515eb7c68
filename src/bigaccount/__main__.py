"""``python -m bigaccount``: the command line."""

from .cli import main

raise SystemExit(main())
