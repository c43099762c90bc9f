#!/usr/bin/env python3
"""Seeds one month's approved payment lists for the reconciliation benchmark (issue 19) straight into a migrated SQLite
file, and writes the payer's result file of each list: N Active entitlements across W wards of Phú Thọ, one line each
(its month in payment_line_month), every list Approved. Results: 90% paid, 4% failed, 4% unclaimed, 2% wrong account.
Usage: generate_payment_lists.py app.db out_dir [lines=200000] [wards=148] [month=2026-11]"""
import csv, os, random, sqlite3, sys, uuid

db, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
w = int(sys.argv[4]) if len(sys.argv) > 4 else 148
month = sys.argv[5] if len(sys.argv) > 5 else "2026-11"
here = os.path.dirname(os.path.abspath(__file__))
seed = os.path.join(here, "..", "..", "src", "OneStopWindow.Api", "Infrastructure", "Data", "Seed", "communes-all.csv")
with open(seed, encoding="utf-8") as f:
    wards = [r["code"] for r in csv.DictReader(f) if r["province_code"] == "25"][:w]
rng = random.Random(19)
now = "2026-11-20T02:30:00.0000000Z"
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
lists, entitlements, lines, months = [], [], [], []
for wi, ward in enumerate(wards):
    list_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    count = n // len(wards) + (1 if wi < n % len(wards) else 0)
    rows = []
    for i in range(count):
        e = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        line = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        name = f"Người hưởng {wi}-{i}"
        amount = rng.choice([500_000, 750_000, 1_000_000, 1_250_000])
        entitlements.append((e, name, ward, now, now))
        lines.append((line, list_id, e, name, amount, month, month))
        months.append((line, e, month, amount))
        roll = rng.random()
        result = "paid" if roll < 0.90 else "failed" if roll < 0.94 else "không nhận" if roll < 0.98 else "sai tài khoản"
        rows.append((line, name, amount, result))
    lists.append((list_id, ward, month, now, now, count, sum(r[2] for r in rows)))
    with open(os.path.join(out, f"{list_id}.csv"), "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(["line_id", "full_name", "id_number", "method", "account", "amount_vnd", "period_from", "period_to", "result", "paid_on", "note"])
        for line, name, amount, result in rows:
            writer.writerow([line, name, "", "post-office-cash", "Bưu điện xã", amount, month, month, result, "05/12/2026", ""])
with c:
    c.executemany("""INSERT INTO entitlement (id, person_id_hash, full_name, benefit_code, ward_code, start_month, end_month, status, amount_source,
        suspension_reason, beneficiary_id, dossier_id, version, created_at, updated_at)
        VALUES (?, NULL, ?, 'BTXH-01', ?, '2026-01', NULL, 'Active', 'decision', NULL, NULL, NULL, 1, ?, ?)""", entitlements)
    c.executemany("""INSERT INTO payment_list (id, ward_code, month, status, generated_at, approved_by, approved_at, version, line_count, total_vnd)
        VALUES (?, ?, ?, 'Approved', ?, 'chair', ?, 2, ?, ?)""", lists)
    c.executemany("""INSERT INTO payment_line (id, list_id, kind, entitlement_id, payable_id, beneficiary_id, person_dossier_id, full_name, method,
        payment_method_id, account_last4, amount_vnd, period_from, period_to, result, result_at)
        VALUES (?, ?, 'regular', ?, NULL, NULL, NULL, ?, 'post-office-cash', NULL, NULL, ?, ?, ?, NULL, NULL)""", lines)
    c.executemany("INSERT INTO payment_line_month (line_id, entitlement_id, payable_id, month, amount_vnd, released) VALUES (?, ?, NULL, ?, ?, 0)", months)
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"   {len(lines)} lines on {len(lists)} approved lists ({month})")
