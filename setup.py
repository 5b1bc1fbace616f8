"""The wheel carries the theme, the messages and the base MkDocs configuration as package data
(generator/_data), so that an installed tool builds the same sites as a checkout."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads them from the checkout (generator/fs/paths.py)
        data = Path(self.build_lib) / "generator" / "_data"
        shutil.copytree("themes", data / "themes", dirs_exist_ok=True)
        shutil.copy2("mkdocs.yml", data / "mkdocs.yml")


setup(cmdclass={"build_py": BuildWithData})
