"""Build hook: ship the top-level ``scenarios/`` folder inside the wheel as ``ruralsim/scenarios``.

``scenarios/`` stays the one copy users read and edit; a wheel (``pip install .``) gets a copy so that
``RuralModel("baseline")`` and ``extends = "baseline.toml"`` work outside the checkout. An editable
install (``pip install -e .``) copies nothing: the package finds the folder beside it
(:func:`ruralsim.config.shipped_scenario_dir`). Everything else is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithScenarios(build_py):
    """build_py that also copies ``scenarios/*.toml`` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "ruralsim" / "scenarios"
        self.mkpath(str(target))
        for src in sorted((HERE / "scenarios").glob("*.toml")):
            self.copy_file(str(src), str(target / src.name))


setup(cmdclass={"build_py": BuildWithScenarios})
