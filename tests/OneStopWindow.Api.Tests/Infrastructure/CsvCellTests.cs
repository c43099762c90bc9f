using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Reports;
using OneStopWindow.Api.Infrastructure.Text;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>CSV exports never hand a spreadsheet a formula (CSV injection), and numbers stay numbers.</summary>
public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+84912345678", "'+84912345678")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\r=1")]
    [InlineData("Phường Việt Trì", "Phường Việt Trì")]
    [InlineData("a=1", "a=1")]
    [InlineData("", "")]
    public void Text_starting_like_a_formula_is_prefixed_with_a_quote(string text, string cell) => Assert.Equal(cell, CsvCell.Text(text));

    private sealed record Row(string Name, int Count, decimal? Rate, string? Note);

    [Fact]
    public async Task A_report_export_escapes_text_cells_and_leaves_negative_numbers_alone()
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        using var body = new MemoryStream();
        http.Response.Body = body;
        await ReportCsv.From([new Row("=HYPERLINK(\"http://x.example\",\"y\")", -5, -1.5m, "\r@cmd")], "test.csv").ExecuteAsync(http);

        var text = new StreamReader(new MemoryStream(body.ToArray())).ReadToEnd();
        Assert.Contains("\"'=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\"", text, StringComparison.Ordinal);   // quoted as CSV requires
        using var csv = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        var row = Assert.Single(csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList());
        Assert.Equal("'=HYPERLINK(\"http://x.example\",\"y\")", row["Name"]);
        Assert.Equal("-5", row["Count"]);
        Assert.Equal("-1.5", row["Rate"]);
        Assert.Equal("'\r@cmd", row["Note"]);
    }
}
