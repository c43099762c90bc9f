using OneStopWindow.Domain.Applicants;

namespace OneStopWindow.Domain.Tests.Applicants;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("0912345678", "+84912345678")]
    [InlineData("091 234 5678", "+84912345678")]
    [InlineData("091.234.5678", "+84912345678")]
    [InlineData("091-234-5678", "+84912345678")]
    [InlineData("+84 912 345 678", "+84912345678")]
    [InlineData("(+84) 912-345-678", "+84912345678")]
    [InlineData("84912345678", "+84912345678")]
    [InlineData("0351234567", "+84351234567")]
    [InlineData("0561234567", "+84561234567")]
    [InlineData("0771234567", "+84771234567")]
    [InlineData("0861234567", "+84861234567")]
    [InlineData("02103812345", "+842103812345")]      // Phú Thọ landline, area code 210
    [InlineData("+84 24 3825 1234", "+842438251234")] // Hà Nội landline
    [InlineData("842438251234", "+842438251234")]
    public void Vietnamese_numbers_normalise_to_E164(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(input, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("0112345678")]      // no such mobile prefix
    [InlineData("0412345678")]      // no such mobile prefix
    [InlineData("091234567")]       // too short
    [InlineData("09123456789")]     // an old 11-digit mobile
    [InlineData("0212345678")]      // a landline needs 11 digits
    [InlineData("+1 415 555 0100")]
    [InlineData("+840912345678")]   // trunk 0 after the country code
    [InlineData("09+12345678")]
    [InlineData("0912abc678")]
    [InlineData("０９１２３４５６７８")]
    public void Other_numbers_are_refused(string? input)
    {
        Assert.False(PhoneNumber.TryNormalize(input, out var e164));
        Assert.Equal("", e164);
    }

    [Fact]
    public void Masking_keeps_the_last_three_digits() => Assert.Equal("*********678", PhoneNumber.Mask("+84912345678"));
}
