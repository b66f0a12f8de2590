"""The `apifit` MkDocs plugin: a thin adapter over the apifit package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from apifit import secretscan
from apifit.errors import IntegrityError


class ApifitPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Screenshots and build-time checks for apifit sites."""

    def on_post_build(self, *, config: Any) -> None:
        """Fail the build when a cassette or the built site holds a secret-shaped value."""
        try:
            secretscan.ensure_clean(Path(config.config_file_path).parent, Path(config.site_dir))
        except IntegrityError as exc:
            raise PluginError(str(exc)) from None
