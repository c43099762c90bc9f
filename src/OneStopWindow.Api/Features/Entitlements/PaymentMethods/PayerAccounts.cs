using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>An entitlement's payment method with the numbers opened: what the payer's file needs, and nothing a reader is ever served.</summary>
/// <param name="AccountNumber">Bank account: the full digits.</param>
/// <param name="WalletNumber">E-wallet: the full number in E.164 (+84…).</param>
public sealed record PayerAccount(Guid EntitlementId, string Method, string? BankCode, string? BankName, string? AccountHolder, string? AccountNumber,
    string? WalletProvider, string? WalletNumber, string? PostOfficePoint, string? DeliveryAddress);

/// <summary>
/// The only code that opens account and wallet numbers: for writing the payer's export of a payment list (issue 19). No
/// endpoint calls it; every view goes through <see cref="PaymentMethodStore.ToResponse"/> (masked). Whoever calls it
/// records the export (who, which list), and never logs what it returns.
/// </summary>
public sealed class PayerAccounts(Db db, PersonalData personalData)
{
    /// <summary>1,000 ids a statement stay under SQL Server's 2,100 parameters (the statement lists them twice).</summary>
    private const int Chunk = 1000;

    /// <returns>By entitlement id; an entitlement whose beneficiary has no method recorded is absent.</returns>
    public async Task<IReadOnlyDictionary<Guid, PayerAccount>> ForEntitlementsAsync(IReadOnlyCollection<Guid> entitlementIds, CancellationToken ct)
    {
        var result = new Dictionary<Guid, PayerAccount>(entitlementIds.Count);
        foreach (var chunk in entitlementIds.Distinct().Chunk(Chunk))
            // Dapper expands a list without the Guid type handler: the ids go as text (SQLite's stored form; SQL Server converts them).
            foreach (var r in await db.QueryAsync<Row>(Sql.ForEntitlements, new { Ids = chunk.Select(id => id.ToString("D")).ToList() }, ct))
                result[r.OwnerEntitlementId] = Open(r);
        return result;
    }

    /// <summary>The payment methods a payment list's lines name (<c>payment_line.payment_method_id</c>), opened, by method id.</summary>
    public async Task<IReadOnlyDictionary<Guid, PayerAccount>> ForMethodsAsync(IReadOnlyCollection<Guid> methodIds, CancellationToken ct)
    {
        var result = new Dictionary<Guid, PayerAccount>(methodIds.Count);
        foreach (var chunk in methodIds.Distinct().Chunk(Chunk * 2))
            foreach (var r in await db.QueryAsync<Row>(Sql.ForMethods, new { Ids = chunk.Select(id => id.ToString("D")).ToList() }, ct))
                result[r.OwnerEntitlementId] = Open(r);
        return result;
    }

    /// <summary>The same, inside a write transaction: the approval of a list takes the accounts as they stand in its own turn.</summary>
    public async Task<IReadOnlyDictionary<Guid, PayerAccount>> ForMethodsAsync(DbWrite tx, IReadOnlyCollection<Guid> methodIds)
    {
        var result = new Dictionary<Guid, PayerAccount>(methodIds.Count);
        foreach (var chunk in methodIds.Distinct().Chunk(Chunk * 2))
            foreach (var r in await tx.QueryAsync<Row>(Sql.ForMethods, new { Ids = chunk.Select(id => id.ToString("D")).ToList() }))
                result[r.OwnerEntitlementId] = Open(r);
        return result;
    }

    private PayerAccount Open(Row r) => new(r.OwnerEntitlementId, r.Method, r.BankCode, r.BankName, r.AccountHolder,
        r.AccountNumber is { } account ? personalData.Open(new Sealed(account)) : null, r.WalletProvider,
        r.WalletNumber is { } wallet ? personalData.Open(new Sealed(wallet)) : null, r.PostOfficePoint, r.DeliveryAddress);

    private sealed record Row
    {
        public Guid OwnerEntitlementId { get; init; }
        public string Method { get; init; } = "";
        public string? BankCode { get; init; }
        public string? BankName { get; init; }
        public string? AccountHolder { get; init; }
        public string? AccountNumber { get; init; }
        public string? WalletProvider { get; init; }
        public string? WalletNumber { get; init; }
        public string? PostOfficePoint { get; init; }
        public string? DeliveryAddress { get; init; }
    }

    /// <summary>A fragment, outside <see cref="Sql"/> (whose every text is a whole statement, parsed as T-SQL by the tests).</summary>
    private const string Columns = """
        p.method, p.bank_code, p.bank_name, p.account_holder, p.account_number, p.wallet_provider, p.wallet_number, p.post_office_point,
        p.delivery_address
        """;

    internal static class Sql
    {

        /// <summary>A person's method by the keyed hash; a beneficiary without an identity number by the entitlement itself.</summary>
        public const string ForEntitlements = "SELECT e.id AS owner_entitlement_id, " + Columns + """

            FROM entitlement e JOIN payment_method p ON p.person_id_hash = e.person_id_hash
            WHERE e.id IN @Ids
            UNION ALL
            SELECT p.entitlement_id AS owner_entitlement_id,
            """ + Columns + """

            FROM payment_method p WHERE p.entitlement_id IN @Ids
            """;

        /// <summary>By the method's own id (<c>owner_entitlement_id</c> carries it here).</summary>
        public const string ForMethods = "SELECT p.id AS owner_entitlement_id, " + Columns + """

            FROM payment_method p WHERE p.id IN @Ids
            """;
    }
}
