"""Exports: charts (matplotlib), Word documents (python-docx), CSV and JSON with a codebook,
and the REFI-QDA project (.qdpx). Reads core values and plain data; no Qt, no HTTP, no SQLite
(DESIGN.md §2)."""
