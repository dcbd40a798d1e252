"""File → Bring in another project… (issue 16): the merge dialog and its presenter."""
