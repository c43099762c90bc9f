# Bulk-inserts N synthetic dossiers into a migrated OneStopWindow SQLite file (for tests/load/queue-scale.sh).
import sqlite3, sys, uuid, random, datetime
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
wards = [r[0] for r in c.execute("select code from admin_unit where era='current' and province_code='25' and unit_type in ('ward','commune')")]
base = datetime.datetime(2026, 1, 1)
statuses = ['Received','InVerification','SupplementRequested','AwaitingDecision','ResultReady','Returned']
def rows():
    for i in range(n):
        ward = '04795' if i % 50 == 0 else random.choice(wards)
        rec = base + datetime.timedelta(minutes=i % 400000)
        appt = (rec + datetime.timedelta(days=14)).strftime('%Y-%m-%d')
        code = f"25-{rec:%y%m%d}-{i:07d}"
        yield (str(uuid.uuid4()), code, 'BTXH-01', random.choice(statuses), 'online', '25', 'Nguyen Van A', '1950-01-01',
               f"025150{i%1000000:06d}", '+84912345678', None, 'current', ward, None, ward, 'ward:'+ward, None, '{}', 'x'*64,
               rec.strftime('%Y-%m-%dT%H:%M:%S.0000000Z'), appt, 10, 1, rec.strftime('%Y-%m-%dT%H:%M:%S.0000000Z'), None, 'nguyen van a', 'vi')
c.executemany("""insert into dossier (id, code, procedure_code, status, channel, received_unit_code, applicant_name, applicant_birth_date,
 applicant_id_number, applicant_phone, applicant_email, residence_era, residence_code, residence_detail, handling_ward_code, queue_name,
 possible_duplicate_of, form_data, tracking_secret_hash, received_at, appointment_date, processing_days, version, updated_at,
 owner_id_number, applicant_search, language) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows())
c.commit(); c.execute("analyze"); c.commit()
print(c.execute("select count(*) from dossier").fetchone()[0], "dossiers;", c.execute("select count(*) from dossier where handling_ward_code='04795'").fetchone()[0], "in 04795")
