"""Applying: the application wizard, its workflow table, receipts and the application reads."""
