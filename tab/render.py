"""Pages from Jinja2 templates, autoescaped: every value a page shows is escaped unless a template says not."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, StrictUndefined

from commissioning.actions import LEVEL_WORDS
from tab.gate import Denied, Looking, theme_of
from tab.views import LEVEL_CHOICES, STATUS_CHOICES


class Renderer:
    def __init__(self) -> None:
        self._env = Environment(
            loader=PackageLoader("tab", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.globals.update(
            status_choices=STATUS_CHOICES,
            level_choices=LEVEL_CHOICES,
            level_words={level.value: words for level, words in LEVEL_WORDS.items()},
        )

    def _html(self, status: int, template: str, **context: Any) -> web.Response:
        body = self._env.get_template(template).render(**context)
        return web.Response(status=status, text=body, content_type="text/html", charset="utf-8")

    def page(self, request: web.Request, looking: Looking, template: str, **context: Any) -> web.Response:
        return self._html(
            200,
            template,
            looking=looking,
            theme=looking.theme,
            path=request.path,
            kept=looking.kept,
            **context,
        )

    def denied(self, request: web.Request, denied: Denied) -> web.Response:
        """A refusal keeps the demo person and the theme on its links, so 'back' goes somewhere useful."""
        theme = theme_of(request)
        kept = {name: request.query[name] for name in ("as",) if request.query.get(name)}
        if theme != "auto":
            kept["theme"] = theme
        context = {"theme": theme, "looking": None, "path": request.path, "kept": kept, **denied.extra}
        return self._html(
            denied.status, denied.template, title=denied.title, message=denied.message, **context
        )

    def message(self, request: web.Request, status: int, title: str, message: str) -> web.Response:
        return self.denied(request, Denied(status, title, message))
