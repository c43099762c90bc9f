using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Settings;
using PdfSharp.Pdf.Signatures;

namespace OneStopWindow.Api.Features.Papers;

public sealed class PapersOptions
{
    public const string Section = "Papers";

    /// <summary>The public address the QR codes open (scheme and host, no path): printed on every paper, so fixed per installation.</summary>
    [System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.Url]
    public string PublicBaseUrl { get; set; } = "https://onestopwindow.phutho.gov.vn";

    public PaperSigningOptions Signing { get; set; } = new();
}

/// <summary>The issuing unit's certificate: a PKCS#12 file and its password, or a certificate in the store by thumbprint.</summary>
public sealed class PaperSigningOptions
{
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? CertificateThumbprint { get; set; }
    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>Where Development and Testing keep the self-signed certificate they create on the first run.</summary>
    public string DevelopmentCertificatePath { get; set; } = "data/papers-signing-dev.pfx";
}

/// <summary>
/// The certificate papers are signed with. Configured: a PKCS#12 file or a store thumbprint, with its private key, valid
/// today. Not configured: Development and Testing create a self-signed one on the first run (kept, so papers signed
/// yesterday still verify); every other environment refuses to start, and refuses a self-signed certificate too.
/// </summary>
public sealed class PaperCertificate : IDisposable
{
    public PaperCertificate(IOptions<PapersOptions> options, IHostEnvironment environment, TimeProvider clock)
    {
        var o = options.Value.Signing;
        var development = DevelopmentSecrets.Allowed(environment);
        Certificate = Load(o, environment, development);
        if (!Certificate.HasPrivateKey)
            throw new InvalidOperationException("Papers:Signing: the certificate has no private key; papers cannot be signed with it.");
        var now = clock.GetUtcNow();
        if (now < Certificate.NotBefore.ToUniversalTime() || now > Certificate.NotAfter.ToUniversalTime())
            throw new InvalidOperationException($"Papers:Signing: the certificate is valid from {Certificate.NotBefore:u} to {Certificate.NotAfter:u} only.");
        SelfSigned = Certificate.SubjectName.RawData.AsSpan().SequenceEqual(Certificate.IssuerName.RawData);
        if (SelfSigned && !development)
            throw new InvalidOperationException(
                $"Papers:Signing: a self-signed certificate is accepted only in Development and Testing, not in '{environment.EnvironmentName}'. " +
                "Configure the issuing unit's certificate (deploy/README.md, \"Paper signing\").");
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>True for the development certificate (the verification page says so).</summary>
    public bool SelfSigned { get; }

    /// <summary>The signer's name as the verification page shows it (the certificate's CN).</summary>
    public string SignerName => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    private static X509Certificate2 Load(PaperSigningOptions o, IHostEnvironment environment, bool development)
    {
        if (!string.IsNullOrWhiteSpace(o.CertificateThumbprint))
        {
            using var store = new X509Store(StoreName.My, o.StoreLocation);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, o.CertificateThumbprint.Replace(" ", "", StringComparison.Ordinal), validOnly: false);
            return found.Count == 1 ? found[0]
                : throw new InvalidOperationException($"Papers:Signing:CertificateThumbprint: no certificate with that thumbprint in {o.StoreLocation}\\My.");
        }
        if (!string.IsNullOrWhiteSpace(o.CertificatePath))
            return X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(o.CertificatePath, environment.ContentRootPath), o.CertificatePassword,
                X509KeyStorageFlags.EphemeralKeySet);
        if (!development)
            throw new InvalidOperationException(
                $"The environment '{environment.EnvironmentName}' signs papers with the issuing unit's certificate: configure Papers:Signing:CertificatePath " +
                "(PKCS#12) and Papers:Signing:CertificatePassword, or Papers:Signing:CertificateThumbprint (deploy/README.md, \"Paper signing\").");
        return DevelopmentCertificate(Path.GetFullPath(o.DevelopmentCertificatePath, environment.ContentRootPath));
    }

    /// <summary>The self-signed certificate of a development machine: created once, then read (two processes racing keep the first).</summary>
    private static X509Certificate2 DevelopmentCertificate(string path)
    {
        if (!File.Exists(path))
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=OneStopWindow - chứng thư phát triển (không có giá trị pháp lý), O=OneStopWindow, C=VN", key,
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
            var now = DateTimeOffset.UtcNow;
            using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(temporary, created.Export(X509ContentType.Pkcs12));
            try { File.Move(temporary, path, overwrite: false); }
            catch (IOException) { File.Delete(temporary); }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet);
    }

    public void Dispose() => Certificate.Dispose();
}

/// <summary>
/// A CAdES detached signature for PDFsharp's signing (<see cref="IDigitalSigner"/>), as PAdES-B-B asks: SHA-256, the
/// signer's certificate, the signed attributes content-type, message-digest and ESS signing-certificate-v2, and no
/// signing-time attribute (PAdES puts the time in the signature dictionary's /M).
/// PDFsharp 6.2.4 writes <c>/SubFilter /adbe.pkcs7.detached</c> into the signature dictionary and offers no option for
/// another; the name <c>/ETSI.CAdES.detached</c> has exactly the same length, so before the bytes are hashed the signer
/// puts it in that place of the file being written (<paramref name="output"/>): no offset moves, and the signature covers
/// the corrected dictionary. The PDF reader's check (and the verification page's) sees a PAdES-B-B signature.
/// <paramref name="prepare"/> gets the same chance for the renderer's own same-length corrections (its deterministic names).
/// </summary>
public sealed class PadesSigner(X509Certificate2 certificate, MemoryStream output, Func<string, string>? prepare = null) : IDigitalSigner
{
    public static readonly byte[] PdfsharpSubFilter = "/adbe.pkcs7.detached"u8.ToArray();
    public static readonly byte[] PadesSubFilter = "/ETSI.CAdES.detached"u8.ToArray();

    public string CertificateName => certificate.GetNameInfo(X509NameType.SimpleName, false);

    public Task<byte[]> GetSignatureAsync(Stream stream)
    {
        PutPadesSubFilter();
        // PDFsharp's RangedStream (the file without the /Contents hole) throws on CanSeek, so no CopyTo: its length, then its bytes.
        var content = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(content);
        return Task.FromResult(Sign(certificate, content));
    }

    /// <summary>The CMS of one byte is as long as any other's (the digest has a fixed size; SignedCms refuses empty content); a margin for DER lengths.</summary>
    public Task<int> GetSignatureSizeAsync() => Task.FromResult(Sign(certificate, [0]).Length + 64);

    public static byte[] Sign(X509Certificate2 certificate, byte[] content)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),   // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(SigningCertificateV2(certificate));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    /// <summary>ESS signing-certificate-v2 (RFC 5035): SEQUENCE { SEQUENCE OF ESSCertIDv2 { certHash (SHA-256, the default algorithm) } }.</summary>
    private static AsnEncodedData SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
        return new AsnEncodedData(new Oid("1.2.840.113549.1.9.16.2.47"), writer.Encode());
    }

    private void PutPadesSubFilter()
    {
        var buffer = output.GetBuffer().AsSpan(0, (int)output.Length);
        if (prepare is not null)
        {
            var text = System.Text.Encoding.Latin1.GetString(buffer);
            var prepared = prepare(text);
            if (prepared.Length != text.Length) throw new InvalidOperationException("A correction before signing changed the file's length.");
            System.Text.Encoding.Latin1.GetBytes(prepared, buffer);
        }
        var at = buffer.IndexOf(PdfsharpSubFilter);
        if (at < 0) throw new InvalidOperationException("The signature dictionary's /SubFilter was not found in the document being written.");
        PadesSubFilter.CopyTo(buffer[at..]);
    }
}
