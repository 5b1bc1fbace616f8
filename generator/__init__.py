"""village-portal: turns a village's records into a static transparency portal (村务公开).

The build is a pipeline, one module per stage:

    load → model → check → render → site (MkDocs) → index (Pagefind) → publish

`generator.pipeline.build.build` runs it top to bottom.
"""

__version__ = "0.1.0"
