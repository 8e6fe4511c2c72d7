"""Links in what goes to a platform's readers must be public addresses
(:func:`domain.links.not_public`). A variant for any channel but the website is checked
when it is rendered for a draft: a link to a ``file:``, loopback or private address is a
violation, which names the setting to fix when the link is the organisation's own site."""

from __future__ import annotations

import re
from dataclasses import replace

from channels.base import Variant, Violation
from domain.links import not_public

_LINK = re.compile(r"(?:https?|file)://[^\s\"'<>()（）\[\]]+", re.IGNORECASE)
UNCHECKED_FIELDS = frozenset({"notes"})  # for the reviewers, never sent
SETTING_HINT = (
    "set the organisation's public site address: matrixpub settings set site_url "
    "https://... (or MATRIXPUB_SITE_URL)"
)


def private_links(variant: Variant, *, site_url: str) -> tuple[Violation, ...]:
    """A violation for each link in the variant's sent fields that is not public."""
    seen: set[str] = set()
    found: list[Violation] = []
    for name, value in sorted(variant.fields.items()):
        if name in UNCHECKED_FIELDS:
            continue
        for url in _LINK.findall(value):
            url = url.rstrip(".,;:!?。，；：！？")
            problem = not_public(url)
            if problem is None or url in seen:
                continue
            seen.add(url)
            ours = url.startswith(site_url.rstrip("/"))
            found.append(
                Violation(
                    name,
                    "private_link",
                    f"the link {url} is {problem}, not a public address; "
                    + (SETTING_HINT if ours else "link to a page the public can open"),
                )
            )
    return tuple(found)


def with_public_links(variant: Variant, *, site_url: str) -> Variant:
    """The variant, with a violation for each link that is not public."""
    problems = private_links(variant, site_url=site_url)
    if not problems:
        return variant
    return replace(variant, violations=(*variant.violations, *problems))
