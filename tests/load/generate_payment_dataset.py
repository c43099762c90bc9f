#!/usr/bin/env python3
"""Seeds N entitlements across the province's wards into a migrated OneStopWindow SQLite file, for the payment-list
benchmark (issue 19). 80 % are rule-based BTXH-01 allowances (elderly groups; the claim sealed with the development
personal-data key, as the service seals it), 20 % legacy records at an imported amount; all start in the given month.
70 % of the people have a payment method (bank account or post-office cash); the others show as `unknown`.
Usage: generate_payment_dataset.py app.db N start-month(yyyy-MM)"""
import base64, datetime, hashlib, hmac, json, os, random, sqlite3, sys, uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_ID = "dev-1"
KEY = base64.b64decode("vYoYLaYk2UFZEsUNFgBGWgMQNTqMBOaX21T2LvAq+Rc=")
HASH_KEY = base64.b64decode("+9G7/7COAr9BiZN/POxEURcGUYWv8z60vmuzlliCJ6M=")
GROUPS = ["elderly-poor-no-supporter", "elderly-80-no-pension"]


def seal(plain: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(KEY).encrypt(nonce, plain.encode(), KEY_ID.encode())   # ciphertext || tag, AAD = key id
    return "pd1." + KEY_ID + "." + base64.b64encode(nonce + sealed).decode()


def main() -> None:
    path, n, start = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rnd = random.Random(19)
    db = sqlite3.connect(path)
    wards = [r[0] for r in db.execute(
        "SELECT code FROM admin_unit WHERE era = 'current' AND province_code = '25' AND unit_type IN ('ward', 'commune') ORDER BY code")]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    claims = {}
    for g in GROUPS:
        for year in range(1925, 1946):
            claims[(g, year)] = json.dumps({"procedureCode": "BTXH-01", "request": 0, "beneficiaryBirthDate": f"{year}-03-15", "groups": [g],
                                            "childrenRaised": 1, "householdPoverty": None, "pensionReceivedVnd": 0, "otherMonthlyBenefitVnd": None,
                                            "otherBenefitCode": None, "lastMonthPaidElsewhere": None, "damageType": None}, separators=(",", ":"))
    ents, bases, methods = [], [], []
    for i in range(n):
        eid = str(uuid.uuid4())
        person = hmac.new(HASH_KEY, f"0251{i:08d}".encode(), hashlib.sha256).hexdigest().upper()
        ward = wards[i % len(wards)]
        imported = i % 5 == 4 or os.environ.get("ALL_IMPORTED") == "1"
        ents.append((eid, person, f"Người hưởng {i}", ward, start, "Imported" if imported else "Rules", now, now))
        if imported:
            bases.append((eid, start, "Imported", rnd.choice([360000, 540000, 720000]), None, now))
        else:
            bases.append((eid, start, "Rules", None, seal(claims[(rnd.choice(GROUPS), rnd.randrange(1925, 1946))]), now))
        if rnd.random() < 0.7:
            bank = rnd.random() < 0.5
            methods.append((str(uuid.uuid4()), person, "bank-account" if bank else "post-office-cash", "970405" if bank else None,
                            seal(f"{rnd.randrange(10**12, 10**13)}") if bank else None, f"{rnd.randrange(10000):04d}" if bank else None,
                            None if bank else "Bưu điện xã", now, now))
    with db:
        db.executemany("""INSERT INTO entitlement (id, person_id_hash, full_name, benefit_code, ward_code, start_month, end_month, status, amount_source,
                          suspension_reason, beneficiary_id, dossier_id, version, created_at, updated_at)
                          VALUES (?, ?, ?, 'BTXH-01', ?, ?, NULL, 'Active', ?, NULL, NULL, NULL, 1, ?, ?)""", ents)
        db.executemany("""INSERT INTO entitlement_basis (entitlement_id, from_month, source, imported_amount_vnd, claim, dossier_id, decision_number, recorded_at)
                          VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)""", bases)
        db.executemany("""INSERT INTO payment_method (id, person_id_hash, entitlement_id, method, bank_code, account_number, number_last4, post_office_point,
                          version, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, 1, ?, ?)""", methods)
    print(f"seeded {n} entitlements in {len(wards)} wards, {len(methods)} payment methods")


if __name__ == "__main__":
    main()
