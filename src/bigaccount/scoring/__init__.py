"""Scoring: pure functions over frozen values (relationships, SWOT, forecasts, …).

Same input, same output, no I/O; every score documents its formula and range.
"""
