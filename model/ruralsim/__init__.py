"""ruralsim: an agent-based model of China's post-2020 transition from poverty alleviation to rural revitalisation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ruralsim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from .simulation.model import RuralModel  # noqa: E402

__all__ = ["RuralModel", "__version__"]
