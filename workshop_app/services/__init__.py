"""One function per user action, shared by the desktop UI, the phone server and the CLI.

Services validate with core rules, write through the single writer, and publish plain
Python events after commit. They never see SQL and never touch Qt.
"""
