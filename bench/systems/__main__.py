"""Serve one system under test on 127.0.0.1: echo, agents, floor or steward."""

from __future__ import annotations

import argparse
import importlib
import logging

from aiohttp import web

KINDS = {
    "echo": "bench.systems.echo",
    "agents": "bench.systems.agents",
    "floor": "bench.systems.floor",
    "steward": "bench.systems.steward",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    app: web.Application = importlib.import_module(KINDS[args.kind]).app()
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
