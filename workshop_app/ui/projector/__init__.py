"""The projector window: large type, and only what the room may see."""
