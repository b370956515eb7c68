"""The input census's cases for one public module (see ``_inputs``)."""

from __future__ import annotations
