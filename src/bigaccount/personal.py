"""The marker of personal data: fields so marked stay out of reprs, scores and redacted exports."""

from __future__ import annotations

__all__ = ["PERSONAL"]

PERSONAL = "bigaccount.personal"
"""The attrs metadata key that marks a field as personal data."""
