"""Process-wide tuning done once start-up is over."""

from __future__ import annotations

import gc

# Collect the youngest generation every 10,000 allocations instead of 700: a phone burst
# allocates quickly, and each collection pauses every thread (the GUI's included).
GC_THRESHOLDS = (10_000, 10, 10)


def tune_gc() -> None:
    """Freeze what start-up built (never garbage) so full collections stay short."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
