"""The final determination (vaststelling) per recipient and regulation after the final accounting: the
determined amount per year with the carry-over cap applied year by year, the reclaim, the letter, the reclaim's
status and the objection period; the ministry's batch."""
