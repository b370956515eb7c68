"""The built-in cycles of the key-account method, one module per cycle.

Each module declares its cycle once, as data, and registers it by name; import
them through :func:`bigaccount.get_cycle` (``get_cycle("funnel")``).
"""
