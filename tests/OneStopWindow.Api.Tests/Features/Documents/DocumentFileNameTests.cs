using OneStopWindow.Api.Features.Documents;

namespace OneStopWindow.Api.Tests.Features.Documents;

public sealed class DocumentFileNameTests
{
    public static TheoryData<string?, string> Names() => new()
    {
        { "to-khai.pdf", "to-khai.pdf" },
        { "invoice\u202Efdp.exe", "invoicefdp.exe" },                                         // RIGHT-TO-LEFT OVERRIDE
        { "\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069h\u200Ei\u200Fj\u061Ck.pdf", "abcdefghijk.pdf" },   // every bidi control
        { "tab\there\r\nnew\u0000line\u007F.pdf", "tabherenewline.pdf" },                    // C0 and DEL
        { "zero\u200Bwidth\uFEFF\u00ADsoft.png", "zerowidthsoft.png" },                       // format characters
        { "line\u2028para\u2029.pdf", "linepara.pdf" },
        { "lone\uD800surrogate.pdf", "lonesurrogate.pdf" },
        { "Tờ khai.pdf".Normalize(System.Text.NormalizationForm.FormD), "Tờ khai.pdf" },     // decomposed Vietnamese → NFC
        { "  giấy xác nhận.pdf \t", "giấy xác nhận.pdf" },
        { @"C:\Users\an\Desktop\don.pdf", "don.pdf" },
        { "../../etc/passwd", "passwd" },
        { "\u202E", "tai-lieu.pdf" },
        { "", "tai-lieu.pdf" },
        { null, "tai-lieu.pdf" },
        { "..", "tai-lieu.pdf" },
        { ".pdf", "tai-lieu.pdf" },
        { "\u200B.png", "tai-lieu.png" },
        { "scan", "scan" },
        { "anh gia đình 👨‍👩‍👧.jpg", "anh gia đình 👨👩👧.jpg" },                         // ZWJ is a format character
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void A_name_is_cleaned(string? raw, string expected)
    {
        var clean = DocumentFileName.Clean(raw, "application/pdf");
        Assert.Equal(expected, clean);
        Assert.Equal(clean, DocumentFileName.Clean(clean, "application/pdf"));   // idempotent
    }

    [Fact]
    public void The_fallback_takes_the_extension_of_the_detected_type()
    {
        Assert.Equal("tai-lieu.jpg", DocumentFileName.Clean("\u202E\u202C", "image/jpeg"));
        Assert.Equal("tai-lieu.png", DocumentFileName.Clean(null, "image/png"));
    }

    [Fact]
    public void A_long_name_is_cut_to_200_characters_keeping_the_extension_and_whole_letters()
    {
        var clean = DocumentFileName.Clean(new string('a', 300) + ".pdf", "application/pdf");
        Assert.Equal(DocumentFileName.MaxLength, clean.Length);
        Assert.EndsWith("a.pdf", clean, StringComparison.Ordinal);

        // A base letter with two combining marks ("ệ" and an acute NFC cannot compose: two chars) is never split.
        var marked = DocumentFileName.Clean(string.Concat(Enumerable.Repeat("e\u0323\u0302\u0301", 100)) + ".pdf", "application/pdf");
        Assert.Equal(string.Concat(Enumerable.Repeat("\u1EC7\u0301", 98)) + ".pdf", marked);

        var emoji = DocumentFileName.Clean(string.Concat(Enumerable.Repeat("😀", 150)) + ".png", "image/png");
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 98)) + ".png", emoji);
    }
}
