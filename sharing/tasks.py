"""Celery tasks of sharing: thin wrappers that take ids and call sharing.pdf."""

from __future__ import annotations

from celery import shared_task

from sharing import pdf


@shared_task(acks_late=True)
def plan_pdf_make(pdf_id: int, requested_at: str | None = None) -> bool:
    """Render a requested plan PDF and store it (sharing.pdf.plan_pdf_render)."""
    return pdf.plan_pdf_render(pdf_id=pdf_id, requested_at=requested_at)
