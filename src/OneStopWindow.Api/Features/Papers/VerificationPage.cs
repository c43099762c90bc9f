using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>
/// The verification answer as a page a phone shows after scanning the QR: one column, large type, the verdict first
/// (green when the file, its hash and its signature hold and the paper stands; amber when it no longer stands; red when
/// something does not hold), then the facts. No script, no outside resource: the policy allows inline style only.
/// </summary>
public static class VerificationPage
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static string Render(PaperVerificationResponse v)
    {
        var intact = v.Sha256 is not null && v.HashMatches && v.Signature is { Valid: true };
        var (tone, verdict) = v.Standing switch
        {
            "pending" => ("wait", "Giấy đang được phát hành"),
            _ when !intact => ("bad", "Không xác nhận được giấy này"),
            "replaced" or "ended" or "transferred" => ("warn", "Giấy thật, nhưng không còn hiệu lực như ban đầu"),
            _ => ("good", "Giấy thật, do hệ thống một cửa phát hành"),
        };
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>Kiểm tra giấy tờ - Một cửa điện tử tỉnh Phú Thọ</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;background:#f4f5f7;color:#1b1f24;font-size:17px;line-height:1.45}
            main{max-width:34rem;margin:0 auto;padding:1rem}
            header{font-size:.85rem;color:#4a5360;text-transform:uppercase;letter-spacing:.03em;margin:.5rem 0 1rem}
            .verdict{border-radius:.6rem;padding:1rem 1.1rem;margin-bottom:1rem;font-weight:600;font-size:1.15rem}
            .good{background:#e3f4e8;border:2px solid #1e7b3a}.warn{background:#fff4d6;border:2px solid #a86b00}
            .bad{background:#fde6e6;border:2px solid #b42318}.wait{background:#e8eef9;border:2px solid #2f5bb7}
            .verdict p{font-weight:400;font-size:1rem;margin:.4rem 0 0}
            section{background:#fff;border-radius:.6rem;padding:.4rem 1.1rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
            h2{font-size:1rem;margin:.8rem 0 .2rem}
            dl{margin:0}dt{color:#4a5360;font-size:.85rem;margin-top:.7rem}dd{margin:0 0 .3rem;font-weight:500;overflow-wrap:anywhere}
            .hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;font-weight:400}
            a.button{display:block;text-align:center;background:#1f4e9c;color:#fff;text-decoration:none;padding:.8rem;border-radius:.5rem;margin:.8rem 0;font-weight:600}
            footer{font-size:.8rem;color:#4a5360;margin:1rem 0 2rem}
            </style></head><body><main>
            <header>Một cửa điện tử tỉnh Phú Thọ · Kiểm tra giấy tờ</header>

            """);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"verdict {tone}\" id=\"verdict\">{E(verdict)}<p id=\"standing\">{E(v.StandingText)}</p></div>\n");

        html.Append("<section><h2>Giấy tờ</h2><dl>\n");
        Item(html, "Loại giấy", (v.Form is { } f ? "Mẫu số " + f + " — " : "") + v.Title, "title");
        if (v.Number is { } number) Item(html, "Số", number, "number");
        Item(html, "Cơ quan phát hành", v.Issuer, "issuer");
        Item(html, "Ngày phát hành", Local(v.IssuedAt).ToString("dd/MM/yyyy HH:mm", Vi), "issued");
        Item(html, "Mã hồ sơ", v.DossierCode, "dossier");
        Item(html, "Người liên quan", v.Holder, "holder");
        html.Append("</dl></section>\n");

        if (v.Dossier is { } d)
        {
            html.Append("<section><h2>Tiến độ hồ sơ</h2><dl>\n");
            Item(html, "Trạng thái", d.StatusLabel, "status");
            Item(html, "Ngày tiếp nhận", Local(d.ReceivedAt).ToString("dd/MM/yyyy", Vi), "received");
            Item(html, "Ngày hẹn trả kết quả", d.AppointmentDate.ToString("dd/MM/yyyy", Vi), "appointment");
            html.Append("</dl></section>\n");
        }

        html.Append("<section><h2>Tính toàn vẹn</h2><dl>\n");
        if (v.Sha256 is { } sha)
        {
            Item(html, "Mã băm SHA-256 của tệp", sha, "sha256", "hash");
            Item(html, "Tệp lưu trữ", v.HashMatches ? "Khớp với mã băm đã ghi nhận" : "KHÔNG khớp với mã băm đã ghi nhận", "hash-check");
        }
        if (v.Signature is { } s)
        {
            var signature = !s.Present ? "Không có chữ ký số"
                : s.Valid ? $"Hợp lệ — {s.Format}, ký bởi {s.Signer}" + (s.IssuedByThisService ? "" : " — không phải chứng thư của hệ thống này")
                : s.Problem ?? "Không hợp lệ";
            Item(html, "Chữ ký số", signature, "signature");
            if (s.DevelopmentCertificate) Item(html, "Lưu ý", "Chứng thư tự ký dùng để thử nghiệm, không có giá trị pháp lý.", "development");
        }
        html.Append("</dl></section>\n");

        html.Append(CultureInfo.InvariantCulture, $"<a class=\"button\" id=\"pdf\" href=\"{E(v.PdfHref)}\">Tải bản PDF</a>\n");
        html.Append("""
            <footer>Bản PDF chỉ mở được cho người nộp hồ sơ (đăng nhập, hoặc mã tra cứu được cấp khi nộp hồ sơ) và cán bộ xử lý.
            Trang này không hiển thị số định danh, nhóm đối tượng hay lý do; họ tên được che bớt.</footer>
            </main></body></html>
            """);
        return html.ToString();
    }

    private static void Item(StringBuilder html, string label, string value, string id, string? css = null) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{E(label)}</dt><dd id=\"{id}\"{(css is null ? "" : $" class=\"{css}\"")}>{E(value)}</dd>\n");

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);   // Vietnamese letters stay letters

    private static string E(string text) => Encoder.Encode(text);

    private static DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Domain.Calendar.Appointment.VietnamTime);
}
