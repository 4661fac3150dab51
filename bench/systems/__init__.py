"""The systems under test, each served in its own process by `python -m bench.systems KIND --port P`."""
