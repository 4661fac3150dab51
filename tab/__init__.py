"""The Teams tab: the portfolio and one contract as server-rendered pages, mounted under /tab/."""

from tab.routes import TabConfig, TabSources, add_tab_routes

__all__ = ["TabConfig", "TabSources", "add_tab_routes"]
