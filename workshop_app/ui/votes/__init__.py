"""Votes and ratings: rules, open and close, who has voted, the ranking and its chart."""
