"""Shares of job postings as the seeds give them (a range, an estimate, an upper or lower bound) and the
date an entry was last checked: the fields, their constraints, and how they read."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


def share_field(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


def share_constraints(prefix: str, name: str) -> list[models.CheckConstraint]:
    low, high = f"{prefix}_low", f"{prefix}_high"
    in_range = Q(**{f"{low}__isnull": True}) | Q(**{f"{low}__gte": 0, f"{low}__lte": 100})
    high_in_range = Q(**{f"{high}__isnull": True}) | Q(**{f"{high}__gte": 0, f"{high}__lte": 100})
    ordered = (
        Q(**{f"{low}__isnull": True}) | Q(**{f"{high}__isnull": True}) | Q(**{f"{low}__lte": models.F(high)})
    )
    return [
        models.CheckConstraint(condition=in_range & high_in_range, name=f"{name}_0_100"),
        models.CheckConstraint(condition=ordered, name=f"{name}_low_not_above_high"),
    ]


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def share_words(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None:
        return f"about {_percent(low)}%" if low == high else f"{_percent(low)}-{_percent(high)}%"
    if high is not None:
        return f"under {_percent(high)}%"
    return f"over {_percent(low)}%" if low is not None else ""


def share_label(
    low: Decimal | None, high: Decimal | None, entry_low: Decimal | None, entry_high: Decimal | None
) -> str:
    """A skill's share of postings in words; the entry-level figure when only that is known."""
    overall = share_words(low, high)
    if overall:
        return overall
    entry = share_words(entry_low, entry_high)
    return f"{entry} at entry level" if entry else ""


def share_midpoint(low: Decimal | None, high: Decimal | None) -> float | None:
    if low is None:
        return None if high is None else float(high) / 2
    return float(low) if high is None else (float(low) + float(high)) / 2


def checked_on_field() -> models.DateField:
    return models.DateField(
        null=True, blank=True, help_text="When an editor last checked this entry against its source."
    )
