using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>A payment list's head: ward, month, status, totals.</summary>
/// <param name="Month">The month the list pays ("yyyy-MM"); arrears lines pay earlier months too.</param>
/// <param name="Status">`Draft` (rebuilt on every generation) or `Approved` (locked for ever; corrections go on the next list).</param>
/// <param name="UnknownMethodLines">Lines whose person has no payment method recorded: the list cannot be approved until it is 0.</param>
/// <param name="TotalVnd">What the payable lines add up to (held duplicates count 0).</param>
public sealed record PaymentListResponse(Guid Id, string WardCode, string Month, string Status, int Version, DateTimeOffset GeneratedAt,
    string? ApprovedBy, DateTimeOffset? ApprovedAt, int LineCount, long TotalVnd, int UnknownMethodLines);

/// <summary>The row of payment_list, as every use case reads it.</summary>
public sealed record PaymentListRow
{
    public Guid Id { get; init; }
    public string WardCode { get; init; } = "";
    public string Month { get; init; } = "";
    public string Status { get; init; } = "";
    public int Version { get; init; }
    public DateTimeOffset GeneratedAt { get; init; }
    public string? ApprovedBy { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }
    public int LineCount { get; init; }
    public long TotalVnd { get; init; }
    public int UnknownMethodLines { get; init; }

    public string ETag => $"\"{Version}\"";

    public PaymentListResponse ToResponse() =>
        new(Id, WardCode, Month, Status, Version, GeneratedAt, ApprovedBy, ApprovedAt, LineCount, TotalVnd, UnknownMethodLines);
}

/// <summary>Who sees a ward's payment lists, and the SQL every list use case shares.</summary>
public static class PaymentLists
{
    /// <summary>Provincial officers and administrators every ward's lists; ward staff their own ward's.</summary>
    public static bool Sees(Caller c, string wardCode) => c.ServesWard(wardCode);

    public static ProblemException NotFound(Guid id) => ProblemException.NotFound($"danh sách chi trả {id} (hoặc bạn không có quyền xem)");

    public static IEnumerable<FieldError> ValidateMonth(string? month, string field = "month")
    {
        if (Months.Parse(month) is null) yield return new(field, "Tháng theo dạng yyyy-MM.");
    }

    internal static class Sql
    {
        public const string Columns = """
            SELECT p.id, p.ward_code, p.month, p.status, p.version, p.generated_at, p.approved_by, p.approved_at, p.line_count, p.total_vnd,
                   (SELECT COUNT(*) FROM payment_line l WHERE l.list_id = p.id AND l.method = 'unknown' AND l.kind <> 'held-duplicate') AS unknown_method_lines
            FROM payment_list p
            """;
        public const string One = Columns + "\nWHERE p.id = @Id";
        public const string OfWardMonth = Columns + "\nWHERE p.ward_code = @Ward AND p.month = @Month";
    }
}
