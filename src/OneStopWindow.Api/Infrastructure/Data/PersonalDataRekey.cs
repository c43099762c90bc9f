using System.Globalization;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>
/// The <c>rekey</c> operator command: seals every identity number, form, kept receipt and payment account with the current key — rows sealed with an
/// older key after a rotation, and rows written before encryption existed — and fills the keyed-hash lookup columns
/// (also after the hash key changed). Idempotent and resumable: it pages by primary key and rewrites only what needs it,
/// one short transaction per page, each update guarded by the values it read (a row the service changed meanwhile is
/// left for the next run), so it can run while the service serves. See deploy/README.md, "Personal data keys".
/// </summary>
public static class PersonalDataRekey
{
    private const int Page = 500;

    public static async Task<(int Dossiers, int Beneficiaries)> RunAsync(Db db, PersonalData data, CancellationToken ct)
    {
        var dossiers = await RewriteAsync<DossierRow>(db, Sql.Dossiers, Sql.UpdateDossier, r => r.Id, r =>
        {
            var id = data.Open(r.ApplicantIdNumber);
            var owner = r.OwnerIdNumber is { } stored ? data.Open(new Sealed(stored)) : null;
            var form = data.Open(r.FormData);
            using var parsed = System.Text.Json.JsonDocument.Parse(form);
            var beneficiaryHash = Domain.Applicants.Beneficiary.IdNumber(parsed.RootElement) is { } beneficiary ? data.Hash(beneficiary) : null;
            if (!data.NeedsRekey(r.ApplicantIdNumber) && !data.NeedsRekey(r.FormData) && r.ApplicantIdHash == data.Hash(id) && owner is null
                && r.BeneficiaryIdHash == beneficiaryHash) return null;
            return new
            {
                r.Id,
                OldIdNumber = r.ApplicantIdNumber,
                OldFormData = r.FormData,
                IdNumber = data.Seal(id),
                IdHash = data.Hash(id),
                FormData = data.Seal(form),
                BeneficiaryHash = beneficiaryHash,
                OwnerHash = owner is null ? null : data.Hash(owner),
            };
        }, ct);
        var beneficiaries = await RewriteAsync<BeneficiaryRow>(db, Sql.Beneficiaries, Sql.UpdateBeneficiary, r => r.Id, r =>
        {
            var id = data.Open(r.IdNumber);
            return !data.NeedsRekey(r.IdNumber) && r.IdHash == data.Hash(id) ? null : new { r.Id, OldIdNumber = r.IdNumber, IdNumber = data.Seal(id), IdHash = data.Hash(id) };
        }, ct);
        // Receipts kept for a retried submission (until the purge after the retry window) hold a tracking secret.
        await RewriteAsync<ReceiptRow>(db, Sql.Receipts, Sql.UpdateReceipt, r => r.DossierId, r =>
            !data.NeedsRekey(r.ResponseBody) ? null : new { r.Scope, r.IdemKey, OldBody = r.ResponseBody, Body = data.Seal(data.Open(r.ResponseBody)) }, ct);
        return (dossiers, beneficiaries);
    }

    /// <summary>Payment accounts (issue 18): the sealed bank-account and e-wallet numbers, re-sealed with the current key.</summary>
    public static Task<int> PaymentAccountsAsync(Db db, PersonalData data, CancellationToken ct) =>
        RewriteAsync<PaymentRow>(db, Sql.Payments, Sql.UpdatePayment, r => r.Id, r =>
        {
            bool Needs(string? stored) => stored is not null && data.NeedsRekey(new Sealed(stored));
            string? Reseal(string? stored) => stored is null ? null : data.Seal(data.Open(new Sealed(stored))).Stored;
            return !Needs(r.AccountNumber) && !Needs(r.WalletNumber) ? null : new
            {
                r.Id,
                r.Version,
                AccountNumber = Reseal(r.AccountNumber),
                WalletNumber = Reseal(r.WalletNumber),
            };
        }, ct);

    /// <summary>The account cells payment lines keep from their approval (issue 19), re-sealed with the current key.</summary>
    public static Task<int> PaymentLineAccountsAsync(Db db, PersonalData data, CancellationToken ct) =>
        RewriteAsync<LineRow>(db, Sql.LineAccounts, Sql.UpdateLineAccount, r => r.Id, r => !data.NeedsRekey(new Sealed(r.PayerAccount)) ? null : new
        {
            r.Id,
            Old = r.PayerAccount,
            Account = data.Seal(data.Open(new Sealed(r.PayerAccount))).Stored,
        }, ct);

    /// <summary>The papers (issue 20): the facts they print that may change later, and the verification code, re-sealed with the current key.</summary>
    public static Task<int> PapersAsync(Db db, PersonalData data, CancellationToken ct) =>
        RewriteAsync<PaperSealRow>(db, Sql.Papers, Sql.UpdatePaper, r => r.Id, r =>
        {
            var code = r.VerifyCode is { } stored ? new Sealed(stored) : (Sealed?)null;
            if (!data.NeedsRekey(new Sealed(r.Facts)) && (code is null || !data.NeedsRekey(code.Value))) return null;
            return new
            {
                r.Id,
                OldFacts = r.Facts,
                Facts = data.Seal(data.Open(new Sealed(r.Facts))).Stored,
                VerifyCode = code is { } c ? data.Seal(data.Open(c)).Stored : null,
            };
        }, ct);

    /// <summary>The command's entry point: returns the exit code and prints counts only (never a value).</summary>
    public static async Task<int> CommandAsync(IServiceProvider services, TextWriter output, CancellationToken ct = default)
    {
        var data = services.GetRequiredService<PersonalData>();
        var db = services.GetRequiredService<Db>();
        var (dossiers, beneficiaries) = await RunAsync(db, data, ct);
        var payments = await PaymentAccountsAsync(db, data, ct) + await PaymentLineAccountsAsync(db, data, ct);
        var papers = await PapersAsync(db, data, ct);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rekey: {dossiers} dossiers, {beneficiaries} beneficiary records, {payments} payment accounts (methods and approved lines) and {papers} papers " +
            $"rewritten with key '{data.CurrentKeyId}'; the rest were current."));
        return 0;
    }

    private static async Task<int> RewriteAsync<T>(Db db, string select, string update, Func<T, Guid> key, Func<T, object?> rewrite, CancellationToken ct)
    {
        var rewritten = 0;
        var after = Guid.Empty;
        while (true)
        {
            var rows = await db.QueryAsync<T>(db.Dialect.Limit(select), new { After = after, Limit = Page }, ct);
            if (rows.Count == 0) return rewritten;
            await using (var tx = await db.BeginWriteAsync(ct))
            {
                foreach (var row in rows)
                    if (rewrite(row) is { } args) rewritten += await tx.ExecuteAsync(update, args);
                await tx.CommitAsync();
            }
            after = key(rows[^1]);
        }
    }

    private sealed record DossierRow
    {
        public Guid Id { get; init; }
        public Sealed ApplicantIdNumber { get; init; }
        public string? ApplicantIdHash { get; init; }
        public string? BeneficiaryIdHash { get; init; }
        public string? OwnerIdNumber { get; init; }   // plain, from before hashing; cleared here
        public Sealed FormData { get; init; }
    }

    private sealed record BeneficiaryRow
    {
        public Guid Id { get; init; }
        public Sealed IdNumber { get; init; }
        public string? IdHash { get; init; }
    }

    private sealed record PaymentRow
    {
        public Guid Id { get; init; }
        public int Version { get; init; }
        public string? AccountNumber { get; init; }
        public string? WalletNumber { get; init; }
    }

    private sealed record LineRow
    {
        public Guid Id { get; init; }
        public string PayerAccount { get; init; } = "";
    }

    private sealed record PaperSealRow
    {
        public Guid Id { get; init; }
        public string Facts { get; init; } = "";
        public string? VerifyCode { get; init; }
    }

    private sealed record ReceiptRow
    {
        public Guid DossierId { get; init; }
        public string Scope { get; init; } = "";
        public string IdemKey { get; init; } = "";
        public Sealed ResponseBody { get; init; }
    }

    internal static class Sql
    {
        public const string Dossiers = """
            SELECT id, applicant_id_number, applicant_id_hash, beneficiary_id_hash, owner_id_number, form_data FROM dossier WHERE id > @After ORDER BY id
            """;
        public const string UpdateDossier = """
            UPDATE dossier SET applicant_id_number = @IdNumber, applicant_id_hash = @IdHash, form_data = @FormData, beneficiary_id_hash = @BeneficiaryHash,
                owner_id_hash = COALESCE(@OwnerHash, owner_id_hash), owner_id_number = NULL
            WHERE id = @Id AND applicant_id_number = @OldIdNumber AND form_data = @OldFormData
            """;
        public const string LineAccounts = "SELECT id, payer_account FROM payment_line WHERE id > @After AND payer_account IS NOT NULL ORDER BY id";
        public const string UpdateLineAccount = "UPDATE payment_line SET payer_account = @Account WHERE id = @Id AND payer_account = @Old";
        public const string Papers = "SELECT id, facts, verify_code FROM dossier_paper WHERE id > @After ORDER BY id";
        // Guarded by the facts read; the verification code never changes once issued.
        public const string UpdatePaper = "UPDATE dossier_paper SET facts = @Facts, verify_code = @VerifyCode WHERE id = @Id AND facts = @OldFacts";
        public const string Beneficiaries = "SELECT id, id_number, id_hash FROM beneficiary WHERE id > @After ORDER BY id";
        public const string Receipts = "SELECT dossier_id, scope, idem_key, response_body FROM idempotency_record WHERE dossier_id > @After ORDER BY dossier_id";
        public const string UpdateReceipt = "UPDATE idempotency_record SET response_body = @Body WHERE scope = @Scope AND idem_key = @IdemKey AND response_body = @OldBody";
        public const string Payments = "SELECT id, version, account_number, wallet_number FROM payment_method WHERE id > @After ORDER BY id";
        // Guarded by the version read: a change made meanwhile is already sealed with the current key. The version stays: If-Match is about content.
        public const string UpdatePayment = """
            UPDATE payment_method SET account_number = @AccountNumber, wallet_number = @WalletNumber WHERE id = @Id AND version = @Version
            """;
        public const string UpdateBeneficiary = "UPDATE beneficiary SET id_number = @IdNumber, id_hash = @IdHash WHERE id = @Id AND id_number = @OldIdNumber";
    }
}
