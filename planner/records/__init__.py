"""Demand from the points' own records (issue #16).

A visit log (one row per customer at the counter, see inputs/README.md "Visit logs") is
read in bounded memory (`reader`), turned into a variant of a scenario whose demand is
fitted from it (`fit`), its forecast measured on held-out months (`backtest`), and the
recorded or forecast customers served by a roster in a discrete-event simulation of the
counter (`replay`). `generator` writes realistic logs for a scenario so that all of it can
be tried and tested without real data.

Modules: logformat (the columns and the mapping of exports), reader, history (the
scenario's demand model for months before its horizon), generator, fit, backtest,
replay, report (HTML sections), run (what each CLI command calls).
"""
