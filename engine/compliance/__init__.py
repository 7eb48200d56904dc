"""Compliance: federal and state out-of-pocket mandates as rule files, checked and enforced.

``model`` reads the rule files, ``library`` finds the rules in force for a plan version,
``effective`` merges them into what adjudication enforces per claim, ``checker`` (with
``checks_limits`` and ``checks_drugs``) proves a plan version against them, ``gate``
guards publishing, ``results`` and ``html`` report. Import from the modules: the
catalog imports ``effective`` and ``library`` while the checker imports the catalog.
"""
