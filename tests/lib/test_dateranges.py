"""Table-driven tests for partnerpost.lib.dateranges (the date grammar used by the newsletter importer)."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from partnerpost.lib import dateranges
from partnerpost.lib.dateranges import DateHit, Period, find_dates, find_period, parse_date_expression

SAMPLE = Path("/work/shared/seed/partners-newsletter-2020-q4.md")

# The periods the rows below are read against.
Q4_2020 = Period(date(2020, 10, 1), date(2020, 12, 31), "October - November - December 2020", (0, 34))
WINTER = Period(date(2020, 12, 1), date(2021, 2, 28), "Winter 2020", (0, 11))
PERIODS = {"q4": Q4_2020, "winter": WINTER, None: None}


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def every(first: str, last: str) -> tuple[date, ...]:
    start, end = d(first), d(last)
    return tuple(start + timedelta(n) for n in range((end - start).days + 1))


def days(*isos: str) -> tuple[date, ...]:
    return tuple(d(x) for x in isos)


# (input, period key, matched text, start, end, days, precision, time, end_time, timezone, year_inferred)
ROWS = [
    # --- single days
    ("14 December 2020", None, "14 December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("December 14, 2020", None, "December 14, 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("14th of December 2020", None, "14th of December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("Monday, 14 December 2020", None, "Monday, 14 December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("Monday, December 14, 2020", None, "Monday, December 14, 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("Monday the 14th of December 2020", None, "Monday the 14th of December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("14.12.2020", None, "14.12.2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("2020-12-14", None, "2020-12-14", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    # numeric dates are day first ...
    ("14/12/2020", None, "14/12/2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("03/04/2021", None, "03/04/2021", "2021-04-03", "2021-04-03", days("2021-04-03"), "day", None, None, None, False),
    # ... unless only month first makes sense
    ("12/14/2020", None, "12/14/2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("14-Dec-2020", None, "14-Dec-2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("Nov. 14, 2020", None, "Nov. 14, 2020", "2020-11-14", "2020-11-14", days("2020-11-14"), "day", None, None, None, False),
    ("Sept 14, 2020", None, "Sept 14, 2020", "2020-09-14", "2020-09-14", days("2020-09-14"), "day", None, None, None, False),
    ("14 Sept. 2020", None, "14 Sept. 2020", "2020-09-14", "2020-09-14", days("2020-09-14"), "day", None, None, None, False),
    ("on the 1st of March 2021", None, "1st of March 2021", "2021-03-01", "2021-03-01", days("2021-03-01"), "day", None, None, None, False),
    ("2nd June 2021", None, "2nd June 2021", "2021-06-02", "2021-06-02", days("2021-06-02"), "day", None, None, None, False),
    ("June 23rd, 2021", None, "June 23rd, 2021", "2021-06-23", "2021-06-23", days("2021-06-23"), "day", None, None, None, False),
    ("DECEMBER 14, 2020", None, "DECEMBER 14, 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("november 3, 2020", None, "november 3, 2020", "2020-11-03", "2020-11-03", days("2020-11-03"), "day", None, None, None, False),
    ("14\u00a0December\u00a02020", None, "14\u00a0December\u00a02020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("14\u202fDec\u2009 2020", None, "14\u202fDec\u2009 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("held on\n14\nDecember 2020", None, "14\nDecember 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("December 14", "q4", "December 14", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, True),
    ("the 4th of December", "q4", "4th of December", "2020-12-04", "2020-12-04", days("2020-12-04"), "day", None, None, None, True),
    ("29 February 2020", None, "29 February 2020", "2020-02-29", "2020-02-29", days("2020-02-29"), "day", None, None, None, False),
    # --- years taken from the period, including across New Year
    ("15 January", "q4", "15 January", "2021-01-15", "2021-01-15", days("2021-01-15"), "day", None, None, None, True),
    ("28 September", "q4", "28 September", "2020-09-28", "2020-09-28", days("2020-09-28"), "day", None, None, None, True),
    ("10 January", "winter", "10 January", "2021-01-10", "2021-01-10", days("2021-01-10"), "day", None, None, None, True),
    ("15 December", "winter", "15 December", "2020-12-15", "2020-12-15", days("2020-12-15"), "day", None, None, None, True),
    ("March 3", "winter", "March 3", "2021-03-03", "2021-03-03", days("2021-03-03"), "day", None, None, None, True),
    ("November 20", "winter", "November 20", "2020-11-20", "2020-11-20", days("2020-11-20"), "day", None, None, None, True),
    ("28 December - 4 January", "winter", "28 December - 4 January", "2020-12-28", "2021-01-04", every("2020-12-28", "2021-01-04"), "day", None, None, None, True),
    ("December 30 - January 2", "q4", "December 30 - January 2", "2020-12-30", "2021-01-02", every("2020-12-30", "2021-01-02"), "day", None, None, None, True),
    # --- ranges
    ("24 to 26 November", "q4", "24 to 26 November", "2020-11-24", "2020-11-26", every("2020-11-24", "2020-11-26"), "day", None, None, None, True),
    ("24-26 November 2020", None, "24-26 November 2020", "2020-11-24", "2020-11-26", every("2020-11-24", "2020-11-26"), "day", None, None, None, False),
    ("14-15 December 2020", None, "14-15 December 2020", "2020-12-14", "2020-12-15", days("2020-12-14", "2020-12-15"), "day", None, None, None, False),
    ("1 - 3 March 2021", None, "1 - 3 March 2021", "2021-03-01", "2021-03-03", every("2021-03-01", "2021-03-03"), "day", None, None, None, False),
    ("May 20 - 22", "q4", "May 20 - 22", "2020-05-20", "2020-05-22", every("2020-05-20", "2020-05-22"), "day", None, None, None, True),
    ("May 20-22, 2021", None, "May 20-22, 2021", "2021-05-20", "2021-05-22", every("2021-05-20", "2021-05-22"), "day", None, None, None, False),
    ("May 20 to 22, 2021", None, "May 20 to 22, 2021", "2021-05-20", "2021-05-22", every("2021-05-20", "2021-05-22"), "day", None, None, None, False),
    ("30 April-11 May", "q4", "30 April-11 May", "2021-04-30", "2021-05-11", every("2021-04-30", "2021-05-11"), "day", None, None, None, True),
    ("30 April - 11 May 2021", None, "30 April - 11 May 2021", "2021-04-30", "2021-05-11", every("2021-04-30", "2021-05-11"), "day", None, None, None, False),
    ("September 30 \u2013 October 4, 2013", None, "September 30 \u2013 October 4, 2013", "2013-09-30", "2013-10-04", every("2013-09-30", "2013-10-04"), "day", None, None, None, False),
    ("September 30 \u2014 October 4, 2013", None, "September 30 \u2014 October 4, 2013", "2013-09-30", "2013-10-04", every("2013-09-30", "2013-10-04"), "day", None, None, None, False),
    ("September 30 - October 4, 2013", None, "September 30 - October 4, 2013", "2013-09-30", "2013-10-04", every("2013-09-30", "2013-10-04"), "day", None, None, None, False),
    ("from 2 to 4 May 2021", None, "from 2 to 4 May 2021", "2021-05-02", "2021-05-04", every("2021-05-02", "2021-05-04"), "day", None, None, None, False),
    ("from 30 April to 11 May 2021", None, "from 30 April to 11 May 2021", "2021-04-30", "2021-05-11", every("2021-04-30", "2021-05-11"), "day", None, None, None, False),
    ("between 2 and 4 May", "q4", "between 2 and 4 May", "2021-05-02", "2021-05-04", every("2021-05-02", "2021-05-04"), "day", None, None, None, True),
    ("between 2 May and 4 June 2021", None, "between 2 May and 4 June 2021", "2021-05-02", "2021-06-04", every("2021-05-02", "2021-06-04"), "day", None, None, None, False),
    ("2 December 2020 - 5 January 2021", None, "2 December 2020 - 5 January 2021", "2020-12-02", "2021-01-05", every("2020-12-02", "2021-01-05"), "day", None, None, None, False),
    ("30 December 2020 - 2 January", None, "30 December 2020 - 2 January", "2020-12-30", "2021-01-02", every("2020-12-30", "2021-01-02"), "day", None, None, None, False),
    ("Brasilia, 2-4 May", "q4", "2-4 May", "2021-05-02", "2021-05-04", every("2021-05-02", "2021-05-04"), "day", None, None, None, True),
    ("from 02 to 06 November", "q4", "from 02 to 06 November", "2020-11-02", "2020-11-06", every("2020-11-02", "2020-11-06"), "day", None, None, None, True),
    ("Nov 30-Dec 2, 2020", None, "Nov 30-Dec 2, 2020", "2020-11-30", "2020-12-02", every("2020-11-30", "2020-12-02"), "day", None, None, None, False),
    ("30 Nov.-2 Dec. 2020", None, "30 Nov.-2 Dec. 2020", "2020-11-30", "2020-12-02", every("2020-11-30", "2020-12-02"), "day", None, None, None, False),
    ("9th-17th November 2020", None, "9th-17th November 2020", "2020-11-09", "2020-11-17", every("2020-11-09", "2020-11-17"), "day", None, None, None, False),
    ("from 1 until 3 December 2020", None, "from 1 until 3 December 2020", "2020-12-01", "2020-12-03", every("2020-12-01", "2020-12-03"), "day", None, None, None, False),
    # a range of more than 62 days does not list its days
    ("1 January - 31 March 2021", None, "1 January - 31 March 2021", "2021-01-01", "2021-03-31", (), "day", None, None, None, False),
    ("1 January - 3 March 2021", None, "1 January - 3 March 2021", "2021-01-01", "2021-03-03", every("2021-01-01", "2021-03-03"), "day", None, None, None, False),
    # --- separate days
    ("3 & 5 November 2020", None, "3 & 5 November 2020", "2020-11-03", "2020-11-05", days("2020-11-03", "2020-11-05"), "day", None, None, None, False),
    ("3 and 5 November", "q4", "3 and 5 November", "2020-11-03", "2020-11-05", days("2020-11-03", "2020-11-05"), "day", None, None, None, True),
    ("3, 5 and 7 November 2020", None, "3, 5 and 7 November 2020", "2020-11-03", "2020-11-07", days("2020-11-03", "2020-11-05", "2020-11-07"), "day", None, None, None, False),
    ("November 3 & 5, 2020", None, "November 3 & 5, 2020", "2020-11-03", "2020-11-05", days("2020-11-03", "2020-11-05"), "day", None, None, None, False),
    ("on 3rd and 4th March 2021", None, "3rd and 4th March 2021", "2021-03-03", "2021-03-04", days("2021-03-03", "2021-03-04"), "day", None, None, None, False),
    # --- months and quarters
    ("November 2020", None, "November 2020", "2020-11-01", "2020-11-30", (), "month", None, None, None, False),
    ("Nov. 2020", None, "Nov. 2020", "2020-11-01", "2020-11-30", (), "month", None, None, None, False),
    ("February, 2024", None, "February, 2024", "2024-02-01", "2024-02-29", (), "month", None, None, None, False),
    ("November 2020 \u2013 March 2021", None, "November 2020 \u2013 March 2021", "2020-11-01", "2021-03-31", (), "month", None, None, None, False),
    ("October\u2013December 2020", None, "October\u2013December 2020", "2020-10-01", "2020-12-31", (), "month", None, None, None, False),
    ("Oct-Dec 2020", None, "Oct-Dec 2020", "2020-10-01", "2020-12-31", (), "month", None, None, None, False),
    ("in April/May 2020", None, "April/May 2020", "2020-04-01", "2020-05-31", (), "month", None, None, None, False),
    ("from October 2019 until 15 October 2020", None, "from October 2019 until 15 October 2020", "2019-10-01", "2020-10-15", (), "month", None, None, None, False),
    ("from March to June 2020", None, "from March to June 2020", "2020-03-01", "2020-06-30", (), "month", None, None, None, False),
    ("held in October", "q4", "October", "2020-10-01", "2020-10-31", (), "month", None, None, None, True),
    ("by mid-January", "q4", "January", "2021-01-01", "2021-01-31", (), "month", None, None, None, True),
    ("Q1 2021", None, "Q1 2021", "2021-01-01", "2021-03-31", (), "quarter", None, None, None, False),
    ("first quarter of 2021", None, "first quarter of 2021", "2021-01-01", "2021-03-31", (), "quarter", None, None, None, False),
    ("4th Quarter 2020", None, "4th Quarter 2020", "2020-10-01", "2020-12-31", (), "quarter", None, None, None, False),
    ("2021 Q3", None, "2021 Q3", "2021-07-01", "2021-09-30", (), "quarter", None, None, None, False),
    ("Q4 2020 - Q1 2021", None, "Q4 2020 - Q1 2021", "2020-10-01", "2021-03-31", (), "quarter", None, None, None, False),
    ("segundo trimestre de 2021", None, "segundo trimestre de 2021", "2021-04-01", "2021-06-30", (), "quarter", None, None, None, False),
    # --- times and time zones
    ("Date: October 30, 2020. 4:00 pm (UTC -6)", None, "October 30, 2020. 4:00 pm (UTC -6)", "2020-10-30", "2020-10-30", days("2020-10-30"), "day", time(16, 0), None, "UTC-06:00", False),
    ("14 December 2020, 10:00\u201312:00 CET", None, "14 December 2020, 10:00\u201312:00 CET", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(10), time(12), "UTC+01:00", False),
    ("14 December 2020 (10:00-12:00 CEST)", None, "14 December 2020 (10:00-12:00 CEST)", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(10), time(12), "UTC+02:00", False),
    ("14 December 2020 from 10:00 to 12:00 (GMT)", None, "14 December 2020 from 10:00 to 12:00 (GMT)", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(10), time(12), "UTC+00:00", False),
    ("3 December 2020, 10:00 UTC", None, "3 December 2020, 10:00 UTC", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(10), None, "UTC+00:00", False),
    ("3 December 2020, 9am EST", None, "3 December 2020, 9am EST", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(9), None, "UTC-05:00", False),
    ("3 December 2020, 3 p.m. EDT", None, "3 December 2020, 3 p.m. EDT", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(15), None, "UTC-04:00", False),
    ("3 December 2020, 3 p.m. CST", None, "3 December 2020, 3 p.m. CST", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(15), None, "UTC-06:00", False),
    ("3 December 2020, 8:30 am PST", None, "3 December 2020, 8:30 am PST", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(8, 30), None, "UTC-08:00", False),
    ("3 December 2020, 4pm EAT", None, "3 December 2020, 4pm EAT", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(16), None, "UTC+03:00", False),
    ("3 December 2020, 2 p.m. IST", None, "3 December 2020, 2 p.m. IST", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(14), None, "UTC+05:30", False),
    ("3 December 2020, 11:00 BST", None, "3 December 2020, 11:00 BST", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(11), None, "UTC+01:00", False),
    ("14 December 2020, 4:00 pm GMT+1", None, "14 December 2020, 4:00 pm GMT+1", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(16), None, "UTC+01:00", False),
    ("14 December 2020, 4:00 pm UTC+05:30", None, "14 December 2020, 4:00 pm UTC+05:30", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(16), None, "UTC+05:30", False),
    ("15 October 2020 at 9 a.m. (New York time)", None, "15 October 2020 at 9 a.m. (New York time)", "2020-10-15", "2020-10-15", days("2020-10-15"), "day", time(9), None, None, False),
    ("14 December 2020 at 15h00", None, "14 December 2020 at 15h00", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(15), None, None, False),
    ("14 December 2020, 15.00 hrs", None, "14 December 2020, 15.00 hrs", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(15), None, None, False),
    ("14 December 2020, 10-11 am", None, "14 December 2020, 10-11 am", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(10), time(11), None, False),
    ("14 December 2020, 11 - 1 pm", None, "14 December 2020, 11 - 1 pm", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(11), time(13), None, False),
    ("Thursday, 3 December 2020 | 14:00 \u2013 15:30 CET", None, "Thursday, 3 December 2020 | 14:00 \u2013 15:30 CET", "2020-12-03", "2020-12-03", days("2020-12-03"), "day", time(14), time(15, 30), "UTC+01:00", False),
    ("At 10:00 CET on 14 December 2020", None, "10:00 CET on 14 December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(10), None, "UTC+01:00", False),
    ("17:00-18:30 (CET) on Monday 14 December", "q4", "17:00-18:30 (CET) on Monday 14 December", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(17), time(18, 30), "UTC+01:00", True),
    ("14.12.2020 10:00", None, "14.12.2020 10:00", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(10), None, None, False),
    ("14-15 December 2020, 09:30 GMT", None, "14-15 December 2020, 09:30 GMT", "2020-12-14", "2020-12-15", days("2020-12-14", "2020-12-15"), "day", time(9, 30), None, "UTC+00:00", False),
    # a number after the date that is no clock time stays out of the match
    ("14 December 2020. 15 participants", None, "14 December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("14 December 2020, 2 hrs", None, "14 December 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    # --- Spanish, French, Portuguese
    ("del 24 al 26 de noviembre de 2020", None, "del 24 al 26 de noviembre de 2020", "2020-11-24", "2020-11-26", every("2020-11-24", "2020-11-26"), "day", None, None, None, False),
    ("24 de noviembre de 2020", None, "24 de noviembre de 2020", "2020-11-24", "2020-11-24", days("2020-11-24"), "day", None, None, None, False),
    ("3 y 5 de noviembre", "q4", "3 y 5 de noviembre", "2020-11-03", "2020-11-05", days("2020-11-03", "2020-11-05"), "day", None, None, None, True),
    ("Fecha límite de matrícula: 13 de noviembre.", "q4", "13 de noviembre", "2020-11-13", "2020-11-13", days("2020-11-13"), "day", None, None, None, True),
    ("entre el 2 y el 4 de mayo de 2021", None, "entre el 2 y el 4 de mayo de 2021", "2021-05-02", "2021-05-04", every("2021-05-02", "2021-05-04"), "day", None, None, None, False),
    ("lunes 14 de diciembre de 2020", None, "lunes 14 de diciembre de 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("14 de diciembre de 2020, 15:00 horas (hora de Costa Rica)", None, "14 de diciembre de 2020, 15:00 horas (hora de Costa Rica)", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(15), None, None, False),
    ("14 de diciembre de 2020 a las 15 horas", None, "14 de diciembre de 2020 a las 15 horas", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(15), None, None, False),
    ("Octubre - Diciembre 2020", None, "Octubre - Diciembre 2020", "2020-10-01", "2020-12-31", (), "month", None, None, None, False),
    ("du 3 au 5 novembre 2020", None, "du 3 au 5 novembre 2020", "2020-11-03", "2020-11-05", every("2020-11-03", "2020-11-05"), "day", None, None, None, False),
    ("le 14 décembre 2020", None, "14 décembre 2020", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", None, None, None, False),
    ("1er décembre 2020", None, "1er décembre 2020", "2020-12-01", "2020-12-01", days("2020-12-01"), "day", None, None, None, False),
    ("le 14 decembre 2020 à 14h30", None, "14 decembre 2020 à 14h30", "2020-12-14", "2020-12-14", days("2020-12-14"), "day", time(14, 30), None, None, False),
    ("15 août 2021", None, "15 août 2021", "2021-08-15", "2021-08-15", days("2021-08-15"), "day", None, None, None, False),
    ("de 2 a 4 de maio de 2021", None, "de 2 a 4 de maio de 2021", "2021-05-02", "2021-05-04", every("2021-05-02", "2021-05-04"), "day", None, None, None, False),
    ("3 e 5 de março de 2021", None, "3 e 5 de março de 2021", "2021-03-03", "2021-03-05", days("2021-03-03", "2021-03-05"), "day", None, None, None, False),
    ("5 out. 2020", None, "5 out. 2020", "2020-10-05", "2020-10-05", days("2020-10-05"), "day", None, None, None, False),
    # --- the date is found inside other text, and other numbers are left alone
    ("COVID-19 and 20 March 2020", None, "20 March 2020", "2020-03-20", "2020-03-20", days("2020-03-20"), "day", None, None, None, False),
    ("see ISBN 978-92-1-123456-7, published 3 May 2021", None, "3 May 2021", "2021-05-03", "2021-05-03", days("2021-05-03"), "day", None, None, None, False),
    ("the 2030 Agenda, adopted on 25 September 2015", None, "25 September 2015", "2015-09-25", "2015-09-25", days("2015-09-25"), "day", None, None, None, False),
]  # fmt: skip

# Text with no event date in it, even with a period to lend a year.
NOT_DATES = [
    "ISBN 978-92-1-123456-7",
    "ISSN 1020-5500",
    "No. 2020-14",
    "Tel: +41 22 917 12 34",
    "Phone: +1 212 963 1234",
    "call (212) 963-1234",
    "COVID-19",
    "COVID-19 pandemic 2020",
    "Agenda 2030",
    "the 2030 Agenda for Sustainable Development",
    "2021 United Nations Public Service Awards",
    "SDG 16",
    "SDG 16 may apply",
    "page 12",
    "10-12 participants",
    "https://www.nispa.org/conference2021/2020-12-14",
    "www.example.org/events/14-12-2020",
    "eropa.co/eropa-bulletin.html",
    "mail info@example.org 2020",
    "31 November 2020",
    "30 February",
    "29 February 2021",
    "31.11.2020",
    "14.13.2020",
    "5 out of 10 countries",
    "5 out. Then",
    "3 mar. we",
    "the 15th",
    "2019-2020 report",
    "we set 2020 as the target",
    "this may 20 be",
    "the March for Science",
    "the 29th NISPAcee Annual Conference 2021",
    "the United Nations' 75th-anniversary celebration",
    "Inversión total $50, Duración total 6 horas. Sesiones: 4.",
    "1. Information sharing, 2. E-participation",
    "during this 7-day phase",
    "v1.12.2020",
]


def _row_id(row):
    return row[0][:40]


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_date_expression(row):
    text, period_key, matched, start, end, named_days, precision, t, t_end, zone, inferred = row
    hits = find_dates(text, period=PERIODS[period_key])
    assert len(hits) == 1, hits
    hit = hits[0]
    assert hit.text == matched
    assert text[hit.span[0] : hit.span[1]] == hit.text
    assert (hit.start, hit.end) == (d(start), d(end))
    assert hit.days == named_days
    assert hit.precision == precision
    assert (hit.time, hit.end_time, hit.timezone) == (t, t_end, zone)
    assert hit.year_inferred is inferred
    assert 0 < hit.confidence <= 1


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text):
    assert find_dates(text, period=Q4_2020) == []


# (text, start, end, label) -- label None means no period at all
PERIOD_ROWS = [
    ("UNPAN Partners' Newsletter October - November - December 2020", "2020-10-01", "2020-12-31", "October - November - December 2020"),
    ("Newsletter October\u2013December 2020", "2020-10-01", "2020-12-31", "October\u2013December 2020"),
    ("Oct-Dec 2020 issue", "2020-10-01", "2020-12-31", "Oct-Dec 2020"),
    ("Bulletin\nMay 2007\nNews", "2007-05-01", "2007-05-31", "May 2007"),
    ("Q1 2019 newsletter", "2019-01-01", "2019-03-31", "Q1 2019"),
    ("First quarter 2019", "2019-01-01", "2019-03-31", "First quarter 2019"),
    ("1st Quarter 2019", "2019-01-01", "2019-03-31", "1st Quarter 2019"),
    ("Spring 2021", "2021-03-01", "2021-05-31", "Spring 2021"),
    ("Summer 2021 edition", "2021-06-01", "2021-08-31", "Summer 2021"),
    ("Autumn 2021", "2021-09-01", "2021-11-30", "Autumn 2021"),
    ("Winter 2020", "2020-12-01", "2021-02-28", "Winter 2020"),
    ("Winter 2019/2020", "2019-12-01", "2020-02-29", "Winter 2019/2020"),
    ("January/February 2021", "2021-01-01", "2021-02-28", "January/February 2021"),
    ("Boletín Octubre - Diciembre 2020", "2020-10-01", "2020-12-31", "Octubre - Diciembre 2020"),
    ("Lettre d'information, octobre 2020", "2020-10-01", "2020-10-31", "octobre 2020"),
    ("Boletim julho de 2021", "2021-07-01", "2021-07-31", "julho de 2021"),
    ("Newsletter \u00a0 October \u2013\n December 2020", "2020-10-01", "2020-12-31", "October \u2013 December 2020"),
    # a bare year only when nothing better is there, and never a year inside a name
    ("Annual newsletter 2019", "2019-01-01", "2019-12-31", "2019"),
    ("Agenda 2030 news, 2019 edition", "2019-01-01", "2019-12-31", "2019"),
    ("Agenda for 2019", "2019-01-01", "2019-12-31", "2019"),
    ("The 2030 Agenda report 2019", "2019-01-01", "2019-12-31", "2019"),
    ("Issue 2019. Spring 2020 highlights", "2020-03-01", "2020-05-31", "Spring 2020"),
    # days are events, not periods
    ("Held on 13 October 2020. Newsletter Q4 2020", "2020-10-01", "2020-12-31", "Q4 2020"),
    ("Newsletter without any dates", None, None, None),
    ("", None, None, None),
]  # fmt: skip


@pytest.mark.parametrize("text,start,end,label", PERIOD_ROWS, ids=[r[0][:40] or "empty" for r in PERIOD_ROWS])
def test_find_period(text, start, end, label):
    period = find_period(text)
    if label is None:
        assert period is None
        return
    assert (period.start, period.end, period.label) == (d(start), d(end), label)
    assert " ".join(text[period.span[0] : period.span[1]].split()) == period.label


def test_find_period_only_looks_at_the_top():
    assert find_period("x" * 3500 + " October 2020") is None
    assert find_period("Newsletter 2019 " + "x" * 3500 + " October 2020").label == "2019"


def test_year_needs_period_or_default():
    assert find_dates("15 January") == []
    assert find_dates("15 January 2021")[0].start == date(2021, 1, 15)
    hit = parse_date_expression("15 January", default_year=2019)
    assert (hit.start, hit.year_inferred) == (date(2019, 1, 15), True)
    # the period wins over default_year
    assert parse_date_expression("15 January", period=Q4_2020, default_year=2019).start == date(2021, 1, 15)


def test_confidence_is_lower_for_guesses():
    explicit = parse_date_expression("14 December 2020")
    inferred = parse_date_expression("14 December", period=Q4_2020)
    bare_month = parse_date_expression("in December", period=Q4_2020)
    assert explicit.confidence > inferred.confidence > bare_month.confidence


def test_parse_date_expression_returns_first_or_none():
    assert parse_date_expression("from 3 May 2021 and again 5 June 2021").start == date(2021, 5, 3)
    assert parse_date_expression("no date here") is None
    assert parse_date_expression("") is None


def test_several_hits_in_order_without_overlap():
    text = "Held from 24 to 26 November and from 23 to 25 November 2020; next on 15 January."
    hits = find_dates(text, period=Q4_2020)
    assert [(h.text, h.start, h.end) for h in hits] == [
        ("from 24 to 26 November", date(2020, 11, 24), date(2020, 11, 26)),
        ("from 23 to 25 November 2020", date(2020, 11, 23), date(2020, 11, 25)),
        ("15 January", date(2021, 1, 15), date(2021, 1, 15)),
    ]


def test_time_stays_with_its_own_date():
    hits = find_dates("14 December 2020, 10:00 - 15 December 2020, 12:00")
    assert [(h.text, h.start, h.time) for h in hits] == [
        ("14 December 2020, 10:00", date(2020, 12, 14), time(10)),
        ("15 December 2020, 12:00", date(2020, 12, 15), time(12)),
    ]


def test_paragraph_break_separates_day_and_month():
    assert [h.text for h in find_dates("Point 14\n\nDecember 2020 was busy")] == ["December 2020"]


# Every date in the sample newsletter (text as written, first day, last day, time, zone).
SAMPLE_HITS = [
    ("October - November - December 2020", "2020-10-01", "2020-12-31", None, None),
    ("13 October 2020", "2020-10-13", "2020-10-13", None, None),
    ("16 October 2020", "2020-10-16", "2020-10-16", None, None),
    ("3 & 5 November 2020", "2020-11-03", "2020-11-05", None, None),
    ("from 9 to 17 November 2020", "2020-11-09", "2020-11-17", None, None),
    ("from 02 to 06 November", "2020-11-02", "2020-11-06", None, None),
    ("from 24 to 26 November", "2020-11-24", "2020-11-26", None, None),
    ("from 23 to 25 November 2020", "2020-11-23", "2020-11-25", None, None),
    ("08 December 2020", "2020-12-08", "2020-12-08", None, None),
    ("14-15 December 2020", "2020-12-14", "2020-12-15", None, None),
    ("April/May 2020", "2020-04-01", "2020-05-31", None, None),
    ("6 October", "2020-10-06", "2020-10-06", None, None),
    ("14 October", "2020-10-14", "2020-10-14", None, None),
    ("29 October", "2020-10-29", "2020-10-29", None, None),
    ("October 14", "2020-10-14", "2020-10-14", None, None),
    ("October 30, 2020. 4:00 pm (UTC -6)", "2020-10-30", "2020-10-30", time(16), "UTC-06:00"),
    ("30 October", "2020-10-30", "2020-10-30", None, None),
    ("13 de noviembre", "2020-11-13", "2020-11-13", None, None),
    ("13 November", "2020-11-13", "2020-11-13", None, None),
    ("20 October", "2020-10-20", "2020-10-20", None, None),
    ("May 20 - 22", "2020-05-20", "2020-05-22", None, None),
    ("from October 2019 until 15 October 2020", "2019-10-01", "2020-10-15", None, None),
    ("October", "2020-10-01", "2020-10-31", None, None),
]


@pytest.fixture(scope="module")
def sample_text():
    if not SAMPLE.exists():
        pytest.skip("sample newsletter not available")
    return SAMPLE.read_text(encoding="utf-8")


def test_sample_period(sample_text):
    period = find_period(sample_text)
    assert (period.start, period.end, period.label) == (date(2020, 10, 1), date(2020, 12, 31), "October - November - December 2020")
    assert sample_text[period.span[0] : period.span[1]] == period.label


def test_sample_dates(sample_text):
    hits = find_dates(sample_text, period=find_period(sample_text))
    got = [(h.text, h.start.isoformat(), h.end.isoformat(), h.time, h.timezone) for h in hits]
    assert got == SAMPLE_HITS
    for before, after in zip(hits, hits[1:]):
        assert before.span[1] <= after.span[0]
    for hit in hits:
        assert sample_text[hit.span[0] : hit.span[1]] == hit.text


def test_results_are_frozen():
    hit = parse_date_expression("14 December 2020")
    assert isinstance(hit, DateHit)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.start = date(2020, 1, 1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Q4_2020.label = "x"  # type: ignore[misc]


def test_module_has_no_django_import():
    tree = ast.parse(Path(dateranges.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert "django" not in imported
    assert imported <= {"__future__", "calendar", "re", "unicodedata", "dataclasses", "datetime", "text"}  # text: lib/text.py


@pytest.mark.parametrize("text, time, zone", [
    ("Thursday 28 October 2021 · 4:00 pm (UTC -6) · Online", "16:00", "UTC-06:00"),
    ("Wednesday, 13 October 2021 · 10:00–12:00 CET · Online (Zoom)", "10:00", "UTC+01:00"),
    ("Tuesday, 5 December 2023 | 14:00–16:00 CET | Online", "14:00", "UTC+01:00"),
])
def test_time_after_a_middle_dot_or_bar(text, time, zone):
    hit = find_dates(text)[0]
    assert (hit.time.strftime("%H:%M"), hit.timezone) == (time, zone)
