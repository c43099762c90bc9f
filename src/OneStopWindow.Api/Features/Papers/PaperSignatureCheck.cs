using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>What the check of a stored paper's signature found (the verification answer's <c>signature</c>).</summary>
/// <param name="Valid">The CMS signature verifies over the signed byte range, which covers the whole file but the signature itself.</param>
/// <param name="Format">"PAdES-B-B" for <c>/ETSI.CAdES.detached</c>, "PKCS#7" for <c>/adbe.pkcs7.detached</c>, or null.</param>
/// <param name="IssuedByThisService">The signing certificate is the one this installation signs with.</param>
public sealed record PaperSignature(bool Present, bool Valid, string? Format, string? Signer, string? CertificateThumbprint, bool IssuedByThisService,
    bool DevelopmentCertificate, string? Problem);

/// <summary>
/// Checks a PDF's signature as a reader does: the last signature dictionary's /ByteRange must cover the file from the first
/// byte to the last except the /Contents hex string; the CMS in /Contents must verify over those bytes. The certificate
/// chain is not built here (the issuing unit's CA is the reader's trust decision); that the signer is this installation's
/// certificate is reported beside.
/// </summary>
public static partial class PaperSignatureCheck
{
    public static PaperSignature Check(byte[] pdf, X509Certificate2 ours)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var ranges = ByteRange().Matches(text);
        if (ranges.Count == 0) return new(false, false, null, null, null, false, false, "Giấy không có chữ ký số.");
        var m = ranges[^1];
        long N(int i) => long.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        var (a, b, c, d) = (N(1), N(2), N(3), N(4));
        var format = text.Contains("/SubFilter /ETSI.CAdES.detached", StringComparison.Ordinal) || text.Contains("/SubFilter/ETSI.CAdES.detached", StringComparison.Ordinal)
            ? "PAdES-B-B (ETSI.CAdES.detached)" : "PKCS#7 (adbe.pkcs7.detached)";
        if (a != 0 || b <= 0 || c <= b || c + d != pdf.Length || pdf[b] != '<' || pdf[c - 1] != '>')
            return new(true, false, format, null, null, false, false, "Phạm vi ký không bao trùm toàn bộ tệp.");
        try
        {
            var der = Convert.FromHexString(text.AsSpan((int)b + 1, (int)(c - b - 2)));
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.BER, out _, out _, out var length);
            var signed = new byte[b + d];
            Array.Copy(pdf, 0, signed, 0, b);
            Array.Copy(pdf, c, signed, b, d);
            var cms = new SignedCms(new ContentInfo(signed), detached: true);
            cms.Decode(der.AsSpan(0, length));
            cms.CheckSignature(verifySignatureOnly: true);
            var certificate = cms.SignerInfos[0].Certificate!;
            var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            var ourThumbprint = ours.GetCertHashString(HashAlgorithmName.SHA256);
            var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
            return new(true, true, format, certificate.GetNameInfo(X509NameType.SimpleName, false), thumbprint,
                string.Equals(thumbprint, ourThumbprint, StringComparison.OrdinalIgnoreCase), selfSigned, null);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or AsnContentException or ArgumentException)
        {
            return new(true, false, format, null, null, false, false, "Chữ ký số không khớp với nội dung: giấy đã bị sửa sau khi ký.");
        }
    }

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")]
    private static partial Regex ByteRange();
}
