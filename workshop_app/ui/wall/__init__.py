"""The note wall: every note of a brainstorm, moderated while the room carries on."""
