# Bulk-inserts N synthetic dossiers, 10 timeline events each, and their report rows into a migrated, seeded
# OneStopWindow SQLite file — the dataset of tests/load/report-scale.sh (issue 5: "a million dossiers and ten
# million timeline events"). The report rows follow the same rules as ReportProjection.Fact, so the service's
# projector has nothing left to do (its cursor is set past the last event).
# Usage: python3 generate_report_dataset.py <app.db> <dossiers>
import sqlite3, sys, uuid, random, datetime
db, n = sys.argv[1], int(sys.argv[2])
random.seed(5)
c = sqlite3.connect(db)
c.execute("pragma journal_mode=wal"); c.execute("pragma synchronous=off")
wards = [r[0] for r in c.execute("select code from admin_unit where era='current' and province_code='25' and unit_type in ('ward','commune')")]
procedures = [r[0] for r in c.execute("select code from catalogue_procedure")]
channels = ['online', 'online', 'counter', 'postal']
base = datetime.date(2025, 7, 1)
kinds = ['Submitted', 'RoutedToWard', 'RegistryChecked', 'Claimed', 'Verified', 'ForwardedToChair', 'Approved', 'ResultReturned', 'Rated', 'DocumentAttached']

def workday_after(d, k):
    while k > 0:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5: k -= 1
    return d

dossiers, events, facts = [], [], []
def flush():
    c.executemany("""insert into dossier (id, code, procedure_code, status, channel, received_unit_code, applicant_name, applicant_birth_date,
      applicant_id_number, applicant_phone, residence_era, residence_code, handling_ward_code, queue_name, form_data, tracking_secret_hash,
      received_at, appointment_date, processing_days, version, updated_at, applicant_search, outcome, decision_date, rating)
      values (?,?,?,?,?,'25','Nguyen Van A','1950-01-01',?,'+84912345678','current',?,?,?,'{}','x',?,?,10,5,?,'nguyen van a',?,?,?)""", dossiers)
    c.executemany("""insert into dossier_event (id, dossier_id, kind, status_after, actor, actor_role, occurred_at, note, step_id)
      values (?,?,?,?,'system','system',?,NULL,NULL)""", events)
    c.executemany("""insert into dossier_report (dossier_id, received_day, ward_code, procedure_code, channel, status, outcome, decided_day, closed_day,
      on_time, working_days, supplements, objections, rating, amount_vnd, withdrawn) values (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?)""", facts)
    dossiers.clear(); events.clear(); facts.clear()

for i in range(n):
    # Time-ordered ids, as the service's UUIDv7s are: appends to the primary-key B-trees instead of random inserts.
    did = str(uuid.UUID(int=(0x019 << 116) | (i << 40)))
    rec = base + datetime.timedelta(days=int(i * 480 / n))            # spread over 16 months
    ward = random.choice(wards); proc = random.choice(procedures); channel = random.choice(channels)
    appt = workday_after(rec, 10)
    r = random.random()
    status, outcome, decided, closed, on_time, wd, rating, amount, withdrawn = 'InVerification', None, None, None, None, None, None, None, 0
    if r < 0.75:
        wd = random.randint(3, 14); decided = workday_after(rec, wd); closed = decided
        outcome = 'Granted' if random.random() < 0.8 else 'Denied'; status = 'ResultReady'
        on_time = 1 if decided <= appt else 0
        rating = random.choice([None, 1, 2, 3, 3]); amount = 750000 if outcome == 'Granted' and random.random() < 0.6 else None
    elif r < 0.8:
        status, withdrawn, closed = 'Withdrawn', 1, rec + datetime.timedelta(days=2)
    at = f"{rec.isoformat()}T02:00:00.0000000+00:00"
    dossiers.append((did, f"25-{rec:%y%m%d}-{i:07d}", proc, status, channel, f"025150{i % 1000000:06d}", ward, ward, 'ward:' + ward,
                     at, appt.isoformat(), at, outcome, decided.isoformat() if decided else None, rating))
    for j, k in enumerate(kinds):
        events.append((str(uuid.UUID(int=(0x019 << 116) | (i << 40) | (j + 1))), did, k, status, at))
    facts.append((did, rec.isoformat(), ward, proc, channel, status, outcome, decided.isoformat() if decided else None,
                  closed.isoformat() if closed else None, on_time, wd, random.choice([0, 0, 0, 1]), rating, amount, withdrawn))
    if len(dossiers) == 20000: flush()
flush()
top = c.execute("select coalesce(max(position), 0) from integration_event").fetchone()[0]
c.execute("insert or replace into outbox_cursor (name, position) values ('reports', ?)", (top,))
c.commit(); c.execute("analyze"); c.commit()
print(c.execute("select count(*) from dossier").fetchone()[0], "dossiers,", c.execute("select count(*) from dossier_event").fetchone()[0], "timeline events,",
      c.execute("select count(*) from dossier_report").fetchone()[0], "report rows")
