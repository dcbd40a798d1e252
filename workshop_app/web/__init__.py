"""The participant server: what phones on the room's Wi-Fi see. Never imports Qt.

Only participant endpoints exist here; every facilitator action stays in the desktop app.
"""
