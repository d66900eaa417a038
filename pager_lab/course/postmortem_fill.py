"""08's exercise: put the student's sections into the post-mortem draft, then review it.

The notebook used to carry its own ``fill_in`` helper, which crashed before the
check on a lowercase or misspelled section name, a list or a string instead of
a dictionary, or a number as a section's text. Here every such answer is a
sentence: section names match in any case (and with or without ``## ``), an
unknown name gets a did-you-mean from the draft's own sections, a value that is
not text is named, an empty text is called empty (not missing); then the filled
draft goes to :func:`~pager_lab.course.postmortem_review.check_postmortem`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pager_lab.core.names import closest_name
from pager_lab.course.feedback import Feedback, describe, unanswered
from pager_lab.course.postmortem_review import check_postmortem, sections

__all__ = ["check_postmortem_sections", "fill_in"]

_EXAMPLE = '{"Impact": "...", "What went wrong": "...", "Action items": "..."}'


def _key(name: str) -> str:
    """A section name as compared: no ``#``, no outer spaces, any case."""
    return name.strip().lstrip("#").strip().casefold()


def _placed(draft: str, given: Mapping[Any, Any]) -> tuple[dict[str, str], list[str], list[str]]:
    """The draft titles to the student's texts, the problems, and the titles left empty."""
    titles = {_key(t): t for t in sections(draft)}
    placed: dict[str, str] = {}
    problems: list[str] = []
    empty: list[str] = []
    for name, text in given.items():
        if not isinstance(name, str):
            problems.append(f"a section name is {describe(name)}: name it in quotes, like 'Impact'")
            continue
        title = titles.get(_key(name))
        if title is None:
            near = closest_name(name, titles.values(), key=_key)
            guess = f" did you mean '{near}'?" if near else ""
            problems.append(
                f"'{name}' is not a section of the draft:{guess} "
                f"(its sections: {', '.join(titles.values())})"
            )
        elif title in placed or title in empty:
            problems.append(f"'{title}' is given twice (names match in any case): give it once")
        elif text is None or text is Ellipsis:
            problems.append(f"the '{title}' text is still {text!r}: write it as a string")
        elif not isinstance(text, str):
            problems.append(
                f"the '{title}' text is {describe(text)}: give it as one string "
                '(several lines join with "\\n")'
            )
        elif not text.strip():
            empty.append(title)
        else:
            placed[title] = text.strip()
    return placed, problems, empty


def _filled(draft: str, texts: Mapping[str, str]) -> str:
    """*draft* with each ``## Title``'s body replaced by its text in *texts*."""
    chunks = re.split(r"(?m)^(?=## )", draft)
    out = []
    for chunk in chunks:
        title = chunk[3:].partition("\n")[0].strip() if chunk.startswith("## ") else ""
        if title and title in texts:
            tail = "\n\n" if chunk.endswith("\n\n") else "\n"
            chunk = f"## {title}\n{texts[title]}{tail}"
        out.append(chunk)
    return "".join(out)


def fill_in(draft: str, sections_given: Mapping[str, str]) -> str:
    """The draft with each named section's body replaced by your text (names in any case).

    Raises :class:`ValueError` naming every unknown section, text that is not a
    string and empty text; :func:`check_postmortem_sections` says the same as feedback.
    """
    texts, problems, empty = _placed(draft, sections_given)
    problems += [f"the '{title}' text is empty" for title in empty]
    if problems:
        raise ValueError("; ".join(problems))
    return _filled(draft, texts)


def check_postmortem_sections(draft: Any, sections_given: Any) -> Feedback:
    """08: your sections put into the draft, then the post-mortem's review.

    *sections_given* is a dictionary of section name to its Markdown text, like
    ``{"Impact": "...", "What went wrong": "...", "Action items": "..."}``.
    """
    fb = Feedback("your post-mortem")
    if unanswered(fb, sections_given, f"your sections, like {_EXAMPLE}"):
        return fb
    if not isinstance(draft, str):
        return fb.fail(
            f"the first argument is the drill's draft (a string); you gave {describe(draft)}"
        )
    if not isinstance(sections_given, Mapping):
        return fb.fail(
            f"give a dictionary of section name to text, like {_EXAMPLE}; "
            f"you gave {describe(sections_given)}"
        )
    texts, problems, empty = _placed(draft, sections_given)
    if problems:
        for problem in problems:
            fb.fail(problem)
        return fb
    review = check_postmortem(_filled(draft, texts))
    for title in empty:
        fb.fail(f"the '{title}' text is empty: write it (the section itself is there)")
    said_empty = tuple(f"fill in the '{title}' section" for title in empty)
    fb.points += [(ok, text) for ok, text in review.points if not text.startswith(said_empty)]
    return fb
