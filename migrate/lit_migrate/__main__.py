"""`python -m lit_migrate PATH...` (the same as the `lit-migrate` command)."""

from .cli import main

raise SystemExit(main())
