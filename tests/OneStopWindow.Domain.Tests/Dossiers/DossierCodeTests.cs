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
    [InlineData("25-261129-0001", true)]
    [InlineData("04795-260105-12345", true)]
    [InlineData("25-261329-0001", false)]   // month 13
    [InlineData("25-261129-001", false)]
    [InlineData("2-261129-0001", false)]
    [InlineData("25-261129-0001; DROP", false)]
    [InlineData(null, false)]
    public void Well_formed_codes_are_recognised(string? code, bool expected) => Assert.Equal(expected, DossierCode.IsWellFormed(code));

    [Fact]
    public void Every_formatted_code_is_well_formed() =>
        Assert.True(DossierCode.IsWellFormed(DossierCode.Format("04828", new DateOnly(2025, 7, 1), 1)));
}
