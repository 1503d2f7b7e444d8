"""A task for the worker tests: it leaves a file when it starts, then takes its time."""

import time
from pathlib import Path

from django_tasks import task


@task()
def nap(seconds: float, marker: str) -> str:
    Path(marker).write_text("started")
    time.sleep(seconds)
    return "rested"
