"""The customer segment: some stage gates apply a different rule per segment."""

from __future__ import annotations

from .labels import Label, LabelledEnum, label_members

__all__ = ["Segment"]


class Segment(LabelledEnum):
    """The customer segment; some gates apply a different rule per segment."""

    SME = "sme"
    ENTERPRISE = "enterprise"
    GOVERNMENT = "government"


label_members(
    Segment,
    {
        Segment.SME: Label("中小企业", "small or medium enterprise"),
        Segment.ENTERPRISE: Label("大中型企业", "mid-size or large enterprise"),
        Segment.GOVERNMENT: Label("政府机构", "government"),
    },
)
