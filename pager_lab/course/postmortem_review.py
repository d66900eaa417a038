"""08's self-check: is the post-mortem draft filled in, blameless, and are its actions owned?

Blameless, as in Google's SRE book (ch. 15, "Postmortem Culture: Learning from
Failure"; not yet in ``REFERENCES.md``, the word lists below are a teaching choice):
the review names the conditions that let the failure happen, not a person who
should have done better. So the prose sections may not make a responder the
subject of a failure ("Bob forgot", "the engineer did not ..."), use "should
have", "human error", "careless" or "forgot", or name a responder where the
causes go; and every action item needs an owner and a due date, or nobody does it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pager_lab.course.feedback import Feedback, screened

__all__ = ["check_postmortem", "sections"]

REQUIRED = ("Summary", "Impact", "Timeline", "Root cause", "What went wrong", "Action items")
"""The sections of the draft ``postmortem_markdown`` writes that must hold something."""
CAUSE_SECTIONS = ("Impact", "Root cause", "What went wrong")
"""Where a responder's name points a finger (the timeline and the owners may name people)."""
RESPONDERS = ("Alice", "Bob", "Charlie")

_UNFILLED = re.compile(
    # letters, not \b, bound the words: the draft writes "_To be determined._" in italics,
    # and "_" is a word character, so \b found no edge there and the placeholder passed
    r"\(fill in\)|(?<![a-z])(?:to be determined|todo|tbd|xxx)(?![a-z])|^\W*(\.\.\.|…)\W*$",
    re.I | re.M,
)
_BLAME_WORDS = re.compile(
    r"\bshould(?: have|'ve| be more| pay)\b|\bhuman error\b|\bcareless(?:ness|ly)?\b|"
    r"\bforg[eo]t(?:s|ten)?\b|\bfault\b|\bblame[ds]?\b|\bnegligen\w*|\bincompetent\b|"
    r"\blazy\b|\bsloppy\b|\bmore careful\b|\bnot paying attention\b",
    re.I,
)
_PEOPLE = r"he|she|someone|somebody|the (?:on[- ]call )?(?:engineer|responder|operator|developer)"
_FAILURE = (
    r"should|must|did not|didn't|does not|doesn't|failed|forgot|missed|ignored|neglected|"
    r"overlooked|was careless|was negligent|was too slow|was slow|messed up|made a mistake|"
    r"could have|needs to be more|has to be more"
)
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}\b",
    re.I,
)
_NO_OWNER = {"", "-", "—", "?", "tbd", "todo", "nobody", "none", "n/a", "_(fill in)_"}


def sections(markdown: str) -> dict[str, str]:
    """Each ``## Title`` of *markdown* to the text under it (up to the next ``## ``)."""
    out: dict[str, str] = {}
    for part in re.split(r"^## ", markdown, flags=re.M)[1:]:
        title, _, body = part.partition("\n")
        out[title.strip()] = body.strip()
    return out


def check_postmortem(markdown: Any, responders: tuple[str, ...] = RESPONDERS) -> Feedback:
    """08: a blameless post-mortem draft with every section filled and owned action items.

    *responders* are the names that may not carry the blame; those the draft's
    timeline pages are added to them.
    """
    fb = Feedback("your post-mortem")
    sections_hint = (
        "you gave the sections as a dictionary: put them into the draft (the cell above "
        "does) and check the whole post-mortem"
    )
    if screened(
        fb,
        markdown,
        "your post-mortem (the draft with its sections filled in)",
        str,
        "give the post-mortem as one Markdown string",
        {Mapping: sections_hint},
    ):
        return fb
    parts = sections(markdown)
    for title in REQUIRED:
        body = parts.get(title, "")
        if not body:
            fb.ok(False, "", f"add the '## {title}' section and fill it in")
        else:
            fb.ok(
                _UNFILLED.search(body) is None,
                f"{title} written",
                f"fill in the '{title}' section: it still holds the template's placeholder",
            )
    timeline = parts.get("Timeline", "")
    paged = re.findall(r"(?:Paged|Acknowledged by|Resolved by) (\w+)", timeline)
    names = set(responders) | set(paged)
    _check_blameless(fb, parts, sorted(names))
    _check_actions(fb, parts.get("Action items", ""))
    return fb


def _check_blameless(fb: Feedback, parts: dict[str, str], names: list[str]) -> None:
    prose = {t: b for t, b in parts.items() if t not in ("Timeline", "Action items")}
    people = "|".join([_PEOPLE, *map(re.escape, names)])
    subject = re.compile(rf"\b(?:{people})\s+(?:\w+\s+)?(?:{_FAILURE})\b", re.I)
    found = []
    for title, body in prose.items():
        for pattern in (subject, _BLAME_WORDS):
            found += [f"'{m.group(0)}' ({title})" for m in pattern.finditer(body)]
        if title in CAUSE_SECTIONS:
            found += [f"'{n}' ({title})" for n in names if re.search(rf"\b{n}\b", body)]
    hint = (
        f"{', '.join(dict.fromkeys(found))}: this points at a person. Blameless means naming "
        "the systemic cause, what allowed it (a silent phone, no runbook link in the page, a "
        "timeout too long), and the role, not the name ('the primary on call')"
    )
    if any("human error" in f.lower() for f in found):
        hint += "; 'human error' is where a review starts: ask what made the error easy to make"
    fb.ok(not found, "blameless wording", hint)


def _check_actions(fb: Feedback, body: str) -> None:
    """Every action item (a table row or a list item) has an owner and a due date."""
    rows = [line for line in body.splitlines() if line.strip().startswith("|")]
    items: list[tuple[str, str, str]] = []  # (action, owner, due)
    if len(rows) >= 2:
        header = [c.strip().lower() for c in rows[0].strip().strip("|").split("|")]
        owner_at = next((i for i, c in enumerate(header) if "owner" in c or "who" in c), None)
        due_at = next((i for i, c in enumerate(header) if c in ("due", "date", "when", "by")), None)
        for row in rows[2:]:
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            items.append((cells[0], _cell(cells, owner_at), _cell(cells, due_at)))
    else:
        for line in body.splitlines():
            if re.match(r"\s*(?:[-*]|\d+[.)])\s", line):
                owner = re.search(r"owner:?\s*(\w+)|@(\w+)", line, re.I)
                items.append(
                    (line, "".join(g or "" for g in owner.groups()) if owner else "", line)
                )
    items = [i for i in items if _UNFILLED.search(i[0]) is None and i[0].strip()]
    if not fb.ok(
        bool(items),
        f"{len(items)} action item(s)",
        "add at least one action item: what changes, who owns it, by when",
    ):
        return
    no_owner = [a for a, owner, _ in items if owner.strip().lower() in _NO_OWNER]
    no_date = [a for a, _, due in items if not _DATE.search(due)]
    fb.ok(
        not no_owner,
        "every action item has an owner",
        f"give each action item an owner (a person or a team): missing for {_clip(no_owner)}",
    )
    fb.ok(
        not no_date,
        "every action item has a due date",
        f"give each action item a due date (like 2026-12-04): missing for {_clip(no_date)}",
    )


def _cell(cells: list[str], at: int | None) -> str:
    return cells[at] if at is not None and at < len(cells) else ""


def _clip(actions: list[str]) -> str:
    shown = [a.strip(" -*|")[:40] for a in actions[:3]]
    return "; ".join(f"'{a}'" for a in shown) + (" ..." if len(actions) > 3 else "")
