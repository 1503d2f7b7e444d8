"""Demo subscribers, so that a send from the desk (or `partnerpost send --latest --wait`) has readers to
reach: a few confirmed people in the network's languages, brought in through the same import as a real
list, with the operator's statement of consent. Safe to run twice: a known address is merged, not added."""

import io

from .workflows import import_csv

STATEMENT = "Demo readers made up for trying Partnerpost; none of these addresses exists."

READERS = """email,name,language,organization,country
lucia.mora@example.org,Lucía Mora,es,Ministerio de Hacienda,CR
jean.dubois@example.org,Jean Dubois,fr,École nationale d'administration publique,
amina.haddad@example.org,Amina Haddad,ar,Institute of Public Administration,JO
li.wei@example.org,Li Wei,zh-hans,National Academy of Governance,
olga.petrova@example.org,Olga Petrova,ru,Academy of Public Administration,
sam.okafor@example.org,Sam Okafor,en,Public Service Institute,NG
maria.santos@example.org,Maria Santos,en,Department of Budget and Management,PH
"""


def load(log=print) -> int:
    """Import the demo readers, confirmed; returns how many were new."""
    report = import_csv(io.StringIO(READERS), confirmed=True, statement=STATEMENT)
    if report.errors:
        raise ValueError(f"demo readers: {report.errors}")
    log(f"Demo subscribers: {report.created} added, {report.merged} already there.")
    return report.created
