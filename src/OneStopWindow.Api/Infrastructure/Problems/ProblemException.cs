namespace OneStopWindow.Api.Infrastructure.Problems;

/// <summary>A business refusal with a stable problem type; written as RFC 9457 by <see cref="ProblemExceptionHandler"/>.</summary>
public sealed class ProblemException(int status, string type, string title, string? detail = null,
    IReadOnlyDictionary<string, string[]>? errors = null) : Exception(detail ?? title)
{
    public const string TypeBase = "https://onestopwindow.phutho.gov.vn/problems/";

    public int Status { get; } = status;
    public string Type { get; } = TypeBase + type;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Sent as Retry-After (whole seconds, at least 1) with a 429 or 503.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ProblemException NotFound(string what) =>
        new(StatusCodes.Status404NotFound, "not-found", "Không tìm thấy", $"Không tìm thấy {what}.");

    public static ProblemException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, "forbidden", "Không có quyền", detail);

    public static ProblemException Conflict(string type, string title, string? detail = null) =>
        new(StatusCodes.Status409Conflict, type, title, detail);

    public static ProblemException Validation(IEnumerable<FieldError> errors) =>
        new(StatusCodes.Status400BadRequest, "validation", "Dữ liệu gửi lên chưa hợp lệ",
            "Vui lòng kiểm tra lại các trường được nêu trong 'errors'.",
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray()));
}

/// <summary>One bad input field, keyed by its JSON path (e.g. "applicant.idNumber"), with a message a citizen can read.</summary>
public readonly record struct FieldError(string Field, string Message);

/// <summary>Messages that check their own input; run by <see cref="ValidationBehavior{TMessage, TResponse}"/> before any handler.</summary>
public interface IValidatable
{
    IEnumerable<FieldError> Validate();
}
