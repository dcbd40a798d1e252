"""One session: its details, its agenda and the editor of the chosen activity."""
