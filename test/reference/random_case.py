#!/usr/bin/env python3
"""
A random loss case, the same for the same seed and mode: plan.json with every option of the
specification drawn at random, market.csv, index.csv (one to three indices), actions.csv,
trades.csv (a few bad rows among them), holdings.csv, ratios.csv under per-investor, and
args.txt with the flags of `redress compute`. Used with loss_reference.py to check the engine
against an independent implementation.

Usage: random_case.py SEED OUTDIR [--mode ordinary|stress|off-day|short|text-forms] [--investors N]

Modes:
  ordinary  trades on trading days, sales mostly within the position;
  stress    also quantities past 2^53 once multiplied out, prices of 0 and 999.999, several
            holdings rows of one investor, bonus actions on the disclosure date and in the
            base-price span;
  off-day   now and then a trade on a day the stock did not trade, whose index close is missing
            (a case error once the market-risk deduction needs it);
  short     market rows that may end before the base date can be decided (a case error);
  text-forms  the ordinary case with its investor files written as people write them: investor ids
            in Chinese, an extra column, quoted fields holding commas and doubled quotes, CRLF
            line ends, a UTF-8 BOM or GB18030 (args.txt then asks for --encoding gb18030).
"""
import argparse
import datetime as dt
import json
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument('seed', type=int)
parser.add_argument('out')
parser.add_argument('--mode', choices=['ordinary', 'stress', 'off-day', 'short', 'text-forms'], default='ordinary')
parser.add_argument('--investors', type=int, default=60)
options = parser.parse_args()

rng = random.Random(f'{options.mode}-{options.seed}')
# The text forms draw from a generator of their own, so that the case itself is the ordinary one's.
text_rng = random.Random(f'text-{options.seed}')
gb18030 = options.mode == 'text-forms' and text_rng.random() < 0.5
stress = options.mode == 'stress'
os.makedirs(options.out, exist_ok=True)


def iso(day):
    return day.isoformat()


def yuan(milli, decimals=3):
    """A price in thousandths of a yuan, written with 3 (or 2, truncated) decimals."""
    if decimals == 2:
        return f'{milli // 1000}.{(milli % 1000) // 10:02d}'
    return f'{milli // 1000}.{milli % 1000:03d}'


def write(name, header, rows):
    with open(os.path.join(options.out, name), 'w', encoding='utf-8', newline='') as file:
        file.write(header + '\n')
        for row in rows:
            file.write(row + '\n')


def csv_field(text):
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"') else text


def write_investor_file(name, header, rows):
    """An investor file; under text-forms as people write them (see the modes above)."""
    if options.mode != 'text-forms':
        write(name, ','.join(header), [','.join(csv_field(str(field)) for field in row) for row in rows])
        return
    end = '\r\n' if text_rng.random() < 0.5 else '\n'
    lines = [','.join(header + ['note'])]
    for row in rows:
        # Any field may be quoted, needed or not.
        fields = [csv_field(str(field)) if text_rng.random() < 0.9 else '"' + str(field).replace('"', '""') + '"' for field in row]
        lines.append(','.join(fields + [csv_field(text_rng.choice(['', '备注', 'a, b', 'say "x"']))]))
    text = end.join(lines) + end
    data = text.encode('gb18030') if gb18030 else ('\ufeff' + text if text_rng.random() < 0.5 else text).encode('utf-8')
    with open(os.path.join(options.out, name), 'wb') as file:
        file.write(data)


# ---- key dates and the market ----------------------------------------------------------------

first_day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
implementation = first_day + dt.timedelta(days=rng.randint(20, 60))
# Any calendar day: a disclosure on a weekend or a suspension is day 1's concern.
disclosure = implementation + dt.timedelta(days=rng.randint(30, 200))
last_day = disclosure + dt.timedelta(days=rng.randint(5, 50) if options.mode == 'short' else rng.randint(70, 120))

days = []
day = first_day
while day <= last_day:
    if day.weekday() < 5 and rng.random() > 0.03:
        days.append(day)
    day += dt.timedelta(days=1)
if rng.random() < 0.3:
    # A suspension from the disclosure date on.
    suspended_until = disclosure + dt.timedelta(days=rng.randint(1, 8))
    days = [d for d in days if not (disclosure <= d < suspended_until)]
after_disclosure = [d for d in days if d >= disclosure]

float_shares = rng.randint(10, 200) * 10**6
# The running volume from day 1 reaches the float around this trading day: before day 10, between
# 10 and 30, or not by day 30.
turnover_day = rng.choice([3, 8, 15, 25, 40])
close_decimals = rng.choice([2, 3])
closes = {}
market_rows = []
price = rng.randint(5000, 40000)
for day in days:
    price = max(100, int(price * (1 + rng.uniform(-0.06, 0.055))))
    closes[day] = price if close_decimals == 3 else price // 10 * 10
    if day >= disclosure:
        spread = float_shares // (5 * turnover_day)
        volume = float_shares // turnover_day + rng.randint(-spread, spread)
    else:
        volume = rng.randint(10**5, 10**7)
    market_rows.append(f'{iso(day)},{yuan(closes[day], close_decimals)},{volume},{float_shares}')
write('market.csv', 'date,close,volume,float', market_rows)

index_names = ['000001.SH', '399001.SZ', '801150.SI'][: rng.choice([1, 2, 3])]
index_rows = []
for name in index_names:
    level = rng.randint(2000_0000, 5000_0000)  # in ten-thousandths of a point
    decimals = rng.choice([2, 4])
    for day in days:
        level = max(1000_0000, int(level * (1 + rng.uniform(-0.03, 0.028))))
        written = level if decimals == 4 else level // 100 * 100
        index_rows.append(f'{iso(day)},{name},{written // 10000}.{written % 10000:04d}')
write('index.csv', 'date,index,close', index_rows)

actions = {}
for _ in range(rng.choice([0, 0, 1, 1, 2])):
    where = rng.choice(['window', 'after', 'base-span', 'implementation', 'before'] + (['disclosure', 'base-span', 'base-span'] if stress else []))
    candidates = {
        'window': [d for d in days if implementation < d < disclosure],
        'after': [d for d in days if d > disclosure + dt.timedelta(days=40)],
        'base-span': [d for d in days if disclosure < d < disclosure + dt.timedelta(days=20)],
        'implementation': [implementation],
        'before': [d for d in days if d < implementation],
        'disclosure': after_disclosure[:1],
    }[where]
    if candidates:
        actions[rng.choice(candidates)] = rng.choice(['0.2', '0.25', '0.5', '1', '0.3', '0.125'])
write('actions.csv', 'date,ratio', [f'{iso(day)},{ratio}' for day, ratio in sorted(actions.items())])

# ---- investors ---------------------------------------------------------------------------------


def trade_price(day):
    if stress and rng.random() < 0.03:
        return rng.choice(['0', '0.000', '0.001', '999.999'])
    near = max(1, int(closes.get(day, 10000) * rng.uniform(0.97, 1.03)))
    return yuan(near, rng.choice([2, 3]))


periods = {
    'before': [d for d in days if d < implementation],
    'window': [d for d in days if implementation <= d < disclosure],
    'after disclosure': [d for d in days if disclosure <= d <= disclosure + dt.timedelta(days=45)],
    'late': [d for d in days if d > disclosure + dt.timedelta(days=45)],
}
investors = [f'I{options.seed % 1000:03d}{k:04d}' for k in range(options.investors)]
if options.mode == 'text-forms':
    investors = [f'投资者{name}' if k % 3 == 0 else f'基金,"甲"{name}' if k % 7 == 1 else name for k, name in enumerate(investors)]
trade_rows = []
holdings_rows = []
for investor in investors:
    accounts = [f'A{rng.randint(10**7, 10**8 - 1)}' for _ in range(rng.choice([1, 1, 2]))]
    # The position as this generator sees it (bonus actions aside), so that most sales are covered.
    position = 0
    events = []
    if rng.random() < 0.25:
        quantity = rng.choice([0, 100, 1000, 2500])
        holdings_rows.append([investor, rng.choice(accounts), quantity])
        position += quantity
        if stress and rng.random() < 0.3:
            holdings_rows.append([investor, rng.choice(accounts), 700])
            position += 700
        if rng.random() < 0.3 and periods['before']:
            # Ignored: the holdings give the position at the implementation date.
            events.append((rng.choice(periods['before']), 'B', 300))
    for _ in range(rng.randint(1, 12)):
        period = rng.choices(list(periods), [1, 5, 3, 1])[0]
        if not periods[period]:
            continue
        day = rng.choice(periods[period])
        if options.mode == 'off-day' and rng.random() < 0.1:
            day += dt.timedelta(days=rng.choice([1, 2, 3]))
        side = 'B' if rng.random() < 0.6 else 'S'
        quantity = rng.choice([100, 200, 500, 1000, 1500, 3000, 10000])
        if stress and rng.random() < 0.05:
            quantity = rng.choice([10**9, 7 * 10**11, 3 * 10**13, 123456789])
        events.append((day, side, quantity))
    events.sort(key=lambda event: event[0])
    for day, side, quantity in events:
        if side == 'S' and rng.random() < 0.98:
            # Most sales stay within the position; the rest may be missing positions.
            quantity = min(quantity, position)
            if quantity <= 0:
                continue
            position -= quantity
        elif side == 'B':
            position += quantity
        time = iso(day) if rng.random() < 0.4 else f'{iso(day)}T{rng.randint(9, 14):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}'
        trade_rows.append([investor, rng.choice(accounts), time, side, quantity, trade_price(day)])
rng.shuffle(trade_rows)
some_day = iso(days[5])
for _ in range(rng.choice([0, 1, 3])):
    investor = rng.choice(investors)
    bad = rng.choice([
        [investor, 'A1', some_day, 'X', 100, '10.00'],
        [investor, 'A1', '2021-02-30', 'B', 100, '10.00'],
        [investor, 'A1', some_day, 'B', -100, '10.00'],
        [investor, 'A1', some_day, 'B', 100, '10.0001'],
        [investor, 'A1', some_day, 'B', 100],
    ])
    trade_rows.insert(rng.randint(0, len(trade_rows)), bad)
write_investor_file('trades.csv', ['investor', 'account', 'time', 'side', 'quantity', 'price'], trade_rows)
write_investor_file('holdings.csv', ['investor', 'account', 'quantity'], holdings_rows)

# ---- the plan ----------------------------------------------------------------------------------

method = rng.choice(['none', 'fixed', 'index-comparison', 'index-comparison', 'per-investor'])
risk_deduction = {'method': method}
if method == 'fixed':
    risk_deduction['ratio'] = rng.choice(['0.25', '0.3333', '0', '1', '0.1234567', '1.5'])
if method == 'index-comparison':
    risk_deduction['indices'] = rng.sample(index_names, rng.randint(1, len(index_names)))
plan = {
    'security': {'code': '300999', 'name': 'Random', 'exchange': 'SZSE'},
    'ruleSet': rng.choice(['SPC2022', 'SPC2003']),
    'direction': rng.choices(['inflated', 'deflated'], [3, 1])[0],
    'implementationDate': iso(implementation),
    'disclosureDate': iso(disclosure),
    'averagePrice': rng.choice(['moving-weighted-average', 'fifo', 'actual-cost', 'weighted-buys']),
    'postDisclosureSales': rng.choice(['fifo', 'eligible-first']),
    'riskDeduction': risk_deduction,
    'fees': {'commissionRate': rng.choice(['0.0003', '0.00025', '0.003']), 'stampDutyRate': rng.choice(['0.001', 'by-date', '0.002'])},
    'exclusions': rng.sample(investors, rng.choice([0, 0, 1, 2])),
}
base_price_decimals = rng.choice([2, 2, 3, None, 0, 'absent'])
if base_price_decimals != 'absent':
    plan['basePriceDecimals'] = base_price_decimals
if rng.random() < 0.3:
    plan['interest'] = {'annualRates': [
        {'from': iso(implementation - dt.timedelta(days=400)), 'rate': '0.0035'},
        {'from': iso(disclosure - dt.timedelta(days=rng.randint(0, 100))), 'rate': rng.choice(['0.003', '0.0042', '0.015'])},
    ]}
if rng.random() < 0.15 and len(after_disclosure) > 25:
    plan['baseDate'] = iso(after_disclosure[rng.randint(5, 25)])
    plan['basePrice'] = yuan(closes[after_disclosure[3]])
with open(os.path.join(options.out, 'plan.json'), 'w', encoding='utf-8') as file:
    json.dump(plan, file, indent=2, ensure_ascii=False)

args = ['--plan', 'plan.json', '--trades', 'trades.csv', '--holdings', 'holdings.csv', '--market', 'market.csv', '--actions', 'actions.csv']
if method == 'index-comparison':
    args += ['--index', 'index.csv']
if method == 'per-investor':
    ratio_rows = [[investor, rng.choice(['0.1', '0.25', '0.5', '0.123456', '1', '0'])] for investor in investors if rng.random() < 0.9]
    if rng.random() < 0.3:
        ratio_rows.append([investors[0], '0.2'])  # a second ratio: a bad row
    write_investor_file('ratios.csv', ['investor', 'ratio'], ratio_rows)
    args += ['--ratios', 'ratios.csv']
if gb18030:
    args += ['--encoding', 'gb18030']
with open(os.path.join(options.out, 'args.txt'), 'w', encoding='utf-8') as file:
    file.write(' '.join(args) + '\n')
