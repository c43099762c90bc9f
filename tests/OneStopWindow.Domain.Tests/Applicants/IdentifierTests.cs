using OneStopWindow.Domain.Applicants;

namespace OneStopWindow.Domain.Tests.Applicants;

public sealed class IdentifierTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("025150001234", "1950-03-15")]   // female, 1900s
    [InlineData("001085123456", "1985-12-01")]   // male, 1900s, Hà Nội
    [InlineData("079203000001", "2003-06-30")]   // male, 2000s, HCMC
    [InlineData("025150001234", null)]
    public void Valid_identity_numbers_pass(string id, string? dob) =>
        Assert.Null(PersonalIdNumber.Validate(id, dob is null ? null : D(dob)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("0251500012345")]
    [InlineData("02515000123a")]
    [InlineData("000150001234")]
    [InlineData("０２５１５０００１２３４")]   // full-width digits are not ASCII digits
    public void Malformed_identity_numbers_fail(string? id) => Assert.NotNull(PersonalIdNumber.Validate(id, null));

    [Theory]
    [InlineData("025250001234", "1950-03-15")]   // century digit 2 = 2000s
    [InlineData("025151001234", "1950-03-15")]   // year digits 51
    public void An_identity_number_contradicting_the_birth_date_fails(string id, string dob) =>
        Assert.NotNull(PersonalIdNumber.Validate(id, D(dob)));

    [Fact]
    public void Masking_keeps_the_last_four_digits() => Assert.Equal("********1234", PersonalIdNumber.Mask("025150001234"));

    [Theory]
    [InlineData("0912345678", "+84912345678")]
    [InlineData("091 234 5678", "+84912345678")]
    [InlineData("091.234.5678", "+84912345678")]
    [InlineData("+84 912 345 678", "+84912345678")]
    [InlineData("84912345678", "+84912345678")]
    [InlineData("0351234567", "+84351234567")]
    [InlineData("02103812345", "+842103812345")]   // Phú Thọ landline, area code 210
    public void Vietnamese_numbers_normalise_to_E164(string input, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(input, out var e164));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("12")]
    [InlineData("0112345678")]     // no such mobile prefix
    [InlineData("091234567")]      // too short
    [InlineData("+1 415 555 0100")]
    [InlineData("09123456789")]    // old 11-digit mobile
    [InlineData("0912abc678")]
    public void Other_numbers_are_refused(string? input) => Assert.False(PhoneNumber.TryNormalize(input, out _));

    [Fact]
    public void Phone_masking_keeps_the_last_three_digits() => Assert.Equal("*********678", PhoneNumber.Mask("+84912345678"));
}
