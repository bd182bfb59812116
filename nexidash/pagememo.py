"""Built pages, remembered per view: a page is built once for each set of choices, then reused.

A page's blocks are a function of its view alone: the language, where static files are, the
database file, and the value of each control the page asks for (View.choose), in the order it
asks. Which control a page asks for next depends only on the answers before it, so the memo
keeps, for every answered prefix, the control that comes next, and the finished page where
the questions end. A later view answers the same questions (its own URL and widgets answer
them, with their notices and URL writes as a build would make them); where every answer
matches a page built before, that page is reused, else the page is built and remembered.

Why: a build computes findings, sentences and figures from the tables, 12–150 ms of a replica's
CPU per rerun, the same for every reader of the same view; the crowd benchmark's readers spent
most of a render there (BENCHMARKS.md, "Crowd and failover again").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Callable

END = object()  # no further question: the page is finished


class PageMemo:
    """Finished pages, least recently used dropped first, keyed by the view's fixed parameters
    and the answers to the page's questions. Safe across the server's session threads: a page
    two sessions build at once is built twice, and either copy kept."""

    def __init__(self, pages: int = 128, questions: int = 8192):
        self._pages: OrderedDict = OrderedDict()
        self._next: dict = {}
        self._max_pages, self._max_questions = pages, questions
        self._lock = threading.Lock()

    def get(self, fixed: tuple, make_view: Callable, build: Callable):
        """(view, built) for this view: `build(view)` remembered. `make_view()` gives a fresh
        view; the one returned has answered every question the page asks."""
        v = make_view()
        answers: tuple = ()
        while True:
            with self._lock:
                asks = self._next.get((fixed, answers))
            if asks is None:
                break
            if asks is END:
                with self._lock:
                    built = self._pages.get((fixed, answers))
                    if built is not None:
                        self._pages.move_to_end((fixed, answers))
                if built is not None:
                    return v, built
                break
            answers += (v.choose(asks),)
        v = make_view()  # a fresh one: its record of choices is the build's alone
        built = build(v)
        self._remember(fixed, tuple(v.asked), built)
        return v, built

    def _remember(self, fixed: tuple, asked: tuple, built) -> None:
        with self._lock:
            if len(self._next) > self._max_questions:
                self._next.clear()  # rebuilt from the next views; only a cost, never a wrong page
            answers: tuple = ()
            for control, value in asked:
                self._next[(fixed, answers)] = control
                answers += (value,)
            self._next[(fixed, answers)] = END
            self._pages[(fixed, answers)] = built
            self._pages.move_to_end((fixed, answers))
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._next.clear()


# What the blocks of the page being drawn make when drawn (a table's HTML, a source line), kept
# in a dict that comes with the remembered page: the blocks it is keyed by live as long.
_drawing = threading.local()


@contextmanager
def drawing(made: dict):
    """Draw a remembered page: `once` keeps what its blocks make in `made`."""
    _drawing.made = made
    try:
        yield
    finally:
        _drawing.made = None


def once(block, part: str, make: Callable):
    """`make()` for this block's part, made once per remembered page (each time outside one)."""
    made = getattr(_drawing, "made", None)
    if made is None:
        return make()
    key = (id(block), part)
    if key not in made:
        made[key] = make()
    return made[key]
