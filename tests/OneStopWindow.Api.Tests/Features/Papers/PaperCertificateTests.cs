using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using OneStopWindow.Api.Features.Papers;

namespace OneStopWindow.Api.Tests.Features.Papers;

/// <summary>The signing certificate's start-up checks: Production needs the issuing unit's own, Development makes one and keeps it.</summary>
public sealed class PaperCertificateTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("osw-cert-");

    public void Dispose() => folder.Delete(recursive: true);

    private PaperCertificate Load(string environment, PaperSigningOptions signing, TimeProvider? clock = null) => new(
        Microsoft.Extensions.Options.Options.Create(new PapersOptions { Signing = signing }),
        new HostingEnvironment { EnvironmentName = environment, ContentRootPath = folder.FullName }, clock ?? TimeProvider.System);

    private string Pfx(X509Certificate2 certificate, string password)
    {
        var path = Path.Combine(folder.FullName, Guid.NewGuid().ToString("N") + ".p12");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    /// <summary>A leaf issued by a (test) CA, as the issuing unit's certificate is.</summary>
    private static X509Certificate2 Issued(DateTimeOffset from, DateTimeOffset to)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(from.AddDays(-1), to.AddDays(1));
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=UBND Phường Hòa Bình", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(ca, from, to, RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    [Fact]
    public void Production_refuses_to_start_without_a_certificate_and_with_a_self_signed_one()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Load(Environments.Production, new()));
        Assert.Contains("Papers:Signing:CertificatePath", missing.Message, StringComparison.Ordinal);

        using var key = RSA.Create(2048);
        using var self = new CertificateRequest("CN=Self", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Pfx(self, "pw");
        var selfSigned = Assert.Throws<InvalidOperationException>(() => Load(Environments.Production, new() { CertificatePath = path, CertificatePassword = "pw" }));
        Assert.Contains("self-signed", selfSigned.Message, StringComparison.Ordinal);
        // Development accepts that one.
        using var development = Load(Environments.Development, new() { CertificatePath = path, CertificatePassword = "pw" });
        Assert.True(development.SelfSigned);
    }

    [Fact]
    public void Production_accepts_the_issuing_units_certificate_while_it_is_valid()
    {
        using var issued = Issued(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Pfx(issued, "mật khẩu");
        using (var loaded = Load(Environments.Production, new() { CertificatePath = path, CertificatePassword = "mật khẩu" }))
        {
            Assert.False(loaded.SelfSigned);
            Assert.True(loaded.Certificate.HasPrivateKey);
            Assert.Equal("UBND Phường Hòa Bình", loaded.SignerName);
        }
        Assert.ThrowsAny<CryptographicException>(() => Load(Environments.Production, new() { CertificatePath = path, CertificatePassword = "sai" }));

        var later = new FixedClock(DateTimeOffset.UtcNow.AddYears(2));
        var expired = Assert.Throws<InvalidOperationException>(() => Load(Environments.Production, new() { CertificatePath = path, CertificatePassword = "mật khẩu" }, later));
        Assert.Contains("valid from", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_creates_a_certificate_on_the_first_run_and_keeps_it()
    {
        var path = Path.Combine(folder.FullName, "data", "dev.pfx");
        string thumbprint;
        using (var first = Load(Environments.Development, new() { DevelopmentCertificatePath = path }))
        {
            Assert.True(first.SelfSigned);
            Assert.Contains("không có giá trị pháp lý", first.SignerName, StringComparison.Ordinal);
            thumbprint = first.Certificate.Thumbprint;
        }
        Assert.True(File.Exists(path));
        using var second = Load("Testing", new() { DevelopmentCertificatePath = path });
        Assert.Equal(thumbprint, second.Certificate.Thumbprint);
        Assert.Throws<InvalidOperationException>(() => Load("Staging", new() { DevelopmentCertificatePath = path }));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
