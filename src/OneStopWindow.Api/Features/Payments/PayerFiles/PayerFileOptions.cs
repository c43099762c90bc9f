using System.ComponentModel.DataAnnotations;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Features.Payments.PayerFiles;

/// <summary>Limits of a payer's result file read back (api-specs/payment-files.md, Limits).</summary>
public sealed class PayerFileOptions
{
    public const string Section = "PayerFiles";

    /// <summary>Largest file accepted, as uploaded (a CSV, or an XLSX compressed).</summary>
    [Range(typeof(long), "1024", "1073741824")]
    public long MaxBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Most rows below the header row, blank rows counted.</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 300_000;

    /// <summary>
    /// XLSX only: most bytes the package may unpack to, all parts together, as its zip declares them. A real export
    /// of 300,000 lines unpacks to about 200 MB; a few kilobytes that unpack to more are a zip bomb.
    /// </summary>
    [Range(typeof(long), "1024", "4294967296")]
    public long MaxUnpackedBytes { get; set; } = 512L * 1024 * 1024;
}

public static class PayerFileSetup
{
    public static IServiceCollection AddPayerFiles(this IServiceCollection services)
    {
        services.AddSettings<PayerFileOptions>(PayerFileOptions.Section);
        services.AddSingleton<PayerListLines>();
        return services;
    }
}
