"""village-portal: turns a village's records into a static transparency portal (村务公开).

The package is in layers, each importing only those below it (import-linter checks it):

    fs → inputs → domain (kinds) → render → site → archive → engine → pipeline → tools → cli

`generator.pipeline.build.build` runs a build top to bottom; docs/guide/architecture.md says more.
"""

__version__ = "0.1.0"
