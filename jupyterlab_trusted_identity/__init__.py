"""Shows, in JupyterLab, whether SageMaker Studio propagates the user's IAM Identity Center
identity to the AWS sessions of the space and of every kernel."""

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only outside a proper installation
    import warnings

    warnings.warn(
        "Importing 'jupyterlab_trusted_identity' outside a proper installation.", stacklevel=2
    )
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-trusted-identity"}]


def _jupyter_server_extension_points():
    from .app import TrustedIdentity

    return [{"module": "jupyterlab_trusted_identity", "app": TrustedIdentity}]


def load_ipython_extension(ipython):
    """`%load_ext jupyterlab_trusted_identity`: registers `%trusted_identity` (magic/). Imported
    here on loading only, so importing the package stays light."""
    from .magic import load_ipython_extension as load

    load(ipython)
