using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Domain.Entitlements;

/// <summary>One way a beneficiary can be paid; <see cref="Cashless"/> counts toward the cashless share (Directive 21/CT-TTg).</summary>
public sealed record PaymentMethodKind(string Code, string Label, bool Cashless);

/// <summary>Why a beneficiary may be paid at home.</summary>
public sealed record HomeDeliveryGround(string Code, string Label, RuleSource Source);

/// <summary>
/// How a beneficiary (the person, for all their monthly benefits) is paid. Decree 176/2025 and Decree 20/2021 leave the
/// form to the commune's contract with a payment organisation: a bank account, an e-wallet or cash through the post office
/// (DOMAIN §10.1); cash is also brought home to those who cannot come to the payment point. The closed list, the rule of
/// who may be paid at home, and the checks of account and wallet numbers live here once.
/// </summary>
public static class PaymentMethodRules
{
    public const string BankAccount = "bank-account";
    public const string EWallet = "e-wallet";
    public const string PostOfficeCash = "post-office-cash";
    public const string HomeDelivery = "home-delivery";

    public static readonly IReadOnlyList<PaymentMethodKind> All =
    [
        new(BankAccount, "tài khoản ngân hàng", Cashless: true),
        new(EWallet, "ví điện tử", Cashless: true),
        new(PostOfficeCash, "tiền mặt tại điểm chi trả của bưu điện", Cashless: false),
        new(HomeDelivery, "tiền mặt chi trả tại nhà", Cashless: false),
    ];

    public static PaymentMethodKind? Find(string? code) => All.FirstOrDefault(m => m.Code == code);

    /// <summary>People aged 60 or more are the elderly (Law on the Elderly 2009 Art. 2).</summary>
    public const int ElderlyAge = 60;

    /// <summary>
    /// Who may be paid at home: the elderly and people with a severe or extremely severe disability (the Decree 20/2021 Art.
    /// 5 disability groups) who cannot travel to the payment point. The practice is the commune's contract under Decree
    /// 176/2025 and Decree 20/2021; the article that names home delivery is unconfirmed (verify before go-live).
    /// </summary>
    public static readonly IReadOnlyList<HomeDeliveryGround> HomeDeliveryGrounds =
    [
        new("elderly", "người cao tuổi", new("Luật Người cao tuổi 2009 Điều 2 (từ đủ 60 tuổi); chi trả tại nhà theo hợp đồng chi trả của xã " +
            "(Nghị định 176/2025/NĐ-CP, Nghị định 20/2021/NĐ-CP) — điều khoản chưa xác nhận", Confirmed: false)),
        new("disability", "người khuyết tật", new("Nghị định 20/2021/NĐ-CP Điều 5 khoản 6 (khuyết tật nặng, đặc biệt nặng); chi trả tại nhà theo " +
            "hợp đồng chi trả của xã — điều khoản chưa xác nhận", Confirmed: false)),
    ];

    public static HomeDeliveryGround? Ground(string? code) => HomeDeliveryGrounds.FirstOrDefault(g => g.Code == code);

    /// <summary>
    /// The grounds the register's own data proves for a person in <paramref name="month"/>, from the claims of their open
    /// entitlements: the beneficiary's age on the month's first day, and a disability group.
    /// </summary>
    public static IReadOnlyList<string> GroundsProven(IEnumerable<BenefitClaim> claims, DateOnly month)
    {
        var first = Months.First(month);
        var proven = new List<string>();
        foreach (var claim in claims)
        {
            if (Beneficiary.AgeOn(claim.BeneficiaryBirthDate, first) >= ElderlyAge) proven.Add("elderly");
            if (claim.Groups.Any(g => g.StartsWith("disability", StringComparison.Ordinal))) proven.Add("disability");
        }
        return [.. proven.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Bank account numbers in Vietnam run from 6 to 19 digits (the NAPAS/VietQR account field holds at most 19).</summary>
    public const int AccountMinDigits = 6;

    public const int AccountMaxDigits = 19;

    /// <summary>Digits only, spaces, dots and dashes between groups removed; false when anything else is left or the length is off.</summary>
    public static bool TryNormalizeAccountNumber(string? input, out string digits)
    {
        digits = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40) return false;
        var compact = new string(input.Where(c => c is not (' ' or '.' or '-')).ToArray());
        if (compact.Length is < AccountMinDigits or > AccountMaxDigits || !compact.All(char.IsAsciiDigit)) return false;
        digits = compact;
        return true;
    }

    /// <summary>A bank's NAPAS BIN (the code VietQR and interbank transfers use): 6 digits, e.g. 970405 for Agribank.</summary>
    public static bool IsBankCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    /// <summary>An e-wallet is opened on a Vietnamese mobile number: normalised to E.164 (+84…), landlines refused.</summary>
    public static bool TryNormalizeWalletNumber(string? input, out string e164) =>
        PhoneNumber.TryNormalize(input, out e164) && e164.Length == 12;

    /// <summary>The last 4 digits of an account or wallet number: all any reader is shown, and all a notification names.</summary>
    public static string LastFour(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return number.Length <= 4 ? number : number[^4..];
    }

    /// <summary>The one masked form of a number, from its last 4 digits.</summary>
    public static string Masked(string lastFour) => "••••" + lastFour;
}
