-- The "simplest method" of docs/loss-methodology.md in DuckDB SQL, for bench/duckdb.bench.ts:
-- buy-side (inflated), SPC2022 base date, moving weighted average, FIFO sales across pools,
-- no risk deduction, no interest, no exclusions. The bench sets these variables first:
--   trades_csv, holdings_csv, market_csv, actions_csv   paths
--   impl, disclosure                                    DATE
--   base_price_decimals                                 0 … 3
--   commission_num, commission_den, stamp_num, stamp_den  the plan's rates as integer fractions
-- and reads the table `result` (investor, status, principal, commission, stamp_duty, total in fen).
--
-- Exactness (§1): no DOUBLE anywhere. Shares are counted in "units", 1/F of a share with F the product
-- of the bonus factors' denominators, so that a bonus action never makes a fraction: a position dated t
-- holds scale(t) units per share, scale(t) = Π num(a) over actions after t × Π den(a) over the others,
-- and a position's unit count never changes. Money is in 1/G of a thousandth of a yuan, G the lcm of
-- every scale(t), so that the proceeds of part of a sale (units × price / scale) stay integers too.
-- The moving-average cost of E is the one true fraction (a sale multiplies it by (E − s)/E); it is
-- carried as numerator/denominator in lowest terms in HUGEINT. DuckDB raises an error on a HUGEINT
-- overflow rather than wrapping, and the fold is wrapped in try(): an investor whose fraction outgrows
-- 128 bits comes out with status 'overflow', never with a wrong amount.

CREATE OR REPLACE TEMP TABLE trades AS
SELECT investor, time, side, quantity, price, left(time, 10)::DATE AS d
FROM read_csv(getvariable('trades_csv'), header = true, auto_detect = false,
  columns = {'investor': 'VARCHAR', 'account': 'VARCHAR', 'time': 'VARCHAR', 'side': 'VARCHAR',
             'quantity': 'BIGINT', 'price': 'DECIMAL(18,3)'});

CREATE OR REPLACE TEMP TABLE holdings AS
SELECT investor, sum(quantity)::HUGEINT AS q
FROM read_csv(getvariable('holdings_csv'), header = true, auto_detect = false,
  columns = {'investor': 'VARCHAR', 'account': 'VARCHAR', 'quantity': 'BIGINT'})
GROUP BY investor;

CREATE OR REPLACE TEMP TABLE market AS
SELECT * FROM read_csv(getvariable('market_csv'), header = true, auto_detect = false,
  columns = {'date': 'DATE', 'close': 'DECIMAL(18,3)', 'volume': 'BIGINT', 'float': 'BIGINT'});

-- 1 + ratio as a fraction in lowest terms, from the ratio's decimal text (a DECIMAL type would cap its digits)
CREATE OR REPLACE TEMP TABLE actions AS
WITH raw AS (
  SELECT date AS d, ratio FROM read_csv(getvariable('actions_csv'), header = true, auto_detect = false,
    columns = {'date': 'DATE', 'ratio': 'VARCHAR'})
), parsed AS (
  SELECT d, CAST(10 ** length(split_part(ratio, '.', 2)) AS HUGEINT) AS den0, CAST(replace(ratio, '.', '') AS HUGEINT) AS r
  FROM raw
)
SELECT d, (den0 + r) // gcd(den0 + r, den0) AS num, den0 // gcd(den0 + r, den0) AS den FROM parsed;

CREATE OR REPLACE TEMP TABLE day_scale AS
WITH days AS (
  SELECT DISTINCT d FROM trades
  UNION SELECT date FROM market
  UNION SELECT getvariable('impl') - 1 -- holdings.csv: the start of the implementation date, before its action
)
SELECT days.d,
  coalesce(list_reduce(list(CASE WHEN a.d > days.d THEN a.num ELSE a.den END) FILTER (WHERE a.d IS NOT NULL),
                       lambda x, y: x * y), 1::HUGEINT) AS scale
FROM days LEFT JOIN actions a ON true
GROUP BY days.d;

SET VARIABLE g = (SELECT list_reduce(list(scale), lambda x, y: lcm(x, y)) FROM day_scale);

-- §3, SPC2022: day max(n, 10), n the first day the running volume reaches day 1's float; day 30 if not by then
CREATE OR REPLACE TEMP TABLE after_disclosure AS
SELECT date, close, row_number() OVER w AS n,
  sum(volume) OVER w AS running, first_value(float) OVER w AS float1
FROM market WHERE date >= getvariable('disclosure')
WINDOW w AS (ORDER BY date ROWS UNBOUNDED PRECEDING);

SET VARIABLE base_n = (
  SELECT CASE WHEN min(n) IS NULL THEN 30 ELSE greatest(min(n), 10) END -- greatest() would skip a NULL
  FROM after_disclosure WHERE running >= float1 AND n <= 30);
SET VARIABLE base_date = (SELECT date FROM after_disclosure WHERE n = getvariable('base_n'));

-- mean close over day 1 … base date, each close restated per share of the base date (× scale(base)/scale(d))
CREATE OR REPLACE TEMP TABLE base AS
WITH m AS (
  SELECT (SELECT scale FROM day_scale WHERE d = getvariable('base_date'))
           * sum(CAST(a.close * 1000 AS HUGEINT) * (getvariable('g') // s.scale)) AS num,
         getvariable('g') * count(*) AS den,
         CAST(10 ** (3 - getvariable('base_price_decimals')) AS HUGEINT) AS step
  FROM after_disclosure a JOIN day_scale s ON s.d = a.date
  WHERE a.n <= getvariable('base_n')
)
SELECT num AS mean_num, den * 1000 AS mean_den, ((2 * num + den * step) // (2 * den * step)) * step AS price_mills
FROM m;

-- The base price per unit of shares, as money per unit.
SET VARIABLE base_unit_money = (SELECT price_mills FROM base)
  * (getvariable('g') // (SELECT scale FROM day_scale WHERE d = getvariable('base_date')));

-- The fold walks E's sales in the window with cost = a/u in lowest terms (gcd(a, u) = 1) and v = the E buy
-- amount already in it. At a sale, the buys since the last one come in first (a + Δ·u keeps lowest terms), then
-- the sale multiplies the cost by u'/v' (coprime) with cross-cancelling; a sale that empties E, or a zero cost,
-- restarts at 0/1, which is also §4.2's reset. Buys after the last sale are added by the caller. (p is carried
-- only because list_reduce's accumulator must have the steps' shape.)
CREATE OR REPLACE TEMP MACRO fold_cost(steps) AS try(list_reduce(steps, lambda c, x:
  CASE WHEN x.u = 0 OR c.a + (x.a - c.v) * c.u = 0 THEN {'p': 0::BIGINT, 'a': 0::HUGEINT, 'u': 1::HUGEINT, 'v': x.a}
       ELSE {'p': 0::BIGINT, 'a': ((c.a + (x.a - c.v) * c.u) // gcd(c.a + (x.a - c.v) * c.u, x.v)) * (x.u // gcd(x.u, c.u)),
             'u': (c.u // gcd(x.u, c.u)) * (x.v // gcd(c.a + (x.a - c.v) * c.u, x.v)),
             'v': x.a} END,
  {'p': 0::BIGINT, 'a': 0::HUGEINT, 'u': 1::HUGEINT, 'v': 0::HUGEINT}));

-- num / den rounded half away from zero (den > 0); NULL when it would overflow
CREATE OR REPLACE TEMP MACRO round_away(num, den) AS try(sign(num) * ((2 * abs(num) + den) // (2 * den)));

-- One statement from here on, so that DuckDB pipelines it instead of materializing each step.
CREATE OR REPLACE TEMP TABLE result AS
WITH events AS (
  -- Every share movement of an investor in its order (§2.2: time, then file order). The pseudo-buy of
  -- holdings.csv comes first (empty time) and replaces the investor's trades before the implementation date.
  SELECT h.investor, '' AS time, 0 AS src, 0::BIGINT AS rn, getvariable('impl') - 1 AS d, true AS is_buy, 0 AS pool,
         h.q * s.scale AS units, 0::HUGEINT AS unit_money
  FROM holdings h JOIN day_scale s ON s.d = getvariable('impl') - 1
  UNION ALL
  SELECT t.investor, t.time, 1, t.rowid, t.d, t.side = 'B',
         CASE WHEN t.d < getvariable('impl') THEN 0 WHEN t.d < getvariable('disclosure') THEN 1 ELSE 2 END,
         t.quantity * s.scale, CAST(t.price * 1000 AS HUGEINT) * (getvariable('g') // s.scale)
  FROM trades t JOIN day_scale s ON s.d = t.d
  WHERE t.d >= getvariable('impl') OR t.investor NOT IN (SELECT investor FROM holdings)
), running AS (
  SELECT *,
    row_number() OVER w AS pos,
    sum(CASE WHEN is_buy THEN units ELSE 0 END) OVER w AS b_cum,
    sum(CASE WHEN is_buy THEN 0 ELSE units END) OVER w AS s_cum,
    sum(CASE WHEN is_buy AND pool = 1 THEN units ELSE 0 END) OVER w AS be_cum,
    sum(CASE WHEN is_buy AND pool = 1 THEN units * unit_money ELSE 0 END) OVER w AS ae_cum,
    sum(CASE WHEN is_buy AND pool = 0 THEN units ELSE 0 END) OVER (PARTITION BY investor) AS b_pre
  FROM events
  WINDOW w AS (PARTITION BY investor ORDER BY time, src, rn ROWS UNBOUNDED PRECEDING)
), walk AS (
  -- §4.1 with FIFO across pools: buys enter one queue in time order, so the pools lie in it as P0 | E | P2,
  -- and the shares sold so far are always a prefix of it. A sale takes from E the part of its stretch of the
  -- queue (s_cum − units, s_cum] that falls in E's stretch (b_pre, b_pre + be_cum].
  SELECT *,
    CASE WHEN is_buy THEN 0::HUGEINT
         ELSE greatest(0, least(s_cum, b_pre + be_cum) - greatest(s_cum - units, b_pre)) END AS e_sold,
    greatest(0, b_pre + be_cum - greatest(s_cum, b_pre)) AS e_after
  FROM running
), per_investor AS (
  -- E at the end of the window, the sold leg in [disclosure, base date], and E's sales in the window for the
  -- moving-average fold: each with the E buy amount so far (a) and the factor u/v = E after / E before that it
  -- applies to the cost (reduced here, so that the fold only cross-cancels). An investor without such a sale,
  -- the common case, has no fold to do: its cost is what it paid for E. The steps are put in order by their
  -- position p in the walk (list_sort orders structs by their first field), which measured faster than an
  -- ORDER BY inside list().
  SELECT investor,
    bool_or(NOT is_buy AND s_cum > b_cum) AS missing_position,
    sum(CASE WHEN is_buy AND pool = 1 THEN units ELSE 0 END)
      - sum(CASE WHEN NOT is_buy AND d < getvariable('disclosure') THEN e_sold ELSE 0 END) AS e_end,
    sum(CASE WHEN NOT is_buy AND d >= getvariable('disclosure') AND d <= getvariable('base_date') THEN e_sold ELSE 0 END) AS q_sold,
    sum(CASE WHEN NOT is_buy AND d >= getvariable('disclosure') AND d <= getvariable('base_date') THEN e_sold * unit_money ELSE 0 END) AS proceeds,
    sum(CASE WHEN is_buy AND pool = 1 THEN units * unit_money ELSE 0 END) AS e_bought,
    list_sort(list({'p': pos, 'a': ae_cum, 'u': e_after // gcd(e_after, e_after + e_sold), 'v': (e_after + e_sold) // gcd(e_after, e_after + e_sold)})
      FILTER (WHERE NOT is_buy AND e_sold > 0 AND d >= getvariable('impl') AND d < getvariable('disclosure'))) AS steps
  FROM walk
  GROUP BY investor
), loss AS (
  -- L = cost of E − proceeds of the sold leg − base price × Q_held, in 1/G thousandths of a yuan, as the
  -- fraction l_num / cost.u (cost of E = (cost.a + (e_bought − cost.v)·cost.u) / cost.u: the fold's result plus
  -- the buys after E's last sale); a fen is 10·G of those units, so an amount in fen is l_num / fen_den.
  SELECT investor, missing_position, e_end,
    try(cost.a + cost.u * (e_bought - cost.v - proceeds - getvariable('base_unit_money') * (e_end - q_sold))) AS l_num,
    try(cost.u * 10 * getvariable('g')) AS fen_den
  FROM (SELECT *, fold_cost(coalesce(steps, [])) AS cost FROM per_investor)
), status AS (
  -- §4.3's order of precedence (no exclusions in this plan); 'overflow' is the SQL's own: beyond 128 bits
  SELECT investor, l_num, fen_den,
    CASE WHEN missing_position THEN 'rejected'
         WHEN e_end = 0 THEN 'ineligible'
         WHEN l_num IS NULL OR fen_den IS NULL THEN 'overflow'
         WHEN l_num <= 0 THEN 'zero'
         ELSE 'payable' END AS status
  FROM loss
), amounts AS (
  SELECT investor, status,
    CASE WHEN status = 'payable' THEN round_away(l_num, fen_den) ELSE 0 END AS principal,
    CASE WHEN status = 'payable' THEN round_away(l_num * getvariable('commission_num'), fen_den * getvariable('commission_den')) ELSE 0 END AS commission,
    CASE WHEN status = 'payable' THEN round_away(l_num * getvariable('stamp_num'), fen_den * getvariable('stamp_den')) ELSE 0 END AS stamp_duty
  FROM status
)
-- §6: total = sum of the rounded components (no interest in this plan)
SELECT investor,
  CASE WHEN principal IS NULL OR commission IS NULL OR stamp_duty IS NULL THEN 'overflow' ELSE status END AS status,
  principal, commission, stamp_duty, principal + commission + stamp_duty AS total
FROM amounts;
