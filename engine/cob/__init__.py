"""Coordination of benefits: when a member has more than one payer for a fill.

The pharmacy bills the primary payer, then the secondary with what the primary
did, then the tertiary. rxadj must know where its plan stands for each member and
adjudicate correctly in every place:

- ``coverage``: the member's other coverage as eligibility files carry it;
- ``order``: the order of benefit determination (NAIC model rules, Medicare
  secondary payer rules), saying which rule decided;
- ``member``: a member's coverages on a date of service, as those rules see them;
- ``claims``: what the COB segment (05) of a claim says the earlier payers did;
- ``occ``: the checks a claim's Other Coverage Code and COB segment must pass;
- ``methods``: how a secondary or tertiary plan computes its payment (standard,
  non-duplication, carve-out, maintenance of benefits);
- ``settle``: the secondary's patient pay, accumulator credits and Part D TrOOP
  split for one claim;
- ``figures``: the value types decisions carry (COB figures, other payers for the
  response segment 28).

Sources: ``shared/reference/mandates.md`` §6 (order rules, secondary payment
methods, COB segment) and §3.4-3.5 (what counts toward Part D TrOOP).
"""
