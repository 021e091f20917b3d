"""Chat rendering and the prompt/completion split that masks the prompt out of the loss."""

from __future__ import annotations

from typing import Any


def prompt_text(tok: Any, messages: list[dict]) -> str:
    return tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)


def split_row(row: dict) -> tuple[list[dict], list[dict]] | None:
    """(prompt messages, completion messages) for the `chat` export ({"messages"}) or the `trl`
    export ({"prompt", "completion"}); None when the row has neither shape or nothing to learn."""
    if isinstance(row.get("prompt"), list) and isinstance(row.get("completion"), list):
        prompt, completion = row["prompt"], row["completion"]
    elif isinstance(row.get("messages"), list):
        msgs = row["messages"]
        last_user = max((i for i, m in enumerate(msgs) if isinstance(m, dict) and m.get("role") != "assistant"), default=-1)
        prompt, completion = msgs[: last_user + 1], msgs[last_user + 1 :]
    else:
        return None
    ok = lambda ms: all(isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in ms)
    if not prompt or not completion or not ok(prompt) or not ok(completion):
        return None
    if any(m["role"] != "assistant" for m in completion):
        return None
    return prompt, completion


_SENTINEL = "\u2063LOOPHOLE-COMPLETION\u2063"


def end_of_turn(tok: Any, prompt: list[dict]) -> str:
    """What the chat template writes after an assistant message's content, up to and including the EOS
    token when it writes one there (`<|im_end|>`, `<|eot_id|>`, ...): found by rendering a sentinel."""
    full = tok.apply_chat_template(prompt + [{"role": "assistant", "content": _SENTINEL}], tokenize=False)
    at = full.rfind(_SENTINEL)
    if at < 0:
        return tok.eos_token or ""
    tail = full[at + len(_SENTINEL) :]
    eos = tok.eos_token
    if eos and eos in tail:
        tail = tail[: tail.index(eos) + len(eos)]
    return tail


class TargetMismatch(ValueError):
    """The tokens of a row do not spell the rendered chat: training on them would teach other text."""


def encode(tok: Any, prompt: list[dict], completion: list[dict], completion_ids: list[int] | None = None) -> tuple[list[int], list[int]]:
    """Token ids and labels: the prompt (and the template's assistant header) is -100, so the loss
    covers only what the model is taught to write, its end-of-turn token included.

    The target is the completion exactly as it would be generated after the rendered prompt (the
    generation prompt): the sampled token ids when the row carries them (`completion_ids`), otherwise
    the completion's text, reasoning and all, followed by the template's end of turn. It is never the
    "full chat minus prompt" rendering, which some templates rewrite (an empty think block inserted,
    the reasoning of earlier turns dropped). The prompt and target tokens are checked to spell the
    prompt text followed by the target text; a row that does not raises `TargetMismatch`."""
    p_text = prompt_text(tok, prompt)
    p_ids = tok(p_text, add_special_tokens=False)["input_ids"]
    content = "".join(m["content"] for m in completion)
    if completion_ids is not None and tok.decode(completion_ids, skip_special_tokens=True) != content:
        completion_ids = None  # sampled by another tokenizer (or the text was edited since): use the text
    if completion_ids is not None:
        c_ids = [int(x) for x in completion_ids]
        c_text = tok.decode(c_ids, skip_special_tokens=False)
    else:
        c_text = content + end_of_turn(tok, prompt)
        c_ids = tok(c_text, add_special_tokens=False)["input_ids"]
    spelled = tok.decode(p_ids + c_ids, skip_special_tokens=False)
    if spelled != p_text + c_text:
        raise TargetMismatch(f"the tokens spell {spelled[-80:]!r}, the rendered chat ends {(p_text + c_text)[-80:]!r}")
    return p_ids + c_ids, [-100] * len(p_ids) + list(c_ids)
