"""The worker's real messages against the protocol's JSON Schema (`loophole_worker/protocol.schema.json`,
generated from the server's TypeBox definitions by `npm run schema:worker`).

Each test runs `python -m loophole_worker` as the server does, sends `start` on stdin and checks every
line the worker writes on stdout (and every line of `samples.jsonl`), so a field renamed, added or
retyped on the Python side fails here rather than in a job. The training tests need torch,
transformers and peft; without them they are skipped and say so.

Run: `python3 -m unittest discover -s server/python/tests -t server/python` (part of `npm test`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

try:
    import jsonschema  # type: ignore[import-untyped]
except ImportError:  # .ci/setup.sh installs it
    jsonschema = None

PYTHON_ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((PYTHON_ROOT / "loophole_worker" / "protocol.schema.json").read_text(encoding="utf-8"))
ENV = {**os.environ, "PYTHONPATH": str(PYTHON_ROOT), "LOOPHOLE_HEARTBEAT_S": "0.2"}
HAS_TRAINING = all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers", "peft"))


NEEDS_JSONSCHEMA = "needs jsonschema: pip install jsonschema (.ci/setup.sh installs it)"


def problems(name: str, value: object) -> list[str]:
    """Why `value` is not a valid `$defs/<name>`, one line per error (the most relevant first)."""
    v = jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"})
    errors = sorted(v.iter_errors(value), key=jsonschema.exceptions.relevance)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]


class WorkerRun(unittest.TestCase):
    def run_worker(self, command: str, config: dict, requests: tuple[dict, ...] = (), timeout: float = 600) -> list[dict]:
        """Runs one command to its end as the server does (stdin stays open: closing it means cancel);
        a serving command gets `requests` after `ready`, and stdin is closed once each is answered.
        Returns the protocol messages, each checked against the schema."""
        start = {"type": "start", "command": command, "config": config}
        for sent in (start, *requests):
            self.assertEqual(problems("ServerMessage", sent), [], f"the test's own {sent['type']} message")
        with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "loophole_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=ENV,
                cwd=PYTHON_ROOT,
            )
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps(start) + "\n")
            proc.stdin.flush()
            messages: list[dict] = []
            for line in proc.stdout:
                if not line.startswith("{"):
                    continue
                messages.append(json.loads(line))
                kind = messages[-1]["type"]
                if kind == "ready":
                    proc.stdin.write("".join(json.dumps(r) + "\n" for r in requests))
                    proc.stdin.flush()
                if kind in ("ready", "reply") and sum(m["type"] == "reply" for m in messages) == len(requests):
                    proc.stdin.close()
                if kind in ("result", "error"):
                    break
            if not proc.stdin.closed:
                proc.stdin.close()
            proc.wait(timeout=timeout)
            proc.stdout.close()
            err.seek(0)
            stderr = err.read()
        self.assertTrue(messages, f"no messages; stderr:\n{stderr[-2000:]}")
        for m in messages:
            self.assertEqual(problems("WorkerMessage", m), [], f"{m['type']} message {json.dumps(m)[:400]}")
        self.assertEqual(messages[0]["type"], "hello")
        self.assertIn(messages[-1]["type"], ("result", "error"), f"the last message ends the command; stderr:\n{stderr[-2000:]}")
        return messages


@unittest.skipIf(jsonschema is None, NEEDS_JSONSCHEMA)
class WorkerProtocolTest(WorkerRun):
    def test_probe_hello_heartbeats_and_result(self) -> None:
        messages = self.run_worker("probe", {})
        self.assertEqual(messages[0]["protocol"], SCHEMA["protocol"])
        result = messages[-1]
        self.assertEqual((result["type"], result["command"]), ("result", "probe"))
        self.assertTrue(any(d["id"] == "cpu" for d in result["data"]["devices"]))

    def test_the_worker_knows_exactly_the_commands_of_the_contract(self) -> None:
        from loophole_worker.main import COMMANDS

        starts = SCHEMA["$defs"]["ServerMessage"]["anyOf"][0]["anyOf"]
        self.assertEqual(sorted(COMMANDS), sorted(b["properties"]["command"]["const"] for b in starts))

    def test_bad_input_is_a_typed_error(self) -> None:
        with tempfile.TemporaryDirectory() as out:
            missing = os.path.join(out, "no-such-model")
            prompt = {"id": "p0", "messages": [{"role": "user", "content": "hi"}]}
            messages = self.run_worker("generate", {"model": missing, "prompts": [prompt], "out_dir": out, "device": "cpu"})
        self.assertEqual((messages[-1]["type"], messages[-1]["kind"]), ("error", "bad_input"))

    def test_unknown_command_is_a_typed_error(self) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "loophole_worker"],
            input=json.dumps({"type": "start", "command": "dance", "config": {}}) + "\n",
            check=False,
            capture_output=True,
            text=True,
            env=ENV,
            cwd=PYTHON_ROOT,
            timeout=120,
        )
        messages = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        for m in messages:
            self.assertEqual(problems("WorkerMessage", m), [], json.dumps(m))
        self.assertEqual(messages[-1]["kind"], "bad_input")


@unittest.skipIf(jsonschema is None, NEEDS_JSONSCHEMA)
@unittest.skipUnless(HAS_TRAINING, "needs torch, transformers and peft: pip install -r server/python/requirements-worker.txt")
class WorkerTrainingProtocolTest(WorkerRun):
    model: str
    tmp: tempfile.TemporaryDirectory

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory()
        cls.model = os.path.join(cls.tmp.name, "model")
        subprocess.run(
            [sys.executable, "-m", "loophole_worker", "make-model", "--out", cls.model, "--size", "tiny"],
            check=True,
            capture_output=True,
            env=ENV,
            cwd=PYTHON_ROOT,
            timeout=600,
        )

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def test_train_metrics_artifacts_and_result(self) -> None:
        data = os.path.join(self.tmp.name, "train.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for i in range(6):
                row = {
                    "messages": [
                        {"role": "user", "content": f"add {i} and 1"},
                        {"role": "assistant", "content": f"def f():\n    return {i + 1}\n"},
                    ]
                }
                f.write(json.dumps(row) + "\n")
            f.write("not a row\n")
        out = os.path.join(self.tmp.name, "train-out")
        config = {
            "model": self.model,
            "data": data,
            "out_dir": out,
            "device": "cpu",
            "max_steps": 2,
            "checkpoint_every": 1,
            "ema": {"decay": 0.9},
        }
        messages = self.run_worker("train", config)
        kinds = {m["type"] for m in messages}
        self.assertTrue({"metric", "artifact", "result"} <= kinds, kinds)
        self.assertEqual(messages[-1]["data"]["status"], "completed")

    def test_generate_samples_and_result(self) -> None:
        out = os.path.join(self.tmp.name, "generate-out")
        prompts = [
            {"id": f"p{i}", "messages": [{"role": "user", "content": "write add"}], "meta": {"variant": "neutral"}} for i in range(2)
        ]
        config = {"model": self.model, "prompts": prompts, "out_dir": out, "device": "cpu", "n": 2, "max_new_tokens": 4, "seed": 1}
        messages = self.run_worker("generate", config)
        self.assertEqual((messages[-1]["type"], messages[-1]["command"]), ("result", "generate"))
        lines = Path(messages[-1]["data"]["samples"]).read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 4)
        for line in lines:
            self.assertEqual(problems("WorkerSample", json.loads(line)), [], line[:400])

    def test_judge_ready_replies_and_result(self) -> None:
        chat = {"type": "chat", "id": "r1", "messages": [{"role": "user", "content": "Is this a hack?"}], "max_tokens": 4}
        broken = {"type": "chat", "id": "r2", "messages": []}
        config = {"model": self.model, "device": "cpu", "backend": "transformers", "max_new_tokens": 4}
        messages = self.run_worker("judge", config, requests=(chat, broken))
        replies = {m["id"]: m for m in messages if m["type"] == "reply"}
        self.assertIn("content", replies["r1"])
        self.assertIn("error", replies["r2"])
        self.assertEqual((messages[-1]["type"], messages[-1]["command"]), ("result", "judge"))


if __name__ == "__main__":
    unittest.main()
