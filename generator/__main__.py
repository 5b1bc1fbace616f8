"""`python -m generator`, and the `village-portal` command: stops are handled from the start (the
rest takes a second to import), so that one during the imports ends as any other does."""

from generator.engine import stopping


def run() -> None:
    stopping.install()
    try:
        from generator.cli import main  # noqa: PLC0415 - after the handlers are installed

        code = main()
        stopping.closing()
    except stopping.Stopped as stop:
        code = stopping.ended(stop)
    raise SystemExit(code)


if __name__ == "__main__":
    run()
