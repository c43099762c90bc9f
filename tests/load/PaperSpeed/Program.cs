using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OneStopWindow.Api.Features.Papers;

// A Form 01 receipt as the service composes one (the fields, the list of documents, two signature blocks, the QR and its
// address), rendered alone and rendered + signed (PAdES-B-B, RSA-2048 as the development certificate), N times each after
// a warm-up, interleaved so both see the same machine; prints p50/p99 of each and their ratio.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
using var key = RSA.Create(2048);
using var certificate = new CertificateRequest("CN=UBND Phường Hòa Bình (benchmark)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

PaperDocument Receipt(int i) => new(Guid.CreateVersion7(), new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.Zero), A4: false,
    "UBND PHƯỜNG HÒA BÌNH", "BỘ PHẬN MỘT CỬA", null, "Hòa Bình", "Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    $"Mã hồ sơ: 04795-261204-{i % 10000:0000}",
    [
        new PaperParagraph("Bộ phận một cửa UBND Phường Hòa Bình tiếp nhận hồ sơ của:"),
        new PaperField("Ông/Bà", "Nguyễn Thị Lựu", Strong: true),
        new PaperField("Số điện thoại", "0912***678"),
        new PaperField("Địa chỉ", "Tổ 5, đường Lý Nam Đế, Phường Hòa Bình, tỉnh Phú Thọ"),
        new PaperField("Nội dung yêu cầu giải quyết", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng"),
        new PaperField("Kênh nộp hồ sơ", "Trực tiếp tại Bộ phận một cửa"),
        new PaperParagraph("Thành phần hồ sơ theo quy định:"),
        new PaperList(["Tờ khai đề nghị trợ giúp xã hội (mẫu ban hành kèm theo Nghị định 20/2021/NĐ-CP)"]),
        new PaperField("Số lượng hồ sơ", "01 bộ"),
        new PaperField("Thời gian giải quyết hồ sơ theo quy định", "10 ngày làm việc"),
        new PaperField("Thời gian nhận hồ sơ", "10 giờ 00 phút, ngày 04/12/2026"),
        new PaperField("Thời gian trả kết quả giải quyết hồ sơ", "ngày 18/12/2026", Strong: true),
        new PaperField("Nhận kết quả tại", "Bộ phận một cửa UBND Phường Hòa Bình, hoặc trực tuyến theo mã hồ sơ"),
    ],
    [new("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", null), new("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", null)],
    $"Hồ sơ 04795-261204-{i % 10000:0000} · Mẫu số 01")
{
    Verification = new("https://onestopwindow.phutho.gov.vn/api/v1/verify/" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_'), certificate.GetNameInfo(X509NameType.SimpleName, false)),
};

for (var i = 0; i < 30; i++) { PaperRenderer.Render(Receipt(i)); PaperRenderer.Render(Receipt(i), certificate); }
var rendered = new List<double>(runs);
var signed = new List<double>(runs);
long bytes = 0;
for (var i = 0; i < runs; i++)
{
    var paper = Receipt(i);
    var watch = Stopwatch.StartNew();
    PaperRenderer.Render(paper);
    rendered.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    bytes = PaperRenderer.Render(paper, certificate).Length;
    signed.Add(watch.Elapsed.TotalMilliseconds);
}
rendered.Sort();
signed.Sort();
double P(List<double> t, double q) => t[Math.Min(t.Count - 1, (int)Math.Ceiling(q * t.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"receipt (Form 01, A5, QR), {runs} runs each, interleaved:"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rendered alone       p50 {P(rendered, 0.5):0.00} ms  p99 {P(rendered, 0.99):0.00} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rendered and signed  p50 {P(signed, 0.5):0.00} ms  p99 {P(signed, 0.99):0.00} ms  ({bytes:N0} bytes)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio signed / alone p50 {P(signed, 0.5) / P(rendered, 0.5):0.00}  p99 {P(signed, 0.99) / P(rendered, 0.99):0.00}"));
