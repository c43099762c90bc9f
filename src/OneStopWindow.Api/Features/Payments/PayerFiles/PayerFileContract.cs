using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>
/// One line of an approved payment list as the payer sees it (api-specs/payment-files.md). It carries what the payer
/// needs to pay and nothing else: never the beneficiary group, the coefficient or the reason of the benefit.
/// </summary>
/// <param name="Method">One of <see cref="PayerMethods.All"/>.</param>
/// <param name="Account">The payee's opened account as the payer knows it: "VBA 1234567890", a wallet number, a
/// post-office point or the delivery address.</param>
/// <param name="PeriodFrom">First month the amount covers, yyyy-MM.</param>
/// <param name="PeriodTo">Last month the amount covers, yyyy-MM.</param>
public sealed record PayerLine(Guid LineId, string FullName, string? IdNumber, string Method, string? Account, long AmountVnd,
    string PeriodFrom, string PeriodTo);

/// <summary>The list's facts, printed on the XLSX export's second sheet; the export's dates come from <see cref="ApprovedAt"/>.</summary>
/// <param name="Month">The month paid, yyyy-MM.</param>
public sealed record PayerListHeader(Guid ListId, string WardCode, string WardName, string Month, int LineCount, long TotalVnd,
    DateTimeOffset ApprovedAt);

public static class PayerMethods
{
    public const string BankAccount = "bank-account";
    public const string EWallet = "e-wallet";
    public const string PostOfficeCash = "post-office-cash";
    public const string HomeDelivery = "home-delivery";

    public static readonly IReadOnlyList<string> All = [BankAccount, EWallet, PostOfficeCash, HomeDelivery];
}

/// <summary>The export's columns, in order. The last three are left empty for the payer to fill.</summary>
public static class PayerColumns
{
    public const string LineId = "line_id";
    public const string FullName = "full_name";
    public const string IdNumber = "id_number";
    public const string Method = "method";
    public const string Account = "account";
    public const string AmountVnd = "amount_vnd";
    public const string PeriodFrom = "period_from";
    public const string PeriodTo = "period_to";
    public const string Result = "result";
    public const string PaidOn = "paid_on";
    public const string Note = "note";

    public static readonly IReadOnlyList<string> All = [LineId, FullName, IdNumber, Method, Account, AmountVnd, PeriodFrom, PeriodTo, Result, PaidOn, Note];
}

/// <summary>What the payer reports for a line.</summary>
public enum PayerResult
{
    Paid,
    Failed,
    Unclaimed,
    WrongAccount,
}

/// <summary>
/// The result column's values: the wire names and the Vietnamese words payers write instead. Matching ignores case,
/// accents (a payer typing without a Vietnamese keyboard writes "da chi") and the separators space, '-' and '_'.
/// </summary>
public static class PayerResults
{
    public static readonly IReadOnlyDictionary<PayerResult, string> WireNames = new Dictionary<PayerResult, string>
    {
        [PayerResult.Paid] = "paid",
        [PayerResult.Failed] = "failed",
        [PayerResult.Unclaimed] = "unclaimed",
        [PayerResult.WrongAccount] = "wrong-account",
    };

    /// <summary>Accepted words per result, wire name first; api-specs/payment-files.md lists the same.</summary>
    public static readonly IReadOnlyDictionary<PayerResult, string[]> Synonyms = new Dictionary<PayerResult, string[]>
    {
        [PayerResult.Paid] = ["paid", "đã chi", "đã chi trả", "đã trả", "đã nhận", "chi thành công", "thành công"],
        [PayerResult.Failed] = ["failed", "không chi được", "chi không thành công", "không thành công", "thất bại", "lỗi"],
        [PayerResult.Unclaimed] = ["unclaimed", "không nhận", "chưa nhận", "không đến nhận", "vắng mặt"],
        [PayerResult.WrongAccount] = ["wrong-account", "sai tài khoản", "sai số tài khoản", "tài khoản sai", "sai tk"],
    };

    private static readonly Dictionary<string, PayerResult> ByKey = Synonyms
        .SelectMany(s => s.Value.Select(word => (Key: Key(word), Result: s.Key)))
        .ToDictionary(p => p.Key, p => p.Result, StringComparer.Ordinal);

    public static string WireName(this PayerResult result) => WireNames[result];

    public static bool TryParse(string? text, out PayerResult result) => ByKey.TryGetValue(Key(text), out result);

    private static string Key(string? text) => SearchText.Fold(text?.Replace('-', ' ').Replace('_', ' '));
}
