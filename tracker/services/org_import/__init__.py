"""Importing the sales organisation: a teams file and a reps file, together, all or nothing.

Teams are matched to the program's by name, people to logins by e-mail (or
username). New people get a login with the rep or sales-leader role and no
password (they set theirs through their link on the People page). Every row
is checked before anything is written: one wrong row, and nothing is.
A dry run returns the same plan without writing.
"""

from tracker.services.org_import.run import org_import

__all__ = ["org_import"]
