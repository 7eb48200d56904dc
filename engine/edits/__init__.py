"""Claim edits: named rules with a condition and an NCPDP reject code, in versioned sets."""
