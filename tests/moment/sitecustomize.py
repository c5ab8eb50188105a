"""Run at the start of every Python process the test suite starts (conftest puts this
folder on PYTHONPATH): the clock of a setguide started in a subprocess or a pty stands at
SETGUIDE_TEST_MOMENT (an aware London time, set by conftest), moving on from there, so no
such run depends on the day the suite runs. A test that needs another moment gives `--at`."""

import os

_MOMENT = os.environ.get("SETGUIDE_TEST_MOMENT")
if _MOMENT:
    from datetime import datetime

    from freezegun import freeze_time

    freeze_time(datetime.fromisoformat(_MOMENT), tick=True, real_asyncio=True).start()
