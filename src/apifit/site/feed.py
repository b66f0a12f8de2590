"""The Atom feed of the changes, built with feedgen (a kept library, so the XML is escaped,
namespaced and ordered as Atom 1.0 says, which string templates get wrong in corner cases).

Nothing in it depends on when or where it is built: entry ids are UUIDs derived from the
site's name and the change's key, every `updated` is the change's own date and the feed's is
the newest change's, so a build with no new change writes the same bytes.
"""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from apifit.evidence.changes import Change, ChangeLog
from apifit.site.stages import SiteData

FEED_FILE = "feed.xml"
# Atom requires an `updated`; a site with no change yet gets a fixed one, not the build time.
_NO_CHANGE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def entry_id(site_name: str, change: Change) -> str:
    """The same change keeps this id on every build and machine, so readers show it once."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"apifit:{site_name}:{change.key}").urn


def atom(changes: list[Change], *, site_name: str, site_url: str, page_url: str) -> bytes:
    """The feed, newest entry first; `page_url` is the What changed page, relative to the site."""
    page = urljoin(site_url, page_url)
    feed = FeedGenerator()
    feed.id(uuid.uuid5(uuid.NAMESPACE_URL, f"apifit:{site_name}:feed").urn)
    feed.title(f"What changed: {site_name}")
    feed.subtitle("Pinned terms versions, decision re-reviews and check status changes.")
    feed.author({"name": site_name})
    feed.link(href=page, rel="alternate", type="text/html")
    feed.link(href=urljoin(site_url, FEED_FILE), rel="self", type="application/atom+xml")
    feed.language("en")
    feed.updated(max((c.at for c in changes), default=_NO_CHANGE))
    for change in changes:
        item = feed.add_entry(order="append")
        item.id(entry_id(site_name, change))
        item.title(change.title)
        item.updated(change.at)
        # One link only: feedgen 1.0 writes an entry's links without their `rel`, so a second
        # one (the source) would read as a second "alternate", which Atom forbids.
        item.link(href=f"{page}#{change.anchor}", rel="alternate", type="text/html")
        source = f"{change.source} <{change.source_url}>" if change.source_url else change.source
        item.summary("\n".join((*change.details, f"Source: {source}.")))
        item.category(
            [{"term": str(change.kind)}, *({"term": f"ADR {d}"} for d in change.decisions)]
        )
    return bytes(feed.atom_str(pretty=True))


def site_feed(site: SiteData, *, site_name: str, site_url: str, page_url: str) -> bytes:
    """The feed of a build, from the data its pages are rendered from."""
    log = ChangeLog.load(site.root, site.docs_dir, site.catalog, site.archive)
    xml = atom(log.changes, site_name=site_name, site_url=site_url, page_url=page_url)
    # As for the pages: credentials set for this build are removed, in case a history line
    # written before they were known holds one.
    return site.boundary.text(xml.decode("utf-8")).encode("utf-8")
