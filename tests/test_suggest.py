"""Did-you-mean gives the same suggestion in every process, whatever its string hashing."""

import subprocess
import sys

SCRIPT = """
from dangjian.text.suggest import Suggester
ids = [f"place-{i}" for i in range(6000) if i not in (1472, 3472, 5472)]
s = Suggester(ids)
print(s.nearest("place-3472"), s.nearest("place-5472"), s.nearest("place-1472"))
"""


def test_suggestion_does_not_depend_on_hash_seed():
    answers = {subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in range(1, 7)}
    assert len(answers) == 1, answers
