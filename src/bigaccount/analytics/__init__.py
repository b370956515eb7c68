"""Pipeline analytics: forecasts, the distribution of won revenue and funnel health.

Every analytic is a pure function with two paths that give identical results: a
*column path* (plain sequences of amounts, probabilities, dates and stage ids, or numpy
arrays where numpy is installed) that is the core, and an *object path* that reads
:class:`~bigaccount.deal.Deal` objects into those columns and calls it. Heavy libraries
are imported inside the functions that use them, never when this package is imported.
"""
