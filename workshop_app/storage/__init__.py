"""The only package that touches SQLite: opening project files, migrations, the single
writer thread, and repositories that return core dataclasses."""
