"""Chinese pages group digits by three with commas, as Chinese business figures are written
("44,396,000 USD"); Django's zh_Hans groups by four with no separator ("44396000").

Dates are Django's ("2026年12月6日"), which are consistent already.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
