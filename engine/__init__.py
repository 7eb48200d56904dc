"""rxadj's domain core: codec, plans, rules, pricing, cost share and adjudication.

Nothing in this package imports a web framework, a database driver or Redis;
adapters for those live in ``engine.store`` and receive their clients from the shell.
"""
