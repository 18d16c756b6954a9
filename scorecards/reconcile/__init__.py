"""Checks that every figure of a program reconciles with the records behind it.

Each check reads the program as pages, the API and the exports do, computes the
same figure a second way from the records, and reports every difference with
the ids behind it. `manage.py reconcile` runs them all; CI runs it on the demo.
The checks themselves live in the modules of this package, listed in run.CHECKS.
"""

from scorecards.reconcile.report import SHOWN, Check, Mismatch, Report
from scorecards.reconcile.run import CHECKS, program_reconcile

__all__ = ["CHECKS", "SHOWN", "Check", "Mismatch", "Report", "program_reconcile"]
