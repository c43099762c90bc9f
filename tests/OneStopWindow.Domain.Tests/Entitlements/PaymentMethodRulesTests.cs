using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Domain.Tests.Entitlements;

/// <summary>The closed list of payment methods, the home-delivery rule and the checks of account and wallet numbers.</summary>
public sealed class PaymentMethodRulesTests
{
    private static BenefitClaim Claim(DateOnly born, params string[] groups) => new("BTXH-01", RequestType.Start, born, groups, 1, null, 0, null, null, null, null);

    [Theory]
    [InlineData("2700 2050 12345", "2700205012345")]
    [InlineData("0451-000-123456", "0451000123456")]
    [InlineData("123456", "123456")]
    [InlineData("1234567890123456789", "1234567890123456789")]
    public void Account_numbers_are_digits_of_6_to_19_with_group_separators_ignored(string input, string digits)
    {
        Assert.True(PaymentMethodRules.TryNormalizeAccountNumber(input, out var normalized));
        Assert.Equal(digits, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("12345")]
    [InlineData("12345678901234567890")]
    [InlineData("12AB567890")]
    [InlineData("+84912345678")]
    public void Other_account_numbers_are_refused(string? input) => Assert.False(PaymentMethodRules.TryNormalizeAccountNumber(input, out _));

    [Theory]
    [InlineData("0912 345 678", true)]
    [InlineData("+84 912 345 678", true)]
    [InlineData("02103845123", false)]   // a landline opens no wallet
    [InlineData("091234567", false)]
    public void A_wallet_is_opened_on_a_Vietnamese_mobile_number(string input, bool accepted) =>
        Assert.Equal(accepted, PaymentMethodRules.TryNormalizeWalletNumber(input, out _));

    [Fact]
    public void Readers_see_only_the_last_four_digits() =>
        Assert.Equal("••••2345", PaymentMethodRules.Masked(PaymentMethodRules.LastFour("2700205012345")));

    [Fact]
    public void Home_delivery_grounds_come_from_the_beneficiarys_age_on_the_month_and_a_disability_group_Law_on_the_Elderly_Art_2()
    {
        var month = new DateOnly(2026, 3, 1);
        Assert.Equal(["elderly"], PaymentMethodRules.GroundsProven([Claim(new(1966, 3, 1), "elderly-poor-no-supporter")], month));   // 60 on the 1st
        Assert.Empty(PaymentMethodRules.GroundsProven([Claim(new(1966, 3, 2), "single-parent-poor")], month));                     // 59 that day
        Assert.Equal(["disability"], PaymentMethodRules.GroundsProven([Claim(new(1990, 1, 1), "disability-severe")], month));
        Assert.Equal(["disability", "elderly"], PaymentMethodRules.GroundsProven([Claim(new(1944, 1, 1), "disability-extremely-severe")], month));
        Assert.Empty(PaymentMethodRules.GroundsProven([], month));
    }

    [Fact]
    public void The_closed_list_names_four_methods_of_which_two_are_cashless()
    {
        Assert.Equal(["bank-account", "e-wallet", "post-office-cash", "home-delivery"], PaymentMethodRules.All.Select(m => m.Code));
        Assert.Equal(["bank-account", "e-wallet"], PaymentMethodRules.All.Where(m => m.Cashless).Select(m => m.Code));
        Assert.All(PaymentMethodRules.HomeDeliveryGrounds, g => Assert.False(g.Source.Confirmed));   // listed for confirmation before go-live
    }
}
