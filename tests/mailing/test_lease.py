"""A batch that takes longer than its lease is not taken up by another worker while the first still
sends it: live workers renew their leases, and every write is fenced by the claim's token."""

import os
import re
import subprocess
import sys
from collections import Counter

from tests.conftest import SmtpSink

RECIPIENTS = 110  # not a multiple of the batches in flight: some connections run dry early and look for expired leases


def _run(args, env):
    result = subprocess.run([sys.executable, "-m", "partnerpost", *args], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_a_slow_send_outliving_its_lease_sends_nobody_twice(tmp_path):
    sink = SmtpSink()
    sink.delay = 0.1  # 100 ms per message: a batch of 50 takes 5 s, the lease is 2 s
    sink.start()
    try:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMAIL_URL"}}
        env.update({
            "PARTNERPOST_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/lease.sqlite3",
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "MAILING_CONNECTIONS": "2", "MAILING_BATCH": "50",
            "MAILING_LEASE_SECONDS": "2", "MAILING_RETRY_SECONDS": "0",
        })
        quiet = {**env, "EMAIL_URL": "outbox:"}
        _run(["migrate", "--noinput"], quiet)
        _run(["demo", "load"], quiet)
        csv_path = tmp_path / "readers.csv"
        csv_path.write_text("email\n" + "".join(f"reader{n}@example.org\n" for n in range(RECIPIENTS)))
        _run(["subscribers", "import", str(csv_path), "--confirmed", "--statement", "Test readers"], quiet)
        # The readers, and the demo's own confirmed subscribers.
        queued = int(re.search(r"(\d+) deliveries queued", _run(["send", "--latest"], quiet).stdout).group(1))
        assert queued >= RECIPIENTS
        # Two worker processes of two connections each compete for the send.
        workers = [subprocess.Popen([sys.executable, "-m", "partnerpost", "worker", "--until-idle"], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [w.communicate(timeout=300)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
    finally:
        sink.stop()
    counts = Counter(to[0] for to, _ in sink.messages)
    assert {f"reader{n}@example.org" for n in range(RECIPIENTS)} <= set(counts) and len(counts) == queued
    assert sorted(Counter(counts.values()).items()) == [(1, queued)], "somebody received the edition twice"
