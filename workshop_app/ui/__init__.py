"""The desktop interface: thin PySide6 widgets over the services. The only Qt package.

Split by what the facilitator sees, one sub-package ("room") each: `wall` (the note wall),
`board` (the theme board), `votes`, `live` (taking a session live), `projector`, `session`
(details, agenda, activity editor), `standards` and `export`. Rooms never import each other;
what they share is in `common`, which imports no room. The frame at the top level (`shell`,
`project_window`, `start_window`, `dialogs`, `bridge`, ...) puts the rooms together.
"""
