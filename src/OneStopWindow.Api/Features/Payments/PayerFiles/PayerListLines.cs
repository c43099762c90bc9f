using OneStopWindow.Api.Features.Entitlements.PaymentMethods;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Payments;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>A line of the list as the reconciliation compares it: what was exported, and where the line stands now.</summary>
public sealed record ListedLine(PayerLine Exported, string Kind, Guid? EntitlementId, string? Result);

/// <summary>
/// An approved list's lines as the payer receives them (issue 19, part 3), in one fixed order (by line id), so the export
/// of the same list is the same bytes every time and the result file is compared with exactly what was sent. The identity
/// number is opened from its sealed home (the dossier's applicant, or the imported beneficiary record), the account from the
/// line's own copy taken at approval (<c>payer_account</c>). Held duplicates are shown apart on the list and never sent:
/// they are not payable. Whoever calls this records the access and never logs what it returns.
/// </summary>
public sealed class PayerListLines(Db db, PersonalData personalData, PayerAccounts accounts)
{
    public async Task<PayerListHeader> HeaderAsync(PaymentListRow list, CancellationToken ct) =>
        new(list.Id, list.WardCode, await db.SingleOrDefaultAsync<string>(Sql.WardName, new { Code = list.WardCode }, ct) ?? list.WardCode,
            list.Month, list.LineCount - (int)await db.SingleOrDefaultAsync<long>(Sql.HeldCount, new { list.Id }, ct), list.TotalVnd, list.ApprovedAt!.Value);

    /// <param name="withAccounts">False when only comparing a result file (amount, identity number): the accounts stay sealed.</param>
    public async Task<IReadOnlyList<ListedLine>> LinesAsync(Guid listId, bool withAccounts, CancellationToken ct)
    {
        var rows = await db.QueryAsync<Row>(Sql.Lines, new { Id = listId }, ct);
        // Lines approved before the account was kept on the line (migration 0025) fall back to the method as it stands.
        var opened = withAccounts
            ? await accounts.ForMethodsAsync([.. rows.Where(r => r.PayerAccount is null && r.PaymentMethodId is not null && r.Kind != LineKinds.HeldDuplicate)
                .Select(r => r.PaymentMethodId!.Value)], ct)
            : new Dictionary<Guid, PayerAccount>();
        return [.. rows.Select(r => new ListedLine(
            new PayerLine(r.Id, r.FullName, (r.DossierIdNumber ?? r.BeneficiaryIdNumber) is { } sealedId ? personalData.Open(new Sealed(sealedId)) : null,
                r.Method, !withAccounts ? null
                    : r.PayerAccount is { } snapshot ? personalData.Open(new Sealed(snapshot))
                    : r.PaymentMethodId is { } m && opened.TryGetValue(m, out var account) ? Account(account) : null, r.AmountVnd, r.PeriodFrom, r.PeriodTo),
            r.Kind, r.EntitlementId, r.Result))];
    }

    /// <summary>The account cell as the payer reads it: bank and number, wallet provider and number, the post-office point, or the delivery address.</summary>
    public static string? Account(PayerAccount a) => a.Method switch
    {
        PayerMethods.BankAccount => Join(a.BankName ?? a.BankCode, a.AccountNumber),
        PayerMethods.EWallet => Join(a.WalletProvider, a.WalletNumber),
        PayerMethods.PostOfficeCash => a.PostOfficePoint,
        PayerMethods.HomeDelivery => a.DeliveryAddress,
        _ => null,
    };

    private static string? Join(string? first, string? second) =>
        string.Join(' ', new[] { first, second }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } joined ? joined : null;

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public Guid? EntitlementId { get; init; }
        public string FullName { get; init; } = "";
        public string Method { get; init; } = "";
        public Guid? PaymentMethodId { get; init; }
        public long AmountVnd { get; init; }
        public string PeriodFrom { get; init; } = "";
        public string PeriodTo { get; init; } = "";
        public string? Result { get; init; }
        public string? PayerAccount { get; init; }
        public string? DossierIdNumber { get; init; }
        public string? BeneficiaryIdNumber { get; init; }
    }

    internal static class Sql
    {
        public const string WardName = "SELECT full_name FROM admin_unit WHERE era = 'current' AND code = @Code";
        public const string HeldCount = "SELECT COUNT(*) FROM payment_line WHERE list_id = @Id AND kind = 'held-duplicate'";
        public const string Lines = """
            SELECT l.id, l.kind, l.entitlement_id, l.full_name, l.method, l.payment_method_id, l.amount_vnd, l.period_from, l.period_to, l.result, l.payer_account,
                   d.applicant_id_number AS dossier_id_number, b.id_number AS beneficiary_id_number
            FROM payment_line l
            LEFT JOIN dossier d ON d.id = l.person_dossier_id
            LEFT JOIN beneficiary b ON b.id = l.beneficiary_id
            WHERE l.list_id = @Id
            ORDER BY l.id
            """;
    }
}
