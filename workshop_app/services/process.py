"""Process-wide tuning done once start-up is over."""

from __future__ import annotations

import gc

# Python's defaults. Raising the first threshold (10,000 was tried) made collections rarer
# but each one longer: pauses of 70-100 ms under a phone burst, against under 30 ms here
# (benchmarks/lan_load.py; every collection pauses every thread, the GUI's included).
GC_THRESHOLDS = (700, 10, 10)


def tune_gc() -> None:
    """Freeze what start-up built (never garbage) so full collections stay short."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
