"""Project → Standards…: the draft quality standards and their editor."""
