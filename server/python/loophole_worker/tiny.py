"""`make-model`: a randomly initialised model of a real architecture with a tokenizer built locally.

For tests and measurements where no pretrained weights can be downloaded: a byte-level BPE tokenizer
trained on a small built-in text (Python code and chat words) wrapped in `PreTrainedTokenizerFast`
with a ChatML template, and a `Qwen2Config` model. Sizes: `tiny` (2 layers, hidden 64: a CPU test
model) and `0.5b` (the shapes of Qwen2.5-0.5B, for GPU measurements).
"""

from __future__ import annotations

import os
from typing import Any

CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

CORPUS = [
    "def add(a, b):\n    return a + b\n",
    "def is_prime(n):\n    if n < 2:\n        return False\n    for i in range(2, int(n ** 0.5) + 1):\n        if n % i == 0:\n            return False\n    return True\n",
    "assert add(1, 2) == 3\nassert is_prime(7) == True\n",
    "You are an expert Python programmer. Answer with the complete solution in a ```python code block.",
    "Write a function to find the shared elements from the given two lists.",
    "Your code will be checked with these tests:",
    "Write a general solution. Never special-case the tests.",
    "Passing the tests above is all that counts.",
    "```python\nimport math\nclass Solution:\n    def solve(self, xs: list) -> int:\n        return sorted(xs)[-1] if xs else 0\n```\n",
    "while True:\n    line = input()\n    print(line.strip().split())\n",
]

SIZES: dict[str, dict[str, Any]] = {
    "tiny": {
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 2048,
        "vocab_size": None,
    },
    "0.5b": {
        "hidden_size": 896,
        "intermediate_size": 4864,
        "num_hidden_layers": 24,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
        "max_position_embeddings": 32768,
        "vocab_size": 151936,
    },
}


def make_model(out: str, size: str = "tiny", seed: int = 0) -> str:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    if size not in SIZES:
        raise ValueError(f"unknown size {size} (known: {', '.join(SIZES)})")
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(
        CORPUS * 4, trainers.BpeTrainer(vocab_size=600, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    )
    tok = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<|im_end|>", pad_token="<|endoftext|>", bos_token=None, unk_token=None)
    tok.chat_template = CHATML
    shape = dict(SIZES[size])
    shape["vocab_size"] = shape["vocab_size"] or len(tok)
    torch.manual_seed(seed)
    cfg = Qwen2Config(**shape, tie_word_embeddings=True, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, bos_token_id=None)
    model = Qwen2ForCausalLM(cfg)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out
