"""What the rooms share: small widgets, keys, appearance, words for stored values, undo,
the refresher, and the pickers that link what people said to standards. Imports no room."""
