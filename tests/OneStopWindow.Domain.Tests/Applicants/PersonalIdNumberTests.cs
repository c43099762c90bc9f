using System.Globalization;
using OneStopWindow.Domain.Applicants;

namespace OneStopWindow.Domain.Tests.Applicants;

public sealed class PersonalIdNumberTests
{
    private static DateOnly? D(string? s) => s is null ? null : DateOnly.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("025150001234", "1950-03-15")]   // 025 Phú Thọ, 1: female born in the 1900s
    [InlineData("001085123456", "1985-12-01")]   // 001 Hà Nội, 0: male, 1900s
    [InlineData("079203000001", "2003-06-30")]   // 079 Hồ Chí Minh City, 2: male, 2000s
    [InlineData("079303000001", "2003-06-30")]   // 3: female, 2000s
    [InlineData("001485000001", "2185-01-01")]   // 4: 2100s
    [InlineData("001901000001", "2301-05-05")]   // 9: female, 2300s
    [InlineData("025150001234", null)]
    public void Valid_identity_numbers_pass(string id, string? dob) => Assert.Null(PersonalIdNumber.Validate(id, D(dob)));

    [Theory]
    [InlineData("12345")]
    [InlineData("0251500012345")]
    [InlineData("02515000123a")]
    [InlineData(" 025150001234")]
    [InlineData("025 150 001 234")]
    [InlineData("０２５１５０００１２３４")]   // full-width digits are not ASCII digits
    [InlineData("٠٢٥١٥٠٠٠١٢٣٤")]             // nor are Arabic-Indic ones
    public void Anything_but_twelve_ASCII_digits_fails(string id) =>
        Assert.Equal("Số định danh cá nhân phải gồm đúng 12 chữ số.", PersonalIdNumber.Validate(id, null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_number_fails(string? id) => Assert.NotNull(PersonalIdNumber.Validate(id, null));

    [Fact]
    public void The_birth_registration_code_cannot_be_000() =>
        Assert.NotNull(PersonalIdNumber.Validate("000150001234", null));

    [Theory]
    [InlineData("025250001234", "1950-03-15")]   // century digit 2 means the 2000s
    [InlineData("079003000001", "2003-06-30")]   // century digit 0 means the 1900s
    [InlineData("025151001234", "1950-03-15")]   // year digits 51
    public void An_identity_number_contradicting_the_birth_date_fails(string id, string dob) =>
        Assert.Equal("Chữ số thế kỷ/giới tính và năm sinh trong số định danh không khớp với ngày sinh.", PersonalIdNumber.Validate(id, D(dob)));

    [Fact]
    public void Masking_keeps_the_last_four_digits() => Assert.Equal("********1234", PersonalIdNumber.Mask("025150001234"));
}
