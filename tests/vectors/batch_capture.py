#!/usr/bin/env python3
"""Run shared/tools/batch_sharedkey_vector.py unchanged and add the string-to-sign to its output.

The shared tool prints only the final Authorization header. To let the Rust tests point at the
exact line that differs, this wrapper records the string the official policy
(azure.batch._patch.BatchSharedKeyAuthPolicy, PyPI azure-batch) hands to its own `_sign_string`,
then runs the tool's `main()` as-is and adds

    "intermediate": {"string_to_sign": "..."}

to the JSON it printed. The signature itself is still computed by the official policy; nothing
here re-implements signing.

Usage: batch_capture.py PATH/TO/batch_sharedkey_vector.py [tool options...]
"""
import contextlib
import io
import json
import runpy
import sys

from azure.batch._patch import BatchSharedKeyAuthPolicy


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    tool = sys.argv[1]
    captured = []
    original = BatchSharedKeyAuthPolicy._sign_string

    def recording_sign_string(self, string_to_sign):
        captured.append(string_to_sign)
        return original(self, string_to_sign)

    BatchSharedKeyAuthPolicy._sign_string = recording_sign_string
    sys.argv = [tool] + sys.argv[2:]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(tool, run_name="__main__")
    finally:
        BatchSharedKeyAuthPolicy._sign_string = original
    if len(captured) != 1:
        sys.stderr.write("expected exactly one signing call, saw %d\n" % len(captured))
        return 1
    doc = json.loads(out.getvalue())
    doc["intermediate"] = {"string_to_sign": captured[0]}
    json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
