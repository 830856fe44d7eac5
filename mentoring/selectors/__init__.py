"""Reads of mentoring: invitations, step threads and unread counts (comments), the mentor's pages and
the digest rows (mentees)."""
