"""Mentoring: mentorships and invitations, comments, project reviews, the mentor's pages."""
