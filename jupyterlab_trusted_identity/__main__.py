"""`python -m jupyterlab_trusted_identity check` is `jupyter trusted-identity check`."""

from .cli import main

if __name__ == "__main__":
    main()
