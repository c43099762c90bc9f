using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace OneStopWindow.Api.Infrastructure.Problems;

/// <summary>
/// The one place exceptions become responses: <see cref="ProblemException"/> as itself, unreadable
/// request bodies as 400 with the offending JSON field, anything else as a logged 500 with a trace id only.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem = exception switch
        {
            ProblemException p => ToProblem(p),
            BadHttpRequestException bad => ToProblem(FromBadRequest(bad)),
            _ when Data.TransientFaults.IsTransient(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = ProblemException.TypeBase + "busy",
                Title = "Hệ thống đang bận",
                Detail = "Yêu cầu chưa được thực hiện và không có gì bị lưu dở. Vui lòng thử lại sau ít giây (với cùng Idempotency-Key nếu có).",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = ProblemException.TypeBase + "internal",
                Title = "Hệ thống đang gặp sự cố",
                Detail = "Vui lòng thử lại sau. Nếu lỗi lặp lại, hãy báo mã theo dõi (traceId) cho bộ phận hỗ trợ.",
            },
        };
        if (problem.Status == StatusCodes.Status500InternalServerError)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("Database busy on {Method} {Path} after retries; answered 503", http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = "2";
        }
        if (exception is ProblemException { RetryAfter: { } retryAfter })
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails ToProblem(ProblemException p)
    {
        ProblemDetails problem = p.Errors is { Count: > 0 }
            ? new HttpValidationProblemDetails(p.Errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = p.Status;
        problem.Type = p.Type;
        problem.Title = p.Title;
        problem.Detail = p.Detail;
        return problem;
    }

    /// <summary>Minimal APIs throw this for a body that is not JSON or has a value of the wrong type.</summary>
    private static ProblemException FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var field = JsonPathToField(json.Path);
            return ProblemException.Validation([new FieldError(field, "Giá trị không đúng định dạng (ví dụ ngày theo dạng yyyy-MM-dd, số không có dấu ngoặc kép).")]);
        }
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return new ProblemException(415, "unsupported-media-type", "Định dạng nội dung không được hỗ trợ", "Hãy gửi nội dung JSON với Content-Type: application/json.");
        return ProblemException.Validation([new FieldError("body", "Nội dung yêu cầu trống hoặc không phải JSON hợp lệ.")]);
    }

    private static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return string.IsNullOrEmpty(field) ? "body" : field;
    }
}
