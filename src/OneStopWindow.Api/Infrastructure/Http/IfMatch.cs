using System.Globalization;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>The version an <c>If-Match</c> header names (<c>"3"</c> or <c>W/"3"</c>): one reading for every versioned resource.</summary>
public static class IfMatch
{
    /// <summary>The version sent; null when the header is absent; 400 (field <c>If-Match</c>) when it is not a version.</summary>
    public static int? Version(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        return int.TryParse(text.Trim('"'), CultureInfo.InvariantCulture, out var v) ? v
            : throw ProblemException.Validation([new("If-Match", "ETag không hợp lệ (ví dụ \"3\").")]);
    }

    /// <summary>The version sent, where one is required: 428 with <paramref name="title"/> and <paramref name="detail"/> when absent.</summary>
    public static int Required(string? header, string title, string detail) =>
        Version(header) ?? throw new ProblemException(StatusCodes.Status428PreconditionRequired, "if-match-required", title, detail);
}
