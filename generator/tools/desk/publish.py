"""The Publish button: the same build as `village-portal build`, run in the desk's main thread
(where Ctrl+C is taken, so a build stops with the desk as `build` does), one at a time."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.inputs.messages import Catalogue
from generator.inputs.problems import InputError, Problem
from generator.pipeline.build import build
from generator.tools.preview import shells_folder


@dataclass
class Outcome:
    built: list[tuple[str, int, str]] = field(default_factory=list)  # (village name, year, folder)
    progress: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: str | None = None  # an error that is not the records' (a full disk …)


@dataclass
class _Job:
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome = field(default_factory=Outcome)


class Publisher:
    def __init__(self, content: Path, config: Path, out: Path, as_of: date | None, catalogue: Catalogue) -> None:
        self.content, self.config, self.out, self.as_of, self.catalogue = content, config, out, as_of, catalogue
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.looping = False
        self.lock = threading.Lock()  # one build at a time when run inline (tests)

    def publish(self) -> Outcome:
        """Build and publish; called from a request's thread, it waits for the main thread's loop."""
        job = _Job()
        if not self.looping:
            with self.lock:
                self._run(job)
            return job.outcome
        self.jobs.put(job)
        job.done.wait()
        return job.outcome

    def loop(self, stop: threading.Event) -> None:
        """In the main thread until stopped: builds asked for by the button."""
        self.looping = True
        try:
            while not stop.is_set():
                try:
                    job = self.jobs.get(timeout=0.5)
                except queue.Empty:
                    continue
                self._run(job)
        finally:
            self.looping = False

    def _run(self, job: _Job) -> None:
        outcome = job.outcome
        try:
            # The shells kept are those `serve --watch` keeps: the desk's previews render in them.
            checked = build(self.content, self.config, self.out, progress=outcome.progress.append, as_of=self.as_of,
                            shells=shells_folder(self.out))
            names = {village.id: village.settings.name for village in checked.villages}
            outcome.built = [(names.get(village_id, village_id), year, str(self.out / village_id / str(year)))
                             for village_id, year in checked.built]  # built: (village id, year)
            outcome.problems = [problem for problem in checked.problems]
        except InputError as error:
            outcome.problems = list(error.problems)
        except Exception as error:  # noqa: BLE001 - the clerk gets a sentence on the page
            outcome.failed = f"{type(error).__name__}: {error}"
        finally:
            job.done.set()
