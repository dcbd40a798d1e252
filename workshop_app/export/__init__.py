"""Exports: charts now; Word, CSV and JSON later. Reads core values and plain data; no Qt,
no HTTP, no SQLite (DESIGN.md §2)."""
