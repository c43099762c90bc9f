using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>How a beneficiary is paid, as every reader sees it: account and wallet numbers masked to their last 4 digits.</summary>
/// <param name="Method">bank-account, e-wallet, post-office-cash or home-delivery.</param>
/// <param name="Label">The method in Vietnamese.</param>
/// <param name="Cashless">Bank account and e-wallet (Directive 21/CT-TTg counts the cashless share).</param>
/// <param name="BankCode">Bank account: the bank's NAPAS BIN (6 digits).</param>
/// <param name="MaskedAccountNumber">Bank account: "••••" and the last 4 digits; the full number is never served.</param>
/// <param name="MaskedWalletNumber">E-wallet: "••••" and the last 4 digits of the wallet's phone number.</param>
/// <param name="PostOfficePoint">Cash at the post office: the payment point.</param>
/// <param name="DeliveryAddress">Home delivery: where the cash is brought.</param>
/// <param name="HomeDeliveryGround">Home delivery: elderly or disability.</param>
public sealed record PaymentMethodResponse(string Method, string Label, bool Cashless, string? BankCode, string? BankName, string? AccountHolder,
    string? MaskedAccountNumber, string? WalletProvider, string? MaskedWalletNumber, string? PostOfficePoint, string? DeliveryAddress,
    string? HomeDeliveryGround, DateTimeOffset UpdatedAt);

/// <summary>Whose payment method a row is: a person by the keyed hash of their identity number, else one entitlement (no identity number).</summary>
public sealed record PaymentOwner(string? PersonIdHash, Guid? EntitlementId)
{
    public static PaymentOwner Of(EntitlementRow row) => row.PersonIdHash is { } hash ? new(hash, null) : new(null, row.Id);
}

public sealed record PaymentMethodRow
{
    public Guid Id { get; init; }
    public string? PersonIdHash { get; init; }
    public Guid? EntitlementId { get; init; }
    public string Method { get; init; } = "";
    public string? BankCode { get; init; }
    public string? BankName { get; init; }
    public string? AccountHolder { get; init; }
    public string? AccountNumber { get; init; }   // sealed
    public string? WalletProvider { get; init; }
    public string? WalletNumber { get; init; }   // sealed
    public string? NumberLast4 { get; init; }
    public string? PostOfficePoint { get; init; }
    public string? DeliveryAddress { get; init; }
    public string? DeliveryGround { get; init; }
    public int Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record PaymentMethodChangeRow
{
    public int Version { get; init; }
    public string? OldMethod { get; init; }
    public string NewMethod { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Actor { get; init; } = "";
    public string ActorRole { get; init; } = "";
    public string? ActorUnit { get; init; }
    public bool Notified { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}

/// <summary>The reads of payment methods every view shares, and the one place a row becomes what a reader sees (masked).</summary>
public static class PaymentMethodStore
{
    public const string StaffChannel = "staff";
    public const string CitizenChannel = "citizen";

    public static Task<PaymentMethodRow?> LoadAsync(Db db, PaymentOwner owner, CancellationToken ct) => owner.PersonIdHash is { } hash
        ? db.SingleOrDefaultAsync<PaymentMethodRow>(Sql.ByPerson, new { Hash = hash }, ct)
        : db.SingleOrDefaultAsync<PaymentMethodRow>(Sql.ByEntitlement, new { Id = owner.EntitlementId }, ct);

    public static Task<PaymentMethodRow?> LoadAsync(DbWrite tx, PaymentOwner owner) => owner.PersonIdHash is { } hash
        ? tx.SingleOrDefaultAsync<PaymentMethodRow>(Sql.ByPerson, new { Hash = hash })
        : tx.SingleOrDefaultAsync<PaymentMethodRow>(Sql.ByEntitlement, new { Id = owner.EntitlementId });

    public static async Task<IReadOnlyList<PaymentMethodChangeRow>> HistoryAsync(Db db, PaymentMethodRow? row, CancellationToken ct) =>
        row is null ? [] : await db.QueryAsync<PaymentMethodChangeRow>(Sql.History, new { row.Id }, ct);

    /// <summary>The masked view of a row: the numbers appear only as their last 4 digits, for staff and the beneficiary alike.</summary>
    public static PaymentMethodResponse? ToResponse(PaymentMethodRow? row)
    {
        if (row is null) return null;
        var kind = PaymentMethodRules.Find(row.Method);
        var masked = row.NumberLast4 is { } last ? PaymentMethodRules.Masked(last) : null;
        return new(row.Method, kind?.Label ?? row.Method, kind?.Cashless ?? false, row.BankCode, row.BankName, row.AccountHolder,
            row.Method == PaymentMethodRules.BankAccount ? masked : null, row.WalletProvider,
            row.Method == PaymentMethodRules.EWallet ? masked : null, row.PostOfficePoint, row.DeliveryAddress, row.DeliveryGround,
            row.UpdatedAt);
    }

    internal static class Sql
    {
        private const string Columns = """
            SELECT id, person_id_hash, entitlement_id, method, bank_code, bank_name, account_holder, account_number, wallet_provider, wallet_number,
                   number_last4, post_office_point, delivery_address, delivery_ground, version, updated_at
            FROM payment_method
            """;
        public const string ByPerson = Columns + " WHERE person_id_hash = @Hash";
        public const string ByEntitlement = Columns + " WHERE entitlement_id = @Id";
        public const string History = """
            SELECT version, old_method, new_method, channel, actor, actor_role, actor_unit, notified, changed_at
            FROM payment_method_change WHERE payment_method_id = @Id ORDER BY version
            """;
    }
}
