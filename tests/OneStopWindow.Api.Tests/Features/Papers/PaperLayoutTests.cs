using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneStopWindow.Api.Features.Papers;
using UglyToad.PdfPig;

namespace OneStopWindow.Api.Tests.Features.Papers;

/// <summary>The renderer alone (no host): long bodies continue on further pages, every word is kept, the bytes are the paper's.</summary>
public sealed class PaperLayoutTests
{
    private static PaperDocument Sheet(int rows) => new(
        Guid.Parse("0199a1b2-0000-7000-8000-000000000020"), new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.Zero), A4: false,
        "UBND PHƯỜNG HÒA BÌNH", "BỘ PHẬN MỘT CỬA", null, "Hòa Bình", "Mẫu số 05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: 04795-261204-0001",
        [
            new PaperField("Ông/Bà", "Nguyễn Thị Lựu", Strong: true),
            new PaperTable(["Thời gian", "Nội dung công việc", "Người thực hiện", "Kết quả"], [1.5, 2.3, 1.5, 0.9],
                Enumerable.Range(1, rows).Select(i => (IReadOnlyList<string>)[$"08:{i % 60:00} 04/12/2026", $"Bước thứ {i}: thẩm định, đối chiếu", "Công chức một cửa", "Đúng hạn"])
                    .ToList()),
        ],
        [new("NGƯỜI LẬP PHIẾU", "(Ký và ghi rõ họ tên)", null)], "Hồ sơ 04795-261204-0001 · Mẫu số 05");

    [Fact]
    public void A_long_control_sheet_continues_on_further_pages_with_its_header_row_and_page_numbers()
    {
        var pdf = PaperRenderer.Render(Sheet(40));
        if (Environment.GetEnvironmentVariable("PAPERS_OUT") is { Length: > 0 } folder) File.WriteAllBytes(Path.Combine(folder, "long-sheet.pdf"), pdf);
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages >= 2);
        var pages = document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Trang {i + 1}/{pages.Count}", pages[i], StringComparison.Ordinal);
            Assert.Contains("Nội dung công việc", pages[i], StringComparison.Ordinal);   // the header row again on every page
        }
        var all = string.Join(" ", pages);
        Assert.All(Enumerable.Range(1, 40), i => Assert.Contains($"Bước thứ {i}:", all, StringComparison.Ordinal));
        Assert.Equal(595, (int)Math.Round(document.GetPage(1).Height));   // A5 portrait: 420 × 595 pt
    }

    [Fact]
    public void The_same_paper_gives_the_same_bytes_and_another_paper_other_bytes()
    {
        var one = PaperRenderer.Render(Sheet(3));
        Assert.Equal(one, PaperRenderer.Render(Sheet(3)));
        Assert.NotEqual(one, PaperRenderer.Render(Sheet(3) with { Id = Guid.Parse("0199a1b2-0000-7000-8000-000000000021") }));
    }

    [Fact]
    public void A_signed_paper_is_PAdES_and_its_signature_covers_every_byte_but_itself()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=UBND phường Hòa Bình (thử)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pdf = PaperRenderer.Render(Sheet(3), certificate);

        var check = PaperSignatureCheck.Check(pdf, certificate);
        Assert.True(check.Present && check.Valid, check.Problem);
        Assert.Equal("PAdES-B-B (ETSI.CAdES.detached)", check.Format);
        Assert.True(check.IssuedByThisService);
        Assert.Equal("UBND phường Hòa Bình (thử)", check.Signer);
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.DoesNotContain("adbe.pkcs7.detached", text, StringComparison.Ordinal);
        using (var document = PdfDocument.Open(pdf))   // still a PDF that reads, with its words
            Assert.Contains("Nguyễn Thị Lựu", string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text)), StringComparison.Ordinal);

        // One changed byte anywhere the signature covers (a letter of the title in the document information) fails it.
        var tampered = (byte[])pdf.Clone();
        var at = text.IndexOf("/Title", StringComparison.Ordinal) + 8;
        tampered[at] ^= 0x01;
        var broken = PaperSignatureCheck.Check(tampered, certificate);
        Assert.True(broken.Present);
        Assert.False(broken.Valid);

        using var otherKey = RSA.Create(2048);
        using var other = new CertificateRequest("CN=Other", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Assert.False(PaperSignatureCheck.Check(pdf, other).IssuedByThisService);
        Assert.False(PaperSignatureCheck.Check(PaperRenderer.Render(Sheet(3)), certificate).Present);
    }
}
