"""What machine a benchmark ran on: processor model, cores, the SIMD features that change
numeric kernels (AVX2, AVX-512, VNNI, AMX; NEON, dot product, i8mm on ARM), OS and Python.

Figures in the docs name the processor they were measured on; every benchmark's JSON holds
this record so a figure can be traced to its machine.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

#: Features that select different onnxruntime/numpy kernels (x86-64 and ARM names).
SIMD_FEATURES = (
    "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16",
    "avx_vnni", "amx_int8", "amx_bf16", "asimd", "asimddp", "i8mm", "sve", "sve2", "bf16",
)  # fmt: skip


def _cpuinfo() -> tuple[str, set[str]]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "", set()
    name, flags = "", set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key in ("model name", "cpu model", "hardware") and not name:
            name = value.strip()
        elif key in ("flags", "features") and not flags:
            flags = set(value.split())
    return name, flags


def _sysctl(key: str) -> str:
    try:
        return subprocess.run(
            ["sysctl", "-n", key], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except OSError:
        return ""


def describe() -> dict[str, object]:
    """One JSON-ready record of this machine."""
    name, flags = _cpuinfo()
    if sys.platform == "darwin":
        name = name or _sysctl("machdep.cpu.brand_string")
        flags |= {f.lower().replace(".", "_") for f in _sysctl("machdep.cpu.features").split()}
        flags |= {f.lower() for f in _sysctl("machdep.cpu.leaf7_features").split()}
    features = [f for f in SIMD_FEATURES if f in flags]
    vnni = any(f in flags for f in ("avx512_vnni", "avx_vnni", "amx_int8", "asimddp"))
    try:
        import onnxruntime

        ort = onnxruntime.__version__
    except ImportError:
        ort = None
    return {
        "processor": name or platform.processor() or platform.machine(),
        "architecture": platform.machine(),
        "cpus": os.cpu_count(),
        "simd": features,
        "int8_dot_product": vnni,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "onnxruntime": ort,
    }


def short(record: dict[str, object]) -> str:
    """'AMD EPYC (x86_64, 2 cores; AVX2, no AVX-512/VNNI)': how the docs name a machine."""
    simd = record.get("simd") or []
    assert isinstance(simd, list)
    wide = "AVX-512" if "avx512f" in simd else "AVX2" if "avx2" in simd else ""
    vnni = "VNNI" if record.get("int8_dot_product") else "no VNNI"
    if wide == "AVX2" and not record.get("int8_dot_product"):
        vnni = "no AVX-512/VNNI"
    features = ", ".join(x for x in (wide, vnni) if x)
    return (
        f"{record['processor']} ({record['architecture']}, {record['cpus']} cores"
        + (f"; {features}" if features else "")
        + ")"
    )


if __name__ == "__main__":
    import json

    record = describe()
    print(json.dumps({**record, "short": short(record)}, indent=2))
