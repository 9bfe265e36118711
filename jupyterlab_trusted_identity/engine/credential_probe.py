"""Child-process entry point: prints, as one JSON line on stdout, the credentials botocore's
chain yields in this process's environment (a kernel's). Read only by the parent over a pipe."""

import json
import sys

from .credentials import resolve_current_environment

if __name__ == "__main__":
    sys.stdout.write(json.dumps(resolve_current_environment()) + "\n")
    sys.stdout.flush()
