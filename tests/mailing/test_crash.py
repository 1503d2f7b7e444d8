"""A worker killed with SIGKILL in the middle of a send, then restarted, in real processes.

Every recipient must receive the edition; duplicates may only be messages that were in flight
when the worker died, at most one per SMTP connection.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter


from partnerpost.audience.demo import READERS
from tests.conftest import SmtpSink

RECIPIENTS = 300
CONNECTIONS = 3
#: `demo load` brings its own confirmed readers, who get the edition too.
DEMO_READERS = {line.split(",")[0] for line in READERS.splitlines()[1:] if line}


def _env(tmp_path, port):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMAIL_URL"}}
    env.update({
        "PARTNERPOST_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/crash.sqlite3",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}", "MAILING_CONNECTIONS": str(CONNECTIONS), "MAILING_BATCH": "10",
        "MAILING_LEASE_SECONDS": "3", "MAILING_RETRY_SECONDS": "0",
    })
    return env


def _run(args, env):
    result = subprocess.run([sys.executable, "-m", "partnerpost", *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_sigkill_mid_send_loses_nobody_and_duplicates_within_bound(tmp_path):
    sink = SmtpSink()
    sink.delay = 0.01  # a slow server, so the kill lands mid-send
    sink.start()
    try:
        env = _env(tmp_path, sink.port)
        quiet = {**env, "EMAIL_URL": "outbox:"}  # the demo's editorial notifications are not part of this test
        _run(["migrate", "--noinput"], quiet)
        _run(["demo", "load"], quiet)
        csv_path = tmp_path / "readers.csv"
        csv_path.write_text("email\n" + "".join(f"reader{n}@example.org\n" for n in range(RECIPIENTS)))
        _run(["subscribers", "import", str(csv_path), "--confirmed", "--statement", "Test readers"], env)
        assert f"{RECIPIENTS + len(DEMO_READERS)} deliveries queued" in _run(["send", "--latest"], env).stdout

        worker = subprocess.Popen([sys.executable, "-m", "partnerpost", "worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while len(sink.messages) < RECIPIENTS // 3:
            assert worker.poll() is None, worker.stdout.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker sent too little before the deadline"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        received_at_kill = len(sink.messages)

        _run(["worker", "--until-idle"], env)
        counts = Counter(to[0] for to, _ in sink.messages)
        assert set(counts) == {f"reader{n}@example.org" for n in range(RECIPIENTS)} | DEMO_READERS, "a recipient was lost"
        duplicates = sum(counts.values()) - RECIPIENTS - len(DEMO_READERS)
        print(f"\ncrash test: killed after {received_at_kill} of {RECIPIENTS} messages; duplicates {duplicates} (bound {CONNECTIONS})")
        assert duplicates <= CONNECTIONS
        ids = Counter(message["Message-ID"] for _, message in sink.messages)
        assert sum(n - 1 for n in ids.values()) == duplicates  # every duplicate is recognisable by its Message-ID
    finally:
        sink.stop()
