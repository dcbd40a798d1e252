"""File → Export…: documents and data, after the privacy review."""
