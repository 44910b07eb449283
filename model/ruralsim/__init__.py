"""ruralsim: an agent-based model of China's post-2020 transition from poverty alleviation to rural revitalisation."""

import multiprocessing as _mp
import sys as _sys
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ruralsim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

# Importing Mesa 3.3 sets the process-wide multiprocessing start method to "spawn" (mesa.batchrunner
# does it on import). Importing ruralsim must change no global state, so the method in force before is
# restored, unless Mesa was already imported by the user (then the change is theirs, not ours).
_mesa_before = "mesa.batchrunner" in _sys.modules
_start_method = _mp.get_start_method(allow_none=True)

from .model import RuralModel  # noqa: E402

if not _mesa_before:
    _mp.set_start_method(_start_method, force=True)
del _mesa_before, _start_method

__all__ = ["RuralModel", "__version__"]
