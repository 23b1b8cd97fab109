#!/usr/bin/env python3
"""
A second, independent implementation of the loss specification (loss-methodology.md; the
project's own account of it is docs/methodology.md), written from the specification and its
example cases alone, without the engine's code, in another language and in the plainest way:
every quantity a fractions.Fraction, every investor walked trade by trade. The test
test/reference-implementation.test.ts runs it beside `redress compute` on random cases
(random_case.py) and asks for the same compensation.csv in every column but `reason`, and the
same rejects.csv: the specification requires two independent implementations to agree to the fen.

Usage:
  python3 loss_reference.py --plan P --trades T [--holdings H] [--market M] [--index I]
                            [--actions A] [--ratios R] [--encoding utf-8|gb18030] --out DIR

Writes DIR/compensation.csv and DIR/rejects.csv (spec §7).  On a case-level error it
prints one line to stderr, exits with code 2 and writes nothing.

Standard library only.

=====================================================================================
READINGS CHOSEN WHERE THE SPEC IS OPEN OR AMBIGUOUS (each with the sentence concerned)
=====================================================================================
A1  §7 "prices with 4 decimals (display only)", "deduction_ratio ... with 6 decimals",
    share counts "with up to 4 decimals": the rounding mode for display is not stated;
    half away from zero is used everywhere (same as money).  A value that rounds to
    zero is printed without a minus sign ("0.00", not "-0.00").
A2  §2.2 "a row with more or fewer fields than the header is invalid": a completely
    empty physical line (after removing CR) is not treated as a row and is skipped
    (most CSV readers do this).  Line numbers are physical line numbers, header = 1.
    Each physical line is one record (no quoted newlines).
A3  §2.2 the row with too few fields: its investor is the field at the `investor`
    column position if it exists, else blank.  A row whose investor field is empty
    is an invalid row (reason "investor is empty") with a blank investor; no
    compensation row is made for the empty id.
A4  §2.2 "quantity is a positive integer ... numbers have no sign, exponent or
    spaces": digits only, leading zeros allowed ("007" = 7).
A5  §2.2 "price is a non-negative decimal with at most 3 decimals": the pattern is
    DIGITS or DIGITS.DIGITS; ".5" and "5." are invalid; the decimals are counted as
    written, so "10.1230" (4 written decimals) is invalid.  Same pattern (other
    decimal limits) for market close (<=3, §1 "Prices in input have at most 3
    decimals"), index close (<=4, §1), actions ratio and ratios.csv ratio (no limit).
A6  §2.2 market.csv `volume` and `float` must be non-negative integers (digits only).
    actions.csv `ratio` is a non-negative decimal.  index.csv `index` must be
    non-empty.  A repeated row = a repeated date (market, actions) or a repeated
    (date, index) pair (index.csv).  Rows need not be in date order.
A7  §2.2 "An invalid or repeated row of ... index.csv ... is an error for the whole
    case": index.csv is validated whenever --index is given, whatever the
    riskDeduction method (only ratios.csv is said to be read only under
    per-investor).  actions.csv likewise whenever given.
A8  §2.2 "a second ratio for the same investor": any ratios.csv row whose investor
    already appeared on an earlier ratios.csv row (valid or not) is a rejected row.
    A ratio outside [0, 1] is an invalid row.
A9  §5 per-investor with no --ratios file: every (non-excluded) investor lacks a
    ratio and is rejected (not a case error).
A10 §2.2 excluded investors: their invalid rows are still written to rejects.csv,
    but their status is `ineligible` (excluded > rejected, §4.3).  An id listed in
    `exclusions` that appears in no input row gets no output row.
A11 §4.1 "or E first ("eligible-first")": the order is E, then P0, then P2.
A12 §4.1 "A sale larger than all pools -> the investor is rejected": applied to every
    sale that is processed, including sales after the base date (all trades of the
    investor are run through the pools; the reported values are frozen at the base
    date).  Trades before the implementation date of an investor with holdings rows
    are ignored (not run).  (See the constant CHECK_AFTER_BASE below.)
A13 §4.1 holdings rows are placed at the start of the implementation date, before
    actions dated on that date (which then scale them); actions dated before the
    implementation date do not touch them.  An action is applied before every trade
    of its date (a date-only trade included).
A14 §4.2 reset: "When E falls to zero inside the window, its history is cleared":
    checked after each sale dated in the window that takes shares from E.  The
    interest start ("first eligible buy of the current position", §6) is the first
    buy into E after the last reset, for every averagePrice method.
A15 §5 mirror run and bonus actions: "a bonus action scales share counts but leaves
    index averages as they are" is implemented by scaling every index-weighted sum
    ("index money") by the same factor as the share counts, so every index average
    (MWA avg, FIFO lot level, actual-cost and weighted-buys ratios, I_sell, I_back)
    is unchanged by the action and later entries are weighted by their shares in
    base-date units.
A16 §5 the mirror run reads index closes on: dates of buys into E (all of them,
    including buys before a reset), dates of sales taking shares from E in
    [disclosureDate, baseDate], under actual-cost also dates of sales taking shares
    from E in the window, and every market row day 1 .. base date (for I_base),
    for every listed index.  It is run when the investor has a positive leg and
    P_buy > 0 (then r_s > 0 follows for a positive leg).  A missing close on any of
    those dates is a case error.  For `deflated` (§4.4, "mirrors §5"): dates of all
    sales in the window, dates of buys counted as buy-back (the counted part > 0),
    and day 1 .. base date; run when there is a positive leg and P_sell > 0.
    The index average I_back is weighted by the counted buy-back shares.  In a
    deflated run, buys in the window only add to the position (no price is read).
A17 §5 "k = clamp(r_m / r_s, 0, 1) when P_buy > 0, r_s > 0 and r_m > 0 (and
    I_buy,j > 0)": every I_buy,j (I_sell,j for deflated) must be > 0, else k = 0.
A18 §5 fixed: the plan ratio is clamped to [0, 1] ("a leg's ratio k is clamped").
A19 §6 interest days: calendar days d with start < d <= baseDate, start = date of the
    first eligible buy of the current position (deflated: first eligible sale);
    "rate of the last entry whose from is on or before that day" = the last such
    entry in list order.  Interest uses the exact L' and the exact fee rates.
A20 §3 SPC2022: if the running sum reaches the float on day n <= 30 the base date is
    day max(n, 10) (which must exist in market.csv); otherwise day 30 (must exist).
    SPC2003: the first day n the sum reaches the float (any n); if never reached in
    the data, day 30 (must exist).  Otherwise "too few market rows" (case error).
A21 §3 base price: the span is the market rows with day1 <= date <= baseDate (also
    for a plan-fixed baseDate); an action with day1 <= action date <= baseDate divides
    every close dated before it by 1 + ratio (cumulatively).  Empty span -> case error.
A22 §4.1/§7 "Share counts are in units as of the base date": every quantity, P_buy,
    P_sell, P_back is expressed in base-date units (actions after the disclosure
    date and up to the base date still scale E at disclosure and P_buy).  Actions
    after the base date do not affect reported values.
A23 §2.1 plan checks: unknown keys are errors at the top level and inside
    `security`, `fees`, `riskDeduction`, `interest` and each `annualRates` entry.
    Decimal values must be JSON strings (unsigned decimal); `basePriceDecimals` is a
    JSON integer >= 0 or null; `baseDate`/`basePrice`/`interest` null = absent.
    `fees` keys missing take their defaults.  A `by-date` stamp duty with a base
    date before 1992-06-12 is a plan error (exit 2).
A24 §2.2 investor set: investors of trades.csv and holdings.csv rows (valid or not)
    and of ratios.csv rows only under per-investor.
A25 §7 a zero/payable row with no positive leg shows deduction "0.00" and a blank
    deduction_ratio (as in the examples).  avg_sell_price is blank when Q_sold = 0;
    for deflated, avg_buy_price (P_back) is blank when Q_back = 0.
A26 Within a date, a date-only trade sorts before every timed trade; timed trades by
    time; ties in file order (line number in trades.csv).
A27 implementationDate >= disclosureDate is not an error (the window is just empty).
"""

import csv
import datetime
import json
import os
import re
import sys
from fractions import Fraction as F

CHECK_AFTER_BASE = True   # A12: sales after the base date are still checked for position


class CaseError(Exception):
    pass


class MissingPosition(Exception):
    pass


# =====================================================================================
# §1 Arithmetic
# =====================================================================================

def round_half_away(x, places):
    """Round Fraction x half away from zero to `places` decimals; returns Fraction."""
    x = F(x)
    scale = 10 ** places
    y = abs(x) * scale
    n = y.numerator // y.denominator
    rem = y - n
    if rem >= F(1, 2):
        n += 1
    if x < 0:
        n = -n
    return F(n, scale)


def fmt_fixed(x, places):
    r = round_half_away(x, places)
    scale = 10 ** places
    n = r * scale
    assert n.denominator == 1
    n = n.numerator
    sign = '-' if n < 0 else ''
    n = abs(n)
    if places == 0:
        return sign + str(n)
    s = str(n).rjust(places + 1, '0')
    return sign + s[:-places] + '.' + s[-places:]


def fmt_money(x):
    return fmt_fixed(x, 2)


def fmt_price(x):
    return fmt_fixed(x, 4)


def fmt_ratio(x):
    return fmt_fixed(x, 6)


def fmt_shares(x):
    s = fmt_fixed(x, 4)
    if '.' in s:
        s = s.rstrip('0').rstrip('.')
    if s == '-0':
        s = '0'
    return s


# =====================================================================================
# §2 Inputs
# =====================================================================================

DEC_RE = re.compile(r'^[0-9]+(\.[0-9]+)?$')
INT_RE = re.compile(r'^[0-9]+$')
DATE_RE = re.compile(r'^([0-9]{4})-([0-9]{2})-([0-9]{2})$')
DATETIME_RE = re.compile(r'^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})$')


def parse_date(s):
    """ISO date YYYY-MM-DD that is a real date, else None."""
    if not isinstance(s, str):
        return None
    m = DATE_RE.match(s)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_time(s):
    """Trade time: returns (date, timestr-or-None) or None if invalid."""
    d = parse_date(s)
    if d is not None:
        return (d, None)
    m = DATETIME_RE.match(s)
    if not m:
        return None
    try:
        dt = datetime.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)),
                               int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None
    return (dt.date(), s[11:])


def parse_decimal(s, max_decimals=None):
    """Unsigned decimal, no exponent/spaces.  Returns Fraction or None."""
    if not isinstance(s, str) or not DEC_RE.match(s):
        return None
    if '.' in s:
        ip, fp = s.split('.')
        if max_decimals is not None and len(fp) > max_decimals:
            return None
        return F(int(ip + fp), 10 ** len(fp))
    return F(int(s))


def decimal_reason(name, s, max_decimals):
    if not isinstance(s, str) or not DEC_RE.match(s):
        return "%s '%s' is not a non-negative decimal number" % (name, s)
    if max_decimals is not None and '.' in s and len(s.split('.')[1]) > max_decimals:
        return "%s '%s' has more than %d decimals" % (name, s, max_decimals)
    return None


def parse_int(s):
    if not isinstance(s, str) or not INT_RE.match(s):
        return None
    return int(s)


def read_csv(path, encoding, required, label):
    """Returns (colindex dict, ncols, rows) where rows = [(lineno, fields)]."""
    base = os.path.basename(path)
    try:
        with open(path, 'rb') as fh:
            raw = fh.read()
    except OSError as e:
        raise CaseError("%s: cannot read file (%s); fix the path" % (path, e))
    try:
        text = raw.decode('utf-8' if encoding == 'utf-8' else 'gb18030')
    except UnicodeDecodeError as e:
        raise CaseError("%s line ?: cannot decode as %s (%s); use --encoding" % (base, encoding, e))
    if text.startswith('\ufeff'):
        text = text[1:]
    lines = text.split('\n')
    parsed = []
    header = None
    for i, line in enumerate(lines, start=1):
        if line.endswith('\r'):
            line = line[:-1]
        if line == '':
            continue          # A2
        fields = next(csv.reader([line]))
        if header is None:
            header = (i, fields)
        else:
            parsed.append((i, fields))
    if header is None:
        raise CaseError("%s line 1: missing header row; add the header %s" % (base, ','.join(required)))
    hline, hfields = header
    col = {}
    for j, name in enumerate(hfields):
        if name not in col:
            col[name] = j
    for r in required:
        if r not in col:
            raise CaseError("%s line %d: missing column '%s'; the header needs %s"
                            % (base, hline, r, ','.join(required)))
    return col, len(hfields), parsed


# ---- plan ---------------------------------------------------------------------------

PLAN_KEYS = {'security', 'ruleSet', 'direction', 'implementationDate', 'disclosureDate',
             'baseDate', 'basePrice', 'basePriceDecimals', 'averagePrice',
             'postDisclosureSales', 'riskDeduction', 'fees', 'interest', 'exclusions'}


def plan_error(msg):
    raise CaseError("plan.json: %s" % msg)


def plan_decimal(v, where):
    if not isinstance(v, str):
        plan_error("%s must be a decimal string, got %r; quote the number" % (where, v))
    d = parse_decimal(v)
    if d is None:
        plan_error("%s '%s' is not a decimal number; fix the value" % (where, v))
    return d


def plan_date(v, where):
    d = parse_date(v)
    if d is None:
        plan_error("%s %r is not an ISO date YYYY-MM-DD; fix the value" % (where, v))
    return d


def check_keys(obj, allowed, where):
    if not isinstance(obj, dict):
        plan_error("%s must be an object" % where)
    for k in obj:
        if k not in allowed:
            plan_error("unknown key '%s' in %s; remove it or fix its spelling" % (k, where))


def load_plan(path):
    try:
        with open(path, 'rb') as fh:
            raw = fh.read()
        text = raw.decode('utf-8')
        if text.startswith('\ufeff'):
            text = text[1:]
        p = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise CaseError("plan.json: cannot be read as JSON (%s); fix the file" % e)
    check_keys(p, PLAN_KEYS, 'plan')
    plan = {}
    if 'security' not in p:
        plan_error("missing 'security'; add it")
    check_keys(p['security'], {'code', 'name', 'exchange'}, 'security')
    rs = p.get('ruleSet', 'SPC2022')
    if rs not in ('SPC2022', 'SPC2003'):
        plan_error("unknown ruleSet %r; use SPC2022 or SPC2003" % (rs,))
    plan['ruleSet'] = rs
    dr = p.get('direction', 'inflated')
    if dr not in ('inflated', 'deflated'):
        plan_error("unknown direction %r; use inflated or deflated" % (dr,))
    plan['direction'] = dr
    for k in ('implementationDate', 'disclosureDate'):
        if k not in p:
            plan_error("missing '%s'; add it" % k)
        plan[k] = plan_date(p[k], k)
    plan['baseDate'] = None if p.get('baseDate') is None else plan_date(p['baseDate'], 'baseDate')
    plan['basePrice'] = None if p.get('basePrice') is None else plan_decimal(p['basePrice'], 'basePrice')
    if 'basePriceDecimals' in p:
        bpd = p['basePriceDecimals']
        if bpd is not None and (isinstance(bpd, bool) or not isinstance(bpd, int) or bpd < 0):
            plan_error("basePriceDecimals must be a non-negative integer or null")
        plan['basePriceDecimals'] = bpd
    else:
        plan['basePriceDecimals'] = 2
    ap = p.get('averagePrice', 'moving-weighted-average')
    if ap not in ('moving-weighted-average', 'fifo', 'actual-cost', 'weighted-buys'):
        plan_error("unknown averagePrice %r" % (ap,))
    plan['averagePrice'] = ap
    pds = p.get('postDisclosureSales', 'fifo')
    if pds not in ('fifo', 'eligible-first'):
        plan_error("unknown postDisclosureSales %r" % (pds,))
    plan['postDisclosureSales'] = pds
    rd = p.get('riskDeduction', {'method': 'none'})
    if not isinstance(rd, dict) or 'method' not in rd:
        plan_error("riskDeduction needs a 'method'")
    m = rd['method']
    if m == 'none':
        check_keys(rd, {'method'}, 'riskDeduction')
        plan['risk'] = ('none', None)
    elif m == 'fixed':
        check_keys(rd, {'method', 'ratio'}, 'riskDeduction')
        if 'ratio' not in rd:
            plan_error("riskDeduction fixed needs 'ratio'")
        plan['risk'] = ('fixed', plan_decimal(rd['ratio'], 'riskDeduction.ratio'))
    elif m == 'per-investor':
        check_keys(rd, {'method'}, 'riskDeduction')
        plan['risk'] = ('per-investor', None)
    elif m == 'index-comparison':
        check_keys(rd, {'method', 'indices'}, 'riskDeduction')
        ind = rd.get('indices')
        if not isinstance(ind, list) or not ind or not all(isinstance(x, str) and x for x in ind):
            plan_error("riskDeduction index-comparison needs a non-empty list 'indices'")
        plan['risk'] = ('index-comparison', list(ind))
    else:
        plan_error("unknown riskDeduction method %r" % (m,))
    fees = p.get('fees', {})
    if fees is None:
        fees = {}
    check_keys(fees, {'commissionRate', 'stampDutyRate'}, 'fees')
    plan['commissionRate'] = plan_decimal(fees.get('commissionRate', '0.0003'), 'fees.commissionRate')
    sd = fees.get('stampDutyRate', '0.001')
    plan['stampDutyRate'] = 'by-date' if sd == 'by-date' else plan_decimal(sd, 'fees.stampDutyRate')
    it = p.get('interest')
    if it is None:
        plan['interest'] = None
    else:
        check_keys(it, {'annualRates'}, 'interest')
        ar = it.get('annualRates')
        if not isinstance(ar, list):
            plan_error("interest needs a list 'annualRates'")
        rates = []
        for i, e in enumerate(ar):
            check_keys(e, {'from', 'rate'}, 'interest.annualRates[%d]' % i)
            if 'from' not in e or 'rate' not in e:
                plan_error("interest.annualRates[%d] needs 'from' and 'rate'" % i)
            rates.append((plan_date(e['from'], 'interest.annualRates[%d].from' % i),
                          plan_decimal(e['rate'], 'interest.annualRates[%d].rate' % i)))
        plan['interest'] = rates
    ex = p.get('exclusions', [])
    if ex is None:
        ex = []
    if not isinstance(ex, list) or not all(isinstance(x, str) for x in ex):
        plan_error("exclusions must be a list of investor ids")
    plan['exclusions'] = set(ex)
    return plan


# ---- data files ---------------------------------------------------------------------

class Trade(object):
    __slots__ = ('investor', 'line', 'date', 'timestr', 'side', 'qty', 'price')


def investor_rows(path, enc, required, label, rejects, investors, bad_investors, reason_of, seen=None):
    """The valid rows of an investor file, as (line, investor, fields, col).

    Every row's investor is known to the case (valid or not); an invalid row goes to rejects and
    makes its investor rejected.  reason_of(fields, col, investor) says why a row with the
    header's number of fields and an investor is invalid, or None; `seen`, a set, then collects
    the investor of every row, valid or not."""
    col, n, rows = read_csv(path, enc, required, label)
    base = os.path.basename(path)
    valid = []
    for line, f in rows:
        inv = f[col['investor']] if col['investor'] < len(f) else ''
        if len(f) != n:
            reason = "row has %d fields, the header has %d" % (len(f), n)
        elif inv == '':
            reason = "investor is empty"
        else:
            reason = reason_of(f, col, inv)
        if inv != '':
            investors.add(inv)
            if seen is not None:
                seen.add(inv)
        if reason is not None:
            rejects.append((base, line, inv, reason))
            if inv != '':
                bad_investors.setdefault(inv, "bad row: %s line %d: %s" % (base, line, reason))
            continue
        valid.append((line, inv, f, col))
    return valid


def trade_reason(f, col, inv):
    if parse_time(f[col['time']]) is None:
        return "time '%s' is not a real date" % f[col['time']]
    if f[col['side']] not in ('B', 'S'):
        return "side '%s' is not B or S" % f[col['side']]
    q = parse_int(f[col['quantity']])
    if q is None or q <= 0:
        return "quantity '%s' is not a positive integer" % f[col['quantity']]
    return decimal_reason('price', f[col['price']], 3)


def load_trades(path, enc, rejects, investors, bad_investors):
    good = []
    for line, inv, f, col in investor_rows(path, enc, ['investor', 'account', 'time', 'side', 'quantity', 'price'], 'trades.csv',
                                           rejects, investors, bad_investors, trade_reason):
        tr = Trade()
        tr.investor = inv
        tr.line = line
        tr.date, tr.timestr = parse_time(f[col['time']])
        tr.side = f[col['side']]
        tr.qty = F(parse_int(f[col['quantity']]))
        tr.price = parse_decimal(f[col['price']], 3)
        good.append(tr)
    return good


def load_holdings(path, enc, rejects, investors, bad_investors):
    def reason_of(f, col, inv):
        if parse_int(f[col['quantity']]) is None:
            return "quantity '%s' is not a non-negative integer" % f[col['quantity']]
        return None

    has_row = set()
    hold = {}
    for line, inv, f, col in investor_rows(path, enc, ['investor', 'account', 'quantity'], 'holdings.csv',
                                           rejects, investors, bad_investors, reason_of, has_row):
        hold[inv] = hold.get(inv, F(0)) + parse_int(f[col['quantity']])
    return hold, has_row


def load_ratios(path, enc, rejects, investors, bad_investors):
    seen = set()

    def reason_of(f, col, inv):
        if inv in seen:
            return "a second ratio for investor %s" % inv
        reason = decimal_reason('ratio', f[col['ratio']], None)
        if reason is None and parse_decimal(f[col['ratio']]) > 1:
            reason = "ratio '%s' is not in [0, 1]" % f[col['ratio']]
        return reason

    return {inv: parse_decimal(f[col['ratio']])
            for line, inv, f, col in investor_rows(path, enc, ['investor', 'ratio'], 'ratios.csv',
                                                   rejects, investors, bad_investors, reason_of, seen)}


def load_market(path, enc):
    col, n, rows = read_csv(path, enc, ['date', 'close', 'volume', 'float'], 'market.csv')
    base = os.path.basename(path)
    mk = {}
    for line, f in rows:
        if len(f) != n:
            raise CaseError("%s line %d: row has %d fields, the header has %d; fix the row"
                            % (base, line, len(f), n))
        d = parse_date(f[col['date']])
        c = parse_decimal(f[col['close']], 3)
        v = parse_int(f[col['volume']])
        fl = parse_int(f[col['float']])
        if d is None or c is None or v is None or fl is None:
            raise CaseError("%s line %d: invalid row %s; fix date/close/volume/float"
                            % (base, line, ','.join(f)))
        if d in mk:
            raise CaseError("%s line %d: repeated date %s; keep one row per trading day"
                            % (base, line, d.isoformat()))
        mk[d] = (c, F(v), F(fl))
    return mk


def load_index(path, enc):
    col, n, rows = read_csv(path, enc, ['date', 'index', 'close'], 'index.csv')
    base = os.path.basename(path)
    ix = {}
    for line, f in rows:
        if len(f) != n:
            raise CaseError("%s line %d: row has %d fields, the header has %d; fix the row"
                            % (base, line, len(f), n))
        d = parse_date(f[col['date']])
        name = f[col['index']]
        c = parse_decimal(f[col['close']], 4)
        if d is None or c is None or name == '':
            raise CaseError("%s line %d: invalid row %s; fix date/index/close"
                            % (base, line, ','.join(f)))
        if (name, d) in ix:
            raise CaseError("%s line %d: repeated row for %s on %s; keep one"
                            % (base, line, name, d.isoformat()))
        ix[(name, d)] = c
    return ix


def load_actions(path, enc):
    col, n, rows = read_csv(path, enc, ['date', 'ratio'], 'actions.csv')
    base = os.path.basename(path)
    acts = {}
    for line, f in rows:
        if len(f) != n:
            raise CaseError("%s line %d: row has %d fields, the header has %d; fix the row"
                            % (base, line, len(f), n))
        d = parse_date(f[col['date']])
        r = parse_decimal(f[col['ratio']])
        if d is None or r is None:
            raise CaseError("%s line %d: invalid row %s; fix date/ratio" % (base, line, ','.join(f)))
        if d in acts:
            raise CaseError("%s line %d: repeated action date %s; keep one" % (base, line, d.isoformat()))
        acts[d] = r
    return sorted(acts.items())


# =====================================================================================
# §3 Key dates
# =====================================================================================

def market_days_from(market, start):
    return sorted(d for d in market if d >= start)


def compute_base_date(plan, market):
    if market is None:
        raise CaseError("case: --market is needed to compute the base date; give market.csv "
                        "or fix baseDate in the plan")
    days = market_days_from(market, plan['disclosureDate'])
    if not days:
        raise CaseError("market.csv: too few market rows: no trading day on or after the "
                        "disclosure date %s; add rows or fix baseDate" % plan['disclosureDate'])
    float1 = market[days[0]][2]
    cum = F(0)
    reached = None
    for n, d in enumerate(days, start=1):
        cum += market[d][1]
        if cum >= float1:
            reached = n
            break
    if plan['ruleSet'] == 'SPC2022':
        if reached is not None and reached <= 30:
            need = max(reached, 10)
        elif reached is None and len(days) < 30:
            raise CaseError("market.csv: too few market rows: turnover not reached and fewer "
                            "than 30 trading days after disclosure; add rows or fix baseDate")
        else:
            need = 30
    else:  # SPC2003
        if reached is not None:
            need = reached
        elif len(days) >= 30:
            need = 30
        else:
            raise CaseError("market.csv: too few market rows: turnover not reached and fewer "
                            "than 30 trading days after disclosure; add rows or fix baseDate")
    if len(days) < need:
        raise CaseError("market.csv: too few market rows: the base date is trading day %d after "
                        "disclosure but only %d exist; add rows or fix baseDate" % (need, len(days)))
    return days[need - 1]


def span_days(plan, market, base_date):
    if market is None:
        raise CaseError("case: --market is needed for the days from day 1 to the base date; give market.csv")
    days = [d for d in market_days_from(market, plan['disclosureDate']) if d <= base_date]
    if not days:
        raise CaseError("market.csv: too few market rows: no trading day between the disclosure "
                        "date and the base date %s; add rows or fix the plan" % base_date)
    return days


def compute_base_price(plan, market, base_date, actions):
    days = span_days(plan, market, base_date)
    day1 = days[0]
    in_span = [(d, r) for d, r in actions if day1 <= d <= base_date]
    total = F(0)
    for d in days:
        c = market[d][0]
        for ad, r in in_span:
            if d < ad:
                c = c / (1 + r)
        total += c
    mean = total / len(days)
    if plan['basePriceDecimals'] is None:
        return mean
    return round_half_away(mean, plan['basePriceDecimals'])


# =====================================================================================
# §4 Investment-difference loss: the per-investor run (used for the stock and, with
# index closes as prices, for the §5 mirror run)
# =====================================================================================

class Run(object):
    """Runs one investor's trades through the pools.

    price(trade) is called lazily, only where a price enters a result (A16).
    mirror=True: a bonus action scales index money with the shares (A15)."""

    def __init__(self, plan, base_date, trades, holdings, actions, price, mirror):
        self.plan = plan
        self.impl = plan['implementationDate']
        self.disc = plan['disclosureDate']
        self.base = base_date
        self.method = plan['averagePrice']
        self.pds = plan['postDisclosureSales']
        self.deflated = plan['direction'] == 'deflated'
        self.price = price
        self.mirror = mirror
        self.trades = trades
        self.holdings = holdings
        self.actions = actions
        # pools
        self.p0 = F(0)
        self.p2 = F(0)
        self.eq = F(0)           # E quantity
        self.reset_history()
        # snapshot at end of window
        self.snap_done = False
        self.e_disc = F(0)
        self.p_buy = None
        self.first_buy_at_disc = None
        # post-disclosure accounting
        self.q_sold = F(0)
        self.sold_amt = F(0)
        # deflated
        self.s_q = F(0)
        self.s_amt = F(0)
        self.first_sale = None
        self.b_q = F(0)
        self.b_amt = F(0)
        self.frozen = None

    # ---- E history (§4.2) ----
    def reset_history(self):
        self.avg = F(0)          # moving-weighted-average
        self.lots = []           # fifo: [qty, unit]
        self.buy_amt = F(0)      # actual-cost, weighted-buys
        self.buy_q = F(0)
        self.e_sale_amt = F(0)   # actual-cost
        self.e_sale_q = F(0)
        self.first_buy = None

    def e_buy(self, tr):
        q = tr.qty
        if self.deflated:          # §4.4: E only tracks the position, no price is read
            self.eq += q
            return
        p = self.price(tr)
        if self.first_buy is None:
            self.first_buy = tr.date
        if self.method == 'moving-weighted-average':
            self.avg = (self.avg * self.eq + p * q) / (self.eq + q)
        elif self.method == 'fifo':
            self.lots.append([q, p])
        else:
            self.buy_amt += p * q
            self.buy_q += q
        self.eq += q

    def e_take(self, x, tr, in_window):
        """Take x shares out of E."""
        if x == 0:
            return
        if self.deflated:
            self.eq -= x
            return
        if self.method == 'fifo':
            rem = x
            while rem > 0:
                lot = self.lots[0]
                if lot[0] <= rem:
                    rem -= lot[0]
                    self.lots.pop(0)
                else:
                    lot[0] -= rem
                    rem = F(0)
        elif self.method == 'actual-cost' and in_window:
            self.e_sale_amt += x * self.price(tr)
            self.e_sale_q += x
        self.eq -= x

    def current_pbuy(self):
        if self.eq == 0:
            return None
        if self.method == 'moving-weighted-average':
            return self.avg
        if self.method == 'fifo':
            return sum((l[0] * l[1] for l in self.lots), F(0)) / sum((l[0] for l in self.lots), F(0))
        if self.method == 'actual-cost':
            return (self.buy_amt - self.e_sale_amt) / (self.buy_q - self.e_sale_q)
        return self.buy_amt / self.buy_q   # weighted-buys

    # ---- bonus action (Art. 29) ----
    def scale(self, r):
        f = 1 + r
        m = f if self.mirror else F(1)    # factor for money
        u = F(1) if self.mirror else 1 / f  # factor for unit prices
        self.p0 *= f
        self.p2 *= f
        self.eq *= f
        self.avg *= u
        for lot in self.lots:
            lot[0] *= f
            lot[1] *= u
        self.buy_amt *= m
        self.buy_q *= f
        self.e_sale_amt *= m
        self.e_sale_q *= f
        self.e_disc *= f
        if self.p_buy is not None:
            self.p_buy *= u
        self.q_sold *= f
        self.sold_amt *= m
        self.s_q *= f
        self.s_amt *= m
        self.b_q *= f
        self.b_amt *= m

    # ---- a sale taking from pools in an order ----
    def take(self, tr, order, in_window=False):
        need = tr.qty
        avail = {'P0': self.p0, 'E': self.eq, 'P2': self.p2}
        if sum(avail[k] for k in order) < need:
            raise MissingPosition("missing position: sale of %s on %s (trades.csv line %d) "
                                  "exceeds the shares held" % (tr.qty, tr.date, tr.line))
        took_e = F(0)
        for k in order:
            x = min(need, avail[k])
            if x == 0:
                continue
            need -= x
            if k == 'P0':
                self.p0 -= x
            elif k == 'P2':
                self.p2 -= x
            else:
                took_e = x
                self.e_take(x, tr, in_window)
            if need == 0:
                break
        return took_e

    def snapshot_window(self):
        self.snap_done = True
        self.e_disc = self.eq
        if not self.deflated:
            self.p_buy = self.current_pbuy()
            self.first_buy_at_disc = self.first_buy

    def freeze(self):
        if self.frozen is not None:
            return
        if not self.snap_done:
            self.snapshot_window()
        self.frozen = dict(
            e_disc=self.e_disc, p_buy=self.p_buy, first_buy=self.first_buy_at_disc,
            q_sold=self.q_sold, sold_amt=self.sold_amt, q_held=self.eq,
            s_q=self.s_q, s_amt=self.s_amt, first_sale=self.first_sale,
            b_q=self.b_q, b_amt=self.b_amt)

    # ---- one trade ----
    def do_trade(self, tr):
        d = tr.date
        if d < self.impl:
            if tr.side == 'B':
                self.p0 += tr.qty
            else:
                self.take(tr, ['P0'])
        elif d < self.disc:
            if tr.side == 'B':
                self.e_buy(tr)
            else:
                if self.deflated:
                    self.take(tr, ['P0', 'E'])
                    self.s_q += tr.qty
                    self.s_amt += tr.qty * self.price(tr)
                    if self.first_sale is None:
                        self.first_sale = d
                else:
                    took = self.take(tr, ['P0', 'E'], in_window=True)
                    if took > 0 and self.eq == 0:
                        self.reset_history()      # A14
        else:
            post = d <= self.base
            if tr.side == 'B':
                self.p2 += tr.qty
                if self.deflated and post:
                    x = min(tr.qty, self.s_q - self.b_q)
                    if x > 0:
                        self.b_q += x
                        self.b_amt += x * self.price(tr)
            else:
                order = ['P0', 'E', 'P2'] if self.pds == 'fifo' else ['E', 'P0', 'P2']
                if self.deflated:
                    self.take(tr, order)
                else:
                    took = self.take(tr, order)
                    if post and took > 0:
                        self.q_sold += took
                        self.sold_amt += took * self.price(tr)

    def run(self):
        # events: (date, rank, sub, kind, payload)
        ev = []
        trades = self.trades
        if self.holdings is not None:
            trades = [t for t in trades if t.date >= self.impl]   # §2.2 ignored
            ev.append((self.impl, -2, (0,), 'H', None))
            acts = [(d, r) for d, r in self.actions if d >= self.impl]  # A13
        else:
            acts = list(self.actions)
        for d, r in acts:
            ev.append((d, 0, (0,), 'A', r))
        for t in trades:
            ev.append((t.date, 1, (0 if t.timestr is None else 1, t.timestr or '', t.line), 'T', t))
        ev.append((self.disc, -1, (0,), 'W', None))
        ev.append((self.base, 2, (0,), 'BASE', None))
        ev.sort(key=lambda e: (e[0], e[1], e[2]))
        for d, rank, sub, kind, payload in ev:
            if self.frozen is not None and not CHECK_AFTER_BASE:
                break
            if kind == 'H':
                self.p0 += self.holdings
            elif kind == 'A':
                self.scale(payload)
            elif kind == 'W':
                if not self.snap_done:
                    self.snapshot_window()
            elif kind == 'BASE':
                self.freeze()
            else:
                self.do_trade(payload)
        self.freeze()
        return self.frozen


# =====================================================================================
# §5 Market-risk deduction and §6 fees/interest, per investor
# =====================================================================================

STAMP_BY_DATE = [
    (datetime.date(1992, 6, 12), F('0.003')),
    (datetime.date(1997, 5, 12), F('0.005')),
    (datetime.date(1998, 6, 12), F('0.004')),
    (datetime.date(2001, 11, 16), F('0.002')),
    (datetime.date(2005, 1, 24), F('0.001')),
    (datetime.date(2007, 5, 30), F('0.003')),
    (datetime.date(2008, 4, 24), F('0.001')),
    (datetime.date(2023, 8, 28), F('0.0005')),
]


def stamp_rate(plan, base_date):
    s = plan['stampDutyRate']
    if s != 'by-date':
        return s
    rate = None
    for d, r in STAMP_BY_DATE:
        if d <= base_date:
            rate = r
    if rate is None:
        raise CaseError("plan.json: stampDutyRate by-date has no rate for the base date %s "
                        "(before 1992-06-12); give a numeric stampDutyRate" % base_date)
    return rate


def interest_factor(plan, start, base_date):
    """Σ_days rate(day)/365 over calendar days start < day <= base_date (A19)."""
    rates = plan['interest']
    total = F(0)
    if start is None:
        return total
    d = start + datetime.timedelta(days=1)
    one = datetime.timedelta(days=1)
    while d <= base_date:
        r = F(0)
        for fr, rt in rates:
            if fr <= d:
                r = rt
        total += r
        d += one
    return total / 365


def clamp01(x):
    return max(F(0), min(F(1), x))


class Ctx(object):
    pass


def index_close(ctx, name, d):
    if ctx.index is None:
        raise CaseError("case: index-comparison needs --index (index.csv); give the file")
    v = ctx.index.get((name, d))
    if v is None:
        raise CaseError("index.csv: missing close of %s on %s, needed by the mirror run; add the row"
                        % (name, d.isoformat()))
    return v


def i_base(ctx, name):
    key = name
    if key not in ctx.ibase_cache:
        days = span_days(ctx.plan, ctx.market, ctx.base_date)
        ctx.ibase_cache[key] = sum((index_close(ctx, name, d) for d in days), F(0)) / len(days)
    return ctx.ibase_cache[key]


def mirror(ctx, trades, holdings, name):
    run = Run(ctx.plan, ctx.base_date, trades, holdings, ctx.actions,
              lambda tr: index_close(ctx, name, tr.date), mirror=True)
    return run.run()


def compute_investor(ctx, inv, trades, holdings):
    """Returns a dict for the row (status payable/zero/ineligible), or raises MissingPosition."""
    plan = ctx.plan
    bp = ctx.base_price
    res = Run(plan, ctx.base_date, trades, holdings, ctx.actions, lambda tr: tr.price, False).run()
    row = {'base_price': bp}
    deflated = plan['direction'] == 'deflated'
    if deflated:
        if res['s_q'] == 0:
            row['status'] = 'ineligible'
            row['reason'] = 'no eligible shares sold in the window'
            row['counts'] = (F(0), F(0), F(0))
            return row
        p_sell = res['s_amt'] / res['s_q']
        q_back = res['b_q']
        q_not = res['s_q'] - q_back
        p_back = res['b_amt'] / q_back if q_back > 0 else None
        l1 = (p_back - p_sell) * q_back if q_back > 0 else F(0)
        l2 = (bp - p_sell) * q_not
        row['counts'] = (res['s_q'], q_back, q_not)
        row['avg_buy'] = p_back
        row['avg_sell'] = p_sell
        interest_start = res['first_sale']
        p_ref = p_sell
        legs = [(l1, p_back, 'back'), (l2, bp, 'base')]
    else:
        if res['e_disc'] == 0:
            row['status'] = 'ineligible'
            row['reason'] = 'no eligible shares held at disclosure'
            row['counts'] = (F(0), F(0), F(0))
            return row
        p_buy = res['p_buy']
        q_sold = res['q_sold']
        q_held = res['q_held']
        p_sell = res['sold_amt'] / q_sold if q_sold > 0 else None
        l1 = (p_buy - p_sell) * q_sold if q_sold > 0 else F(0)
        l2 = (p_buy - bp) * q_held
        row['counts'] = (res['e_disc'], q_sold, q_held)
        row['avg_buy'] = p_buy
        row['avg_sell'] = p_sell
        interest_start = res['first_buy']
        p_ref = p_buy
        legs = [(l1, p_sell, 'sold'), (l2, bp, 'base')]
    L = l1 + l2
    row['l1'], row['l2'], row['L'] = l1, l2, L

    # §5 deduction
    pos = [lg for lg in legs if lg[0] > 0]
    pos_sum = sum((lg[0] for lg in pos), F(0))
    method, arg = plan['risk']
    D = F(0)
    if pos:
        if method == 'fixed':
            k = clamp01(arg)
            D = sum((k * lg[0] for lg in pos), F(0))
        elif method == 'per-investor':
            k = clamp01(ctx.ratios[inv])
            D = sum((k * lg[0] for lg in pos), F(0))
        elif method == 'index-comparison':
            if p_ref > 0:
                # r_s per positive leg
                need = False
                rs = {}
                for lg in pos:
                    l, p_out, tag = lg
                    r_s = (p_ref - p_out) / p_ref if not deflated else (p_out - p_ref) / p_ref
                    rs[tag] = r_s
                    if r_s > 0:
                        need = True
                if need:
                    per_index = []
                    for name in arg:
                        m = mirror(ctx, trades, holdings, name)
                        ib = i_base(ctx, name)
                        if deflated:
                            i_ref = m['s_amt'] / m['s_q']
                            i_out = {'back': (m['b_amt'] / m['b_q']) if m['b_q'] > 0 else None,
                                     'base': ib}
                        else:
                            i_ref = m['p_buy']
                            i_out = {'sold': (m['sold_amt'] / m['q_sold']) if m['q_sold'] > 0 else None,
                                     'base': ib}
                        per_index.append((i_ref, i_out))
                    all_pos_ref = all(ir is not None and ir > 0 for ir, _ in per_index)
                    for lg in pos:
                        l, p_out, tag = lg
                        r_s = rs[tag]
                        k = F(0)
                        if r_s > 0 and all_pos_ref:
                            vals = []
                            for ir, io in per_index:
                                if deflated:
                                    vals.append((io[tag] - ir) / ir)
                                else:
                                    vals.append((ir - io[tag]) / ir)
                            r_m = sum(vals, F(0)) / len(vals)
                            if r_m > 0:
                                k = clamp01(r_m / r_s)
                        D += k * l
    row['D'] = D
    row['ratio'] = (D / pos_sum) if pos else None
    Lp = L - D
    row['Lp'] = Lp
    if L <= 0 or Lp <= 0:
        row['status'] = 'zero'
        row['reason'] = 'no investment difference loss' if L <= 0 else 'no loss after market-risk deduction'
        return row
    row['status'] = 'payable'
    row['reason'] = ''
    c = plan['commissionRate']
    s = ctx.stamp
    principal = round_half_away(Lp, 2)
    commission = round_half_away(Lp * c, 2)
    stamp = round_half_away(Lp * s, 2)
    if plan['interest'] is None:
        interest = F(0)
    else:
        interest = round_half_away((Lp + Lp * c + Lp * s) * interest_factor(plan, interest_start, ctx.base_date), 2)
    row['pay'] = (principal, commission, stamp, interest, principal + commission + stamp + interest)
    return row


# =====================================================================================
# §7 Output
# =====================================================================================

HEADER = ['investor', 'status', 'reason', 'eligible_shares', 'sold_after_disclosure', 'held_at_base',
          'avg_buy_price', 'avg_sell_price', 'base_price', 'loss_sold', 'loss_held',
          'investment_difference_loss', 'deduction_ratio', 'deduction', 'principal', 'commission',
          'stamp_duty', 'interest', 'total']

ZEROS = ['0.00'] * 5


def csv_line(fields):
    out = []
    for x in fields:
        x = '' if x is None else str(x)
        if any(ch in x for ch in ',"\n\r'):
            x = '"' + x.replace('"', '""') + '"'
        out.append(x)
    return ','.join(out) + '\n'


def format_row(inv, row):
    st = row['status']
    if st in ('rejected', 'excluded'):
        status = 'rejected' if st == 'rejected' else 'ineligible'
        return [inv, status, row['reason']] + [''] * 11 + ZEROS
    if st == 'ineligible':
        a, b, c = row['counts']
        return ([inv, st, row['reason'], fmt_shares(a), fmt_shares(b), fmt_shares(c), '', '',
                 fmt_price(row['base_price'])] + [''] * 5 + ZEROS)
    a, b, c = row['counts']
    out = [inv, st, row['reason'], fmt_shares(a), fmt_shares(b), fmt_shares(c),
           '' if row['avg_buy'] is None else fmt_price(row['avg_buy']),
           '' if row['avg_sell'] is None else fmt_price(row['avg_sell']),
           fmt_price(row['base_price']),
           fmt_money(row['l1']), fmt_money(row['l2']), fmt_money(row['L']),
           '' if row['ratio'] is None else fmt_ratio(row['ratio']),
           fmt_money(row['D'])]
    if st == 'payable':
        out += [fmt_money(x) for x in row['pay']]
    else:
        out += ZEROS
    return out


# =====================================================================================
# main
# =====================================================================================

def parse_args(argv):
    opts = {}
    names = {'--plan', '--trades', '--holdings', '--market', '--index', '--actions', '--ratios',
             '--encoding', '--out'}
    i = 0
    while i < len(argv):
        a = argv[i]
        if '=' in a and a.split('=', 1)[0] in names:
            k, v = a.split('=', 1)
            opts[k] = v
            i += 1
            continue
        if a not in names or i + 1 >= len(argv):
            raise CaseError("arguments: unknown or incomplete option %r" % a)
        opts[a] = argv[i + 1]
        i += 2
    for r in ('--plan', '--trades', '--out'):
        if r not in opts:
            raise CaseError("arguments: %s is required" % r)
    enc = opts.get('--encoding', 'utf-8').lower()
    if enc not in ('utf-8', 'gb18030'):
        raise CaseError("arguments: --encoding must be utf-8 or gb18030")
    opts['--encoding'] = enc
    return opts


def main(argv):
    opts = parse_args(argv)
    enc = opts['--encoding']
    plan = load_plan(opts['--plan'])
    rejects = []
    investors = set()
    bad = {}
    trades = load_trades(opts['--trades'], enc, rejects, investors, bad)
    holdings, has_hold = ({}, set())
    if '--holdings' in opts:
        holdings, has_hold = load_holdings(opts['--holdings'], enc, rejects, investors, bad)
    ratios = {}
    if plan['risk'][0] == 'per-investor' and '--ratios' in opts:
        ratios = load_ratios(opts['--ratios'], enc, rejects, investors, bad)
    market = load_market(opts['--market'], enc) if '--market' in opts else None
    index = load_index(opts['--index'], enc) if '--index' in opts else None
    actions = load_actions(opts['--actions'], enc) if '--actions' in opts else []

    # §3 key dates
    base_date = plan['baseDate'] if plan['baseDate'] is not None else compute_base_date(plan, market)
    if plan['basePrice'] is not None:
        base_price = plan['basePrice']
    else:
        base_price = compute_base_price(plan, market, base_date, actions)
    stamp = stamp_rate(plan, base_date)

    ctx = Ctx()
    ctx.plan, ctx.market, ctx.index, ctx.actions = plan, market, index, actions
    ctx.base_date, ctx.base_price, ctx.stamp = base_date, base_price, stamp
    ctx.ratios = ratios
    ctx.ibase_cache = {}

    by_inv = {}
    for t in trades:
        by_inv.setdefault(t.investor, []).append(t)

    rows = {}
    for inv in sorted(investors):
        if inv in plan['exclusions']:
            rows[inv] = {'status': 'excluded', 'reason': 'excluded from the plan'}
            continue
        if inv in bad:
            rows[inv] = {'status': 'rejected', 'reason': bad[inv]}
            continue
        if plan['risk'][0] == 'per-investor' and inv not in ratios:
            rows[inv] = {'status': 'rejected', 'reason': 'missing ratio: no row in ratios.csv'}
            continue
        its = by_inv.get(inv, [])
        hold = holdings.get(inv, F(0)) if inv in has_hold else None
        try:
            rows[inv] = compute_investor(ctx, inv, its, hold)
        except MissingPosition as e:
            rows[inv] = {'status': 'rejected', 'reason': str(e)}

    out = opts['--out']
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'compensation.csv'), 'w', encoding='utf-8', newline='') as fh:
        fh.write(csv_line(HEADER))
        for inv in sorted(rows):
            fh.write(csv_line(format_row(inv, rows[inv])))
    rejects.sort(key=lambda r: (r[0], r[1]))
    with open(os.path.join(out, 'rejects.csv'), 'w', encoding='utf-8', newline='') as fh:
        fh.write(csv_line(['file', 'line', 'investor', 'reason']))
        for r in rejects:
            fh.write(csv_line(list(r)))


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except CaseError as e:
        sys.stderr.write(str(e).replace('\n', ' ') + '\n')
        sys.exit(2)
