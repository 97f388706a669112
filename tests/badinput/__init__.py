"""The bad-input corpus (cases.py) and the helpers that build broken and hostile files (zips.py)."""
