"""Adapters behind small ports: accumulator stores and claim ledgers."""
