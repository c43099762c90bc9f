using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>
/// How the beneficiary wants to be paid. Send the fields of the chosen method only: bank-account → bankCode, bankName,
/// accountNumber, accountHolder; e-wallet → walletProvider, walletNumber (accountHolder optional); post-office-cash →
/// postOfficePoint; home-delivery → deliveryAddress, homeDeliveryGround.
/// </summary>
/// <param name="Method">bank-account, e-wallet, post-office-cash or home-delivery.</param>
/// <param name="BankCode">The bank's NAPAS BIN, 6 digits (970405 Agribank, 970418 BIDV, 970436 Vietcombank, 970415 VietinBank …).</param>
/// <param name="AccountNumber">6 to 19 digits (spaces, dots and dashes between groups are ignored). Stored sealed; only its last 4 digits are ever shown.</param>
/// <param name="AccountHolder">The name on the account (a guardian's account for a child is allowed).</param>
/// <param name="WalletNumber">The Vietnamese mobile number the e-wallet is opened on. Stored sealed; only its last 4 digits are ever shown.</param>
/// <param name="HomeDeliveryGround">elderly (60 or over) or disability (a severe or extremely severe disability group); the register's data must show it.</param>
public sealed record SetPaymentMethodRequest(string? Method, string? BankCode, string? BankName, string? AccountNumber, string? AccountHolder,
    string? WalletProvider, string? WalletNumber, string? PostOfficePoint, string? DeliveryAddress, string? HomeDeliveryGround);

/// <summary>A request that passed <see cref="PaymentMethodInput.Validate"/>, with its numbers normalised.</summary>
public sealed record PaymentMethodChoice(string Method, SetPaymentMethodRequest Body, string? AccountDigits, string? WalletE164)
{
    public string? Number => AccountDigits ?? WalletE164;
}

/// <summary>The checks of a payment-method request, with messages the citizen reads (they never repeat the number sent).</summary>
public static class PaymentMethodInput
{
    private static readonly Dictionary<string, string[]> FieldsOf = new(StringComparer.Ordinal)
    {
        [PaymentMethodRules.BankAccount] = ["bankCode", "bankName", "accountNumber", "accountHolder"],
        [PaymentMethodRules.EWallet] = ["walletProvider", "walletNumber", "accountHolder"],
        [PaymentMethodRules.PostOfficeCash] = ["postOfficePoint"],
        [PaymentMethodRules.HomeDelivery] = ["deliveryAddress", "homeDeliveryGround"],
    };

    public static IEnumerable<FieldError> Validate(SetPaymentMethodRequest? body)
    {
        if (body is null)
        {
            yield return new("method", "Vui lòng gửi phương thức nhận trợ cấp.");
            yield break;
        }
        if (PaymentMethodRules.Find(body.Method) is null)
        {
            yield return new("method", "Chọn một phương thức nhận trợ cấp: bank-account (tài khoản ngân hàng), e-wallet (ví điện tử), " +
                "post-office-cash (tiền mặt tại điểm chi trả của bưu điện) hoặc home-delivery (chi trả tại nhà).");
            yield break;
        }
        var used = FieldsOf[body.Method!];
        foreach (var (field, value) in Fields(body))
            if (!string.IsNullOrWhiteSpace(value) && !used.Contains(field))
                yield return new(field, "Trường này không dùng cho phương thức đã chọn; vui lòng bỏ trống.");

        switch (body.Method)
        {
            case PaymentMethodRules.BankAccount:
                if (!PaymentMethodRules.IsBankCode(body.BankCode?.Trim()))
                    yield return new("bankCode", "Mã ngân hàng (mã BIN NAPAS) gồm 6 chữ số, ví dụ 970405 (Agribank), 970418 (BIDV).");
                if (Text(body.BankName, 100) is { } bankName) yield return new("bankName", $"Vui lòng ghi tên ngân hàng {bankName}");
                if (!PaymentMethodRules.TryNormalizeAccountNumber(body.AccountNumber, out _))
                    yield return new("accountNumber", $"Số tài khoản chỉ gồm chữ số, từ {PaymentMethodRules.AccountMinDigits} đến " +
                        $"{PaymentMethodRules.AccountMaxDigits} chữ số.");
                if (Text(body.AccountHolder, 100) is { } holder) yield return new("accountHolder", $"Vui lòng ghi tên chủ tài khoản {holder}");
                break;
            case PaymentMethodRules.EWallet:
                if (Text(body.WalletProvider, 100) is { } provider)
                    yield return new("walletProvider", $"Vui lòng ghi tên ví điện tử, ví dụ Viettel Money, VNPT Money {provider}");
                if (!PaymentMethodRules.TryNormalizeWalletNumber(body.WalletNumber, out _))
                    yield return new("walletNumber", "Số điện thoại di động đăng ký ví gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.");
                if (body.AccountHolder?.Trim().Length > 100) yield return new("accountHolder", "Tên chủ ví tối đa 100 ký tự.");
                break;
            case PaymentMethodRules.PostOfficeCash:
                if (Text(body.PostOfficePoint, 200) is { } point)
                    yield return new("postOfficePoint", $"Vui lòng ghi điểm chi trả của bưu điện, ví dụ Bưu điện văn hóa xã Hy Cương {point}");
                break;
            case PaymentMethodRules.HomeDelivery:
                if (Text(body.DeliveryAddress, 300) is { } address)
                    yield return new("deliveryAddress", $"Vui lòng ghi địa chỉ nhận tiền tại nhà (số nhà, thôn/tổ, xã/phường) {address}");
                if (PaymentMethodRules.Ground(body.HomeDeliveryGround) is null)
                    yield return new("homeDeliveryGround", "Căn cứ chi trả tại nhà: elderly (người cao tuổi) hoặc disability (người khuyết tật).");
                break;
        }
    }

    /// <summary>The request after <see cref="Validate"/> passed: the method, the account digits or the wallet's E.164 number.</summary>
    public static PaymentMethodChoice Choice(SetPaymentMethodRequest body)
    {
        PaymentMethodRules.TryNormalizeAccountNumber(body.AccountNumber, out var digits);
        PaymentMethodRules.TryNormalizeWalletNumber(body.WalletNumber, out var e164);
        return new(body.Method!, body, body.Method == PaymentMethodRules.BankAccount ? digits : null,
            body.Method == PaymentMethodRules.EWallet ? e164 : null);
    }

    private static string? Text(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? "(bắt buộc)." : value.Trim().Length > max ? $"(tối đa {max} ký tự)." : null;

    private static IEnumerable<(string Field, string? Value)> Fields(SetPaymentMethodRequest b) =>
    [
        ("bankCode", b.BankCode), ("bankName", b.BankName), ("accountNumber", b.AccountNumber), ("accountHolder", b.AccountHolder),
        ("walletProvider", b.WalletProvider), ("walletNumber", b.WalletNumber), ("postOfficePoint", b.PostOfficePoint),
        ("deliveryAddress", b.DeliveryAddress), ("homeDeliveryGround", b.HomeDeliveryGround),
    ];
}
