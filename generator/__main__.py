"""`python -m generator`, and the `village-portal` command: stops are handled from the start (the
rest takes a second to import), so that one during the imports ends as any other does."""

from typing import NoReturn

from generator.engine import stopping


def run() -> NoReturn:
    stopping.install()
    try:
        from generator.cli import main  # noqa: PLC0415 - after the handlers are installed

        code = main()
        stopping.closing()  # called inside: a stop just before it is taken as any other
    except stopping.Stopped as stop:
        code = stopping.ended(stop)
    stopping.leave(code)


if __name__ == "__main__":
    run()
