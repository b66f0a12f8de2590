"""A built site as a reader gets it: served on 127.0.0.1, opened in chromium, weighed.

localserver  A request handler served on a free port of 127.0.0.1 in a background thread.
browser      A built site served on 127.0.0.1 and Debian's chromium to look at it, as a reader
             would.
pageweight   Measure the image bytes a reader downloads when scrolling through each page of a
             built site.
"""

__all__ = ["browser", "localserver", "pageweight"]
