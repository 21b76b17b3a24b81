"""Dates as partner feeds write them. Each style turns an instant into (text, the instant the parser should read)."""

import datetime as dt

UTC = dt.timezone.utc
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
FULL_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def local(value, hours):
    return value.astimezone(dt.timezone(dt.timedelta(hours=hours)))


def offset(hours, colon=False):
    sign = "-" if hours < 0 else "+"
    minutes = round(abs(hours) * 60)
    return f"{sign}{minutes // 60:02d}{':' if colon else ''}{minutes % 60:02d}"


def rfc822(value, zone="GMT", hours=0, weekday=True, seconds=True):
    """'Mon, 23 Nov 2026 08:15:00 GMT' in the given zone (name or offset)."""
    t = local(value, hours)
    text = f"{t.day:02d} {MONTHS[t.month - 1]} {t.year} {t.hour:02d}:{t.minute:02d}"
    text += f":{t.second:02d}" if seconds else ""
    return (f"{DAYS[t.weekday()]}, " if weekday else "") + text + " " + zone


def iso(value, hours=0, fraction=False, colon=True):
    t = local(value, hours)
    text = t.strftime("%Y-%m-%dT%H:%M:%S") + (".%06d" % t.microsecond if fraction else "")
    return text + ("Z" if hours == 0 and colon else offset(hours, colon))


def _whole(v):
    return v.replace(microsecond=0)


def _no_seconds(v):
    return v.replace(second=0, microsecond=0)


def _midnight(v):
    return v.replace(hour=0, minute=0, second=0, microsecond=0)


def _zone(name, hours):
    return (f"named zone {name}", lambda v: (rfc822(v, name, hours), v))


# RFC 822 and its relatives (RSS pubDate), with the mistakes feeds make.
RFC822_STYLES = [
    ("GMT", lambda v: (rfc822(v), v)),
    ("+0000", lambda v: (rfc822(v, "+0000"), v)),
    ("UT", lambda v: (rfc822(v, "UT"), v)),
    ("Z", lambda v: (rfc822(v, "Z"), v)),
    _zone("EST", -5), _zone("EDT", -4), _zone("CST", -6), _zone("CDT", -5), _zone("MST", -7), _zone("PST", -8), _zone("PDT", -7),
    _zone("AKST", -9), _zone("HST", -10), _zone("NST", -3.5), _zone("BST", 1), _zone("CET", 1), _zone("CEST", 2), _zone("EET", 2),
    _zone("MSK", 3), _zone("IST", 5.5), _zone("SGT", 8), _zone("JST", 9), _zone("AEST", 10), _zone("AEDT", 11), _zone("NZDT", 13),
    ("offset +0530", lambda v: (rfc822(v, "+0530", 5.5), v)),
    ("offset -0300", lambda v: (rfc822(v, "-0300", -3), v)),
    ("offset with colon -03:00", lambda v: (rfc822(v, "-03:00", -3), v)),
    ("offset +01:00", lambda v: (rfc822(v, "+01:00", 1), v)),
    # RFC 2822 §4.3: military zones are read as -0000, so the written clock time is UTC.
    ("military zone Q", lambda v: (rfc822(v, "Q"), v)),
    ("unknown zone name", lambda v: (rfc822(v, "XYZ"), v)),
    ("no seconds", lambda v: (rfc822(v, seconds=False), _no_seconds(v))),
    ("no weekday", lambda v: (rfc822(v, weekday=False), v)),
    ("wrong weekday", lambda v: (DAYS[(v.weekday() + 3) % 7] + rfc822(v)[3:], v)),
    ("two-digit year", lambda v: (rfc822(v).replace(str(v.year), str(v.year)[2:]), v)),
    ("full day and month names", lambda v: (f"{FULL_DAYS[v.weekday()]}, {v.day} {FULL_MONTHS[v.month - 1]} {v.year} {v:%H:%M:%S} GMT", v)),
    ("upper case", lambda v: (rfc822(v).upper(), v)),
    ("single-digit day and hour", lambda v: (f"{DAYS[local(v, 1).weekday()]}, {local(v, 1).day} {MONTHS[local(v, 1).month - 1]} {local(v, 1).year} "
                                              f"{local(v, 1).hour}:{local(v, 1):%M:%S} +0100", v)),
    ("hyphens", lambda v: (f"{v.day:02d}-{MONTHS[v.month - 1]}-{v.year} {v:%H:%M:%S}", v)),
    ("hyphens, full month, two-digit year", lambda v: (f"{local(v, 1).day:02d}-{FULL_MONTHS[local(v, 1).month - 1]}-{local(v, 1):%y %H:%M:%S} +0100", v)),
    ("JavaScript Date.toString", lambda v: (f"{DAYS[local(v, 1).weekday()]} {MONTHS[local(v, 1).month - 1]} {local(v, 1).day:02d} {local(v, 1):%Y %H:%M:%S} "
                                            "GMT+0100 (Central European Standard Time)", v)),
    ("month first", lambda v: (f"{MONTHS[v.month - 1]} {v.day} {v.year} {v:%H:%M:%S} GMT", v)),
    ("year first", lambda v: (f"{v.year} {MONTHS[v.month - 1]} {v.day} {v:%H:%M} GMT", _no_seconds(v))),
    ("12-hour clock", lambda v: (f"{DAYS[local(v, -5).weekday()]}, {local(v, -5):%d} {MONTHS[local(v, -5).month - 1]} {local(v, -5):%Y} "
                                 f"{(local(v, -5).hour + 11) % 12 + 1}:{local(v, -5):%M:%S} {'PM' if local(v, -5).hour >= 12 else 'AM'} EST", v)),
    ("date only", lambda v: (f"{DAYS[v.weekday()]}, {v.day:02d} {MONTHS[v.month - 1]} {v.year}", _midnight(v))),
    ("extra spaces", lambda v: ("  " + rfc822(v).replace(", ", ",   ").replace(" GMT", "    GMT") + " ", v)),
    ("US month/day/year", lambda v: (f"{v.month:02d}/{v.day:02d}/{v.year} {v:%H:%M:%S}", v)),
]

# RFC 3339 / ISO 8601 / W3C-DTF (Atom, JSON Feed, dc:date, dcterms).
ISO_STYLES = [
    ("Z", lambda v: (iso(v), _whole(v))),
    ("fraction and offset", lambda v: (iso(v, 2, fraction=True), v)),
    ("offset -05:00", lambda v: (iso(v, -5), _whole(v))),
    ("offset without colon", lambda v: (iso(v, 2, colon=False), _whole(v))),
    ("hour-only offset", lambda v: (local(v, 2).strftime("%Y-%m-%dT%H:%M:%S") + "+02", _whole(v))),
    ("space, no zone", lambda v: (v.strftime("%Y-%m-%d %H:%M:%S"), _whole(v))),
    ("no seconds, no zone", lambda v: (v.strftime("%Y-%m-%dT%H:%M"), _no_seconds(v))),
    ("lower-case t and z", lambda v: (iso(v).replace("T", "t").replace("Z", "z"), _whole(v))),
    ("basic format", lambda v: (v.strftime("%Y%m%dT%H%M%SZ"), _whole(v))),
    ("UTC suffix", lambda v: (v.strftime("%Y-%m-%dT%H:%M:%S") + " UTC", _whole(v))),
    ("milliseconds Z", lambda v: (v.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (v.microsecond // 1000), v.replace(microsecond=v.microsecond // 1000 * 1000))),
    ("date only", lambda v: (v.strftime("%Y-%m-%d"), _midnight(v))),
    ("year and month (W3C-DTF)", lambda v: (v.strftime("%Y-%m"), v.replace(day=1, hour=0, minute=0, second=0, microsecond=0))),
    ("year (W3C-DTF)", lambda v: (v.strftime("%Y"), v.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0))),
]
