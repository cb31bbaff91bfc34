"""Real-browser tests of the client (client/hmr-client.js) against the real hmrd binary.

This file makes `browser` a package. Without it, this folder's conftest.py and the
one in Tests/integration would both be imported as the top-level module `conftest`,
and the `from conftest import ...` lines of the tests one level up would get the wrong
one. With it, `conftest` stays the parent harness and this folder's is
`browser.conftest`.

Modules in this folder are also made importable by their bare names (appended, so
`conftest` keeps resolving to the parent harness).
"""

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.append(_here)
