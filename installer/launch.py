"""Entry point of the frozen programs: the same `frontdesk` command as from source
(no arguments opens the counter's window)."""

import sys

from frontdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
