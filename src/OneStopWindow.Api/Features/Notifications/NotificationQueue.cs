using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Notifications;

public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>SMS gateway endpoint (HTTP POST, JSON). Empty: no SMS.</summary>
    public string? SmsGatewayUrl { get; set; }

    public string? SmsGatewayApiKey { get; set; }

    /// <summary>SMTP host for e-mail. Empty: no e-mail.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;
    [Required, EmailAddress]
    public string SmtpFrom { get; set; } = "motcua@phutho.gov.vn";
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Queues the citizen's notifications of a milestone in the caller's transaction (an outbox): one row per
/// channel — the in-app inbox always, SMS and e-mail when configured — each sent by its own workflow step.
/// Texts carry the dossier code, never personal data.
/// </summary>
/// <summary>The few facts of a dossier a notification needs.</summary>
public sealed record NotificationTarget(Guid Id, string Code, string Language, bool HasEmail);

public sealed class NotificationQueue(IOptions<NotificationOptions> options)
{
    public const string InApp = "in-app";
    public const string Sms = "sms";
    public const string Email = "email";

    public async Task<IReadOnlyList<Guid>> QueueAsync(DbWrite tx, NotificationTarget dossier, string kind, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? values = null, string audience = "citizen")
    {
        var english = dossier.Language == "en";
        var (subject, body) = Templates.Render(kind, english, dossier.Code, values ?? new Dictionary<string, string>());
        var channels = new List<string> { InApp };
        if (audience == "citizen" && !string.IsNullOrEmpty(options.Value.SmsGatewayUrl)) channels.Add(Sms);
        if (audience == "citizen" && !string.IsNullOrEmpty(options.Value.SmtpHost) && dossier.HasEmail) channels.Add(Email);

        var steps = new List<Guid>();
        foreach (var channel in channels)
        {
            var id = Guid.CreateVersion7();
            await tx.ExecuteAsync(Sql.Insert, new
            {
                Id = id,
                DossierId = dossier.Id,
                Channel = channel,
                Audience = audience,
                Kind = kind,
                Language = english ? "en" : "vi",
                Subject = subject,
                Body = body,
                Now = now,
            });
            var stepId = Guid.CreateVersion7();
            await tx.ExecuteAsync(WorkflowSql.InsertStep, new
            {
                Id = stepId,
                DossierId = dossier.Id,
                Kind = WorkflowSteps.Notify + id.ToString("N"),
                Now = now,
                DueAt = (DateTimeOffset?)null,
            });
            steps.Add(stepId);
        }
        return steps;
    }

    internal static class Sql
    {
        public const string Insert = """
            INSERT INTO notification (id, dossier_id, channel, audience, kind, language, subject, body, status, attempts, created_at, sent_at, last_error)
            VALUES (@Id, @DossierId, @Channel, @Audience, @Kind, @Language, @Subject, @Body, 'queued', 0, @Now, NULL, NULL)
            """;
    }
}

/// <summary>The milestone messages, Vietnamese by default, English when the applicant asked for it.</summary>
public static class Templates
{
    public static (string Subject, string Body) Render(string kind, bool english, string code, IReadOnlyDictionary<string, string> v)
    {
        string V(string key) => v.TryGetValue(key, out var s) ? s : "";
        return (kind, english) switch
        {
            ("received", false) => ($"Hồ sơ {code} đã được tiếp nhận", $"Hồ sơ {code} đã được chuyển đến {V("ward")}. Ngày hẹn trả kết quả: {V("appointment")}."),
            ("received", true) => ($"Dossier {code} received", $"Dossier {code} is now with {V("ward")}. Appointment date: {V("appointment")}."),
            ("supplement-requested", false) => ($"Hồ sơ {code} cần bổ sung", $"Vui lòng bổ sung: {V("items")}. Thời hạn giải quyết tạm dừng cho đến khi bạn bổ sung."),
            ("supplement-requested", true) => ($"Dossier {code} needs more documents", $"Please supply: {V("items")}. The deadline is paused until you do."),
            ("posted", false) => ($"Hồ sơ {code} đang được niêm yết công khai", $"Hồ sơ được niêm yết tại trụ sở UBND đến hết ngày {V("until")}."),
            ("posted", true) => ($"Dossier {code} is publicly posted", $"The dossier is posted at the ward office until {V("until")}."),
            ("decided", false) => ($"Hồ sơ {code} đã có kết quả", $"Kết quả: {V("outcome")}. {V("detail")}"),
            ("decided", true) => ($"Dossier {code} has been decided", $"Outcome: {V("outcome")}. {V("detail")}"),
            ("returned", false) => ($"Đã trả kết quả hồ sơ {code}", "Cảm ơn bạn. Vui lòng đánh giá mức độ hài lòng với dịch vụ."),
            ("returned", true) => ($"Result of dossier {code} handed over", "Thank you. Please rate your satisfaction with the service."),
            ("amount-changed", false) => ($"Mức trợ cấp theo hồ sơ {code} thay đổi từ tháng {V("month")}",
                $"Theo quy định (thay đổi về tuổi hoặc mức chuẩn), từ tháng {V("month")} mức trợ cấp hằng tháng là {V("amount")} đồng."),
            ("amount-changed", true) => ($"The allowance of dossier {code} changes from {V("month")}",
                $"By the rules (an age reached or a new standard level), from {V("month")} the monthly allowance is {V("amount")} VND."),
            ("funeral-support-offered", false) => ("Thông tin về hỗ trợ chi phí mai táng",
                $"UBND xã/phường xin chia buồn cùng gia đình. Khoản trợ cấp theo hồ sơ {code} dừng sau tháng {V("lastMonth")}. Gia đình hoặc người tổ chức " +
                "mai táng có thể đề nghị hỗ trợ chi phí mai táng (thủ tục BTXH-03, Nghị định 20/2021/NĐ-CP Điều 11) tại UBND xã/phường hoặc trên Cổng dịch vụ công."),
            ("funeral-support-offered", true) => ("About funeral support",
                $"The ward extends its condolences to the family. The allowance of dossier {code} stops after {V("lastMonth")}. The family, or whoever " +
                "arranges the funeral, may apply for funeral support (procedure BTXH-03, Decree 20/2021 Art. 11) at the ward office or on the public service portal."),
            ("payment-method-changed", false) => ("Phương thức nhận trợ cấp đã thay đổi",
                $"Phương thức nhận trợ cấp của ông/bà đã được đổi sang {V("method")} ngày {V("date")} ({V("by")}). Nếu không phải ông/bà yêu cầu, " +
                "xin liên hệ ngay UBND xã/phường."),
            ("payment-method-changed", true) => ("Your payment method has changed",
                $"Your allowance will be paid by {V("methodEn")} as of {V("date")} ({V("byEn")}). If you did not ask for this, contact the ward office at once."),
            ("delay-notice", false) => ($"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
                $"Chúng tôi xin lỗi: hồ sơ {code} chưa thể trả kết quả đúng hẹn ngày {V("appointment")}. Lý do: {V("reason")}. "
                + $"Ngày hẹn trả kết quả mới: {V("newDate")}."),
            ("delay-notice", true) => ($"Apology and new appointment date for dossier {code}",
                $"We apologise: the result of dossier {code} cannot be ready by {V("appointment")}. Reason: {V("reason")}. "
                + $"New appointment date: {V("newDate")}."),
            ("at-risk", _) => ($"Hồ sơ {code} sắp đến hạn",
                $"Hồ sơ {code} đến hạn ngày {V("appointment")}; còn không quá {V("days")} ngày làm việc. {V("advice")}".TrimEnd()),
            ("delay-notice-needed", _) => ($"Hồ sơ {code}: ngày hẹn đã thành ngày nghỉ",
                $"Ngày hẹn {V("appointment")} của hồ sơ {code} đã thành ngày nghỉ theo {V("notice")}; cần lập Phiếu xin lỗi và hẹn lại (Mẫu 04)."),
            ("withdrawn", false) => ($"Hồ sơ {code} đã được rút", "Hồ sơ đã dừng xử lý theo đề nghị của bạn."),
            ("withdrawn", true) => ($"Dossier {code} withdrawn", "Processing stopped at your request."),
            ("reception-refused", false) => ($"Hồ sơ {code} không được tiếp nhận",
                $"Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03). Lý do: {V("reason")}. {V("explanation")}"),
            ("reception-refused", true) => ($"Dossier {code} was not received",
                $"Refusal to receive the dossier (Form 03). Reason: {V("reason")}. {V("explanation")}"),
            _ => ($"Hồ sơ {code}", kind),
        };
    }

    public static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
