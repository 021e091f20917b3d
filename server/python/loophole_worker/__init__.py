"""Loophole's GPU worker: generation, LoRA fine-tuning and evaluation, spoken to over JSON lines.

The server starts `python -m loophole_worker` per job. The contract (message shapes, protocol version)
is `server/src/jobs/workerProtocol.ts`; `protocol.py` is its Python side and must stay in step.
Heavy imports (torch, transformers, peft) happen only after `hello`, so a missing package is reported
as a typed `missing_package` error instead of a crash before the handshake.
"""

PROTOCOL_VERSION = 1
WORKER_VERSION = "0.1.0"
