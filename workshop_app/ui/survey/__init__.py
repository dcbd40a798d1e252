"""The evaluation survey: the youth panel's questions, wording checks, answers, "we did"."""
