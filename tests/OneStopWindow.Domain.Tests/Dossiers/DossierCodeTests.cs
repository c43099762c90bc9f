using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Domain.Tests.Dossiers;

public sealed class DossierCodeTests
{
    [Fact]
    public void The_code_is_unit_date_and_a_four_digit_sequence() =>
        Assert.Equal("25-261129-0007", DossierCode.Format("25", new DateOnly(2026, 11, 29), 7));

    [Fact]
    public void A_busy_day_grows_the_sequence_beyond_four_digits() =>
        Assert.Equal("04795-260105-12345", DossierCode.Format("04795", new DateOnly(2026, 1, 5), 12345));

    [Theory]
    [InlineData("2x")]
    [InlineData("123")]
    [InlineData("")]
    public void A_malformed_unit_code_is_refused(string unit) =>
        Assert.Throws<ArgumentException>(() => DossierCode.Format(unit, new DateOnly(2026, 1, 5), 1));

    [Fact]
    public void Sequences_start_at_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DossierCode.Format("25", new DateOnly(2026, 1, 5), 0));

    [Theory]
    [InlineData("25-261129-0001", true)]
    [InlineData("04795-260105-12345", true)]
    [InlineData("04828-250701-0001", true)]
    [InlineData("25-261329-0001", false)]          // month 13
    [InlineData("25-260231-0001", false)]          // 31 Feb
    [InlineData("25-261129-001", false)]           // sequence under 4 digits
    [InlineData("25-261129-0000", false)]          // sequences start at 1
    [InlineData("2-261129-0001", false)]
    [InlineData("123-261129-0001", false)]
    [InlineData("25-261129-0001; DROP", false)]
    [InlineData("25-261129-0001\n", false)]
    [InlineData("25-٢٦١١٢٩-0001", false)]          // Arabic-Indic digits
    [InlineData("04795-260105-12345678901234567890", false)]   // 33 characters
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Well_formed_codes_are_recognised(string? code, bool expected) => Assert.Equal(expected, DossierCode.IsWellFormed(code));

    [Fact]
    public void Every_formatted_code_is_well_formed()
    {
        foreach (var unit in new[] { "25", "04828" })
            foreach (var sequence in new long[] { 1, 9_999, 10_000, 123_456_789 })
                Assert.True(DossierCode.IsWellFormed(DossierCode.Format(unit, new DateOnly(2025, 7, 1), sequence)));
    }
}
