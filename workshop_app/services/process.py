"""Process-wide tuning done once start-up is over."""

from __future__ import annotations

import gc

# Python's defaults. Raising the first threshold (10,000 was tried) made collections rarer
# but each one longer: pauses of 70-100 ms under a phone burst, against under 30 ms here
# (benchmarks/lan_load.py; every collection pauses every thread, the GUI's included).
GC_THRESHOLDS = (700, 10, 10)


def tune_gc() -> None:
    """Freeze what start-up built (never garbage) so full collections stay short.

    Also called after a project window has loaded a session's wall and board: a thousand
    notes with their cards and board items are some 100,000 objects, and a full
    collection over them pauses every thread (the GUI's too) for 70-80 ms; frozen, they
    are skipped and collections stay under a few milliseconds. The collection here
    happens at a moment of our choosing, just after the facilitator switched views.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
