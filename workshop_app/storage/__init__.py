"""The only package that touches SQLite: opening project files, migrations, the single
writer thread, and repositories that return core dataclasses.

``Database`` is the handle every repository function takes (a sqlite-utils ``Database``: a
reader's, or the writer's through ``Tx.db``). Services name it from here, never from
sqlite-utils itself, so nothing above storage imports SQLite (issue 15, point 5).
"""

from sqlite_utils import Database

__all__ = ["Database"]
