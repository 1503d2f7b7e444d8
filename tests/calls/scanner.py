"""A real virus-scan hook for the tests: refuses any file that holds the EICAR test string."""

EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def scan(upload):
    data = upload.read()
    return "the EICAR test signature was found." if EICAR in data else None
