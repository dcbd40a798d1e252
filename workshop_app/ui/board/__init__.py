"""The theme board: notes dragged into themes, suggestions, guided sorting, and priorities
brought in from earlier sessions."""
