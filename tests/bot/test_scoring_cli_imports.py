"""Every `dmql` command imports the scoring CLI; it must stay cheap to import.

pandas, scikit-learn and matplotlib took 5.5 of the 7 s `import bot.cli`
cost, paid by `dmql rescore` and `dmql run` too. The figure itself is
measured with `python -X importtime`; this checks the cause stays away.
"""

from __future__ import annotations

import subprocess
import sys

from bot.settings import PROJECT_ROOT

HEAVY = ("pandas", "sklearn", "matplotlib", "scipy")


def test_importing_the_cli_loads_no_data_science_library() -> None:
    probe = (
        "import sys, bot.cli; "
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert found.stdout.strip() == ""
