"""Chat rendering and the prompt/completion split that masks the prompt out of the loss."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple


def prompt_text(tok: Any, messages: List[dict]) -> str:
    return tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def split_row(row: dict) -> Optional[Tuple[List[dict], List[dict]]]:
    """(prompt messages, completion messages) for the `chat` export ({"messages"}) or the `trl`
    export ({"prompt", "completion"}); None when the row has neither shape or nothing to learn."""
    if isinstance(row.get("prompt"), list) and isinstance(row.get("completion"), list):
        prompt, completion = row["prompt"], row["completion"]
    elif isinstance(row.get("messages"), list):
        msgs = row["messages"]
        last_user = max((i for i, m in enumerate(msgs) if isinstance(m, dict) and m.get("role") != "assistant"), default=-1)
        prompt, completion = msgs[: last_user + 1], msgs[last_user + 1:]
    else:
        return None
    ok = lambda ms: all(isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in ms)
    if not prompt or not completion or not ok(prompt) or not ok(completion):
        return None
    if any(m["role"] != "assistant" for m in completion):
        return None
    return prompt, completion


def encode(tok: Any, prompt: List[dict], completion: List[dict]) -> Tuple[List[int], List[int]]:
    """Token ids and labels: the prompt (and the template's assistant header) is -100, so the loss
    covers only what the model is taught to write, its end-of-turn token included."""
    p_text = prompt_text(tok, prompt)
    full = tok.apply_chat_template(prompt + completion, tokenize=False)
    if full.startswith(p_text):
        c_text = full[len(p_text):]
    else:  # templates that rewrite earlier turns: fall back to the completion plus EOS
        c_text = "".join(m["content"] for m in completion) + (tok.eos_token or "")
    p_ids = tok(p_text, add_special_tokens=False)["input_ids"]
    c_ids = tok(c_text, add_special_tokens=False)["input_ids"]
    return p_ids + c_ids, [-100] * len(p_ids) + list(c_ids)
