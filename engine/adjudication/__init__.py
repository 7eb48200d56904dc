"""Adjudication: eligibility, edits, pricing and cost share, as pure functions."""
