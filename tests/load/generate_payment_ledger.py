#!/usr/bin/env python3
"""Approved payment lists for the payment report's scale check (issue 19): LINES lines a month over the province's 148
wards for MONTHS months ending with END, one entitlement per line slot, written straight into a migrated SQLite file.
Every month: 70 % bank account or e-wallet; 3 % of the lines also pay the month before (arrears); results 95 % paid, 2 %
failed, 2 % unclaimed, 1 % wrong account (their months released and paid again on the next list), the last month unreported.
Usage: generate_payment_ledger.py app.db [lines=200000] [months=12] [end=2026-10]"""
import random, sqlite3, sys, uuid

db, lines = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
months_n = int(sys.argv[3]) if len(sys.argv) > 3 else 12
end = sys.argv[4] if len(sys.argv) > 4 else "2026-10"
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA synchronous=OFF")
wards = [r[0] for r in c.execute("SELECT code FROM admin_unit WHERE era = 'current' AND province_code = '25' AND unit_type IN ('ward','commune') ORDER BY code")]
y, m = map(int, end.split("-"))
months = []
for _ in range(months_n):
    months.append(f"{y:04d}-{m:02d}")
    m -= 1
    if m == 0: y, m = y - 1, 12
months.reverse()
prev = lambda mo: (f"{int(mo[:4]) - 1:04d}-12" if mo[5:] == "01" else f"{mo[:4]}-{int(mo[5:]) - 1:02d}")
rnd = random.Random(19)
ents = [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in range(lines)]
ward_of = [wards[i % len(wards)] for i in range(lines)]
method_of = [rnd.choice(["bank-account", "bank-account", "e-wallet"]) if rnd.random() < 0.7 else rnd.choice(["post-office-cash", "home-delivery"]) for _ in range(lines)]
carry = set()   # entitlements whose previous month was released: paid again on this list
now = "2026-10-20T00:00:00.0000000Z"
for mi, month in enumerate(months):
    lists = {w: str(uuid.uuid4()) for w in wards}
    c.executemany("INSERT INTO payment_list (id, ward_code, month, status, generated_at, approved_by, approved_at, version, line_count, total_vnd) "
                  "VALUES (?, ?, ?, 'Approved', ?, 'chair', ?, 2, 0, 0)", [(lists[w], w, month, now, now) for w in wards])
    line_rows, month_rows, next_carry = [], [], set()
    last = mi == len(months) - 1
    for i in range(lines):
        lid = str(uuid.uuid4())
        ms = [month]
        if i in carry or rnd.random() < 0.03: ms.insert(0, prev(month))
        r = rnd.random()
        result = None if last else "paid" if r < 0.95 else "failed" if r < 0.97 else "unclaimed" if r < 0.99 else "wrong-account"
        released = 1 if result not in (None, "paid") else 0
        if released: next_carry.add(i)
        line_rows.append((lid, lists[ward_of[i]], "regular", ents[i], "Người Thử", method_of[i], 750_000 * len(ms), ms[0], ms[-1], result, None if result is None else now))
        month_rows.extend((lid, ents[i], mo, 750_000, released) for mo in ms)
    carry = next_carry
    c.executemany("INSERT INTO payment_line (id, list_id, kind, entitlement_id, payable_id, beneficiary_id, person_dossier_id, full_name, method, "
                  "payment_method_id, account_last4, amount_vnd, period_from, period_to, result, result_at) VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)", line_rows)
    # A month released and listed again: the released row stays, the new one is live (the unique index allows one live row).
    c.executemany("INSERT OR IGNORE INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released) VALUES (?, ?, NULL, ?, ?, ?)", month_rows)
    c.commit()
    print(f"   {month}: {len(line_rows)} lines, {len(month_rows)} months", flush=True)
c.execute("ANALYZE")
c.commit()
