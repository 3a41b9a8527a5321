"""Regenerates every golden fixture: /usr/bin/python3 tools/golden/generate_all.py

Each generator module has generate(root) -> [(relative path, size in bytes)]. Runs are
deterministic (fixed seeds, one thread), so regenerating leaves the files byte-identical.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_core  # noqa: E402
import gen_io  # noqa: E402
import gen_recurrent  # noqa: E402
import gen_attention  # noqa: E402

GENERATORS = [gen_io, gen_core, gen_recurrent, gen_attention]


def main():
    root = os.path.dirname(os.path.dirname(HERE))
    total = 0
    for gen in GENERATORS:
        for relpath, size in gen.generate(root):
            print(f"{size:8d}  {relpath}")
            total += size
    print(f"{total:8d}  total")


if __name__ == "__main__":
    main()
