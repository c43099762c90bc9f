using System.Globalization;
using System.Text.Json;
using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Eligibility;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

// ---- wire types -------------------------------------------------------------------------------------

/// <param name="OfficerId">The officer's subject id (the `sub` claim of their token).</param>
/// <param name="Note">Why the ward hands it to this officer.</param>
public sealed record AssignOfficerRequest(string? OfficerId, string? Note);

/// <param name="Findings">What the verification found (population database, documents, home visit…).</param>
public sealed record RecordVerificationRequest(string? Findings);

/// <param name="DocumentCode">A code of the procedure's checklist, when the item is a document.</param>
/// <param name="Description">What is missing or wrong, in words the citizen understands.</param>
public sealed record SupplementItemRequest(string? DocumentCode, string? Description);

/// <param name="Items">Everything missing, listed at once (Form 02).</param>
/// <param name="OverrideReason">A second request is allowed only to a provincial officer, with this reason.</param>
public sealed record RequestSupplementRequest(IReadOnlyList<SupplementItemRequest>? Items, string? OverrideReason);

/// <param name="Note">What the citizen supplies (documents are uploaded separately to /documents).</param>
/// <param name="FormFields">Corrected procedure fields, replacing the previous ones; must satisfy the procedure's schema.</param>
public sealed record SubmitSupplementRequest(string? Note, JsonElement? FormFields);

/// <param name="Note">The officer's proposal to the chair.</param>
public sealed record ForwardRequest(string? Note);

/// <param name="Reasons">Approval: optional remarks. Rejection: the reasons, required (the written reply).</param>
/// <param name="LegalBasis">Legal basis of the decision; defaults to the procedure's.</param>
public sealed record DecisionRequest(string? Reasons, string? LegalBasis);

/// <param name="Reason">Why the applicant withdraws.</param>
public sealed record WithdrawRequest(string? Reason);

/// <param name="Score">1 = not satisfied, 2 = satisfied, 3 = very satisfied.</param>
/// <param name="Comment">Optional words for the ward.</param>
public sealed record RatingRequest(int? Score, string? Comment);

/// <param name="WardCode">The current ward that will handle the dossier.</param>
/// <param name="Note">How the residence was settled.</param>
public sealed record AssignWardRequest(string? WardCode, string? Note);

/// <param name="Note">Optional remark on the hand-over (in person, post, online).</param>
public sealed record ReturnResultRequest(string? Note);

// ---- messages ---------------------------------------------------------------------------------------

public sealed record ClaimDossier(string Code, Caller Caller, string? IfMatch, bool English) : ICommand<DossierResponse>, IDossierCommand
{
    public string? TrackingSecret => null;
}

public sealed record AssignOfficer(string Code, Caller Caller, string? IfMatch, bool English, AssignOfficerRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.OfficerId) || Body.OfficerId.Length > 200) yield return new("officerId", "Vui lòng ghi mã cán bộ được giao (tối đa 200 ký tự).");
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed record RecordVerification(string Code, Caller Caller, string? IfMatch, bool English, RecordVerificationRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Findings) || Body.Findings.Length > 2000) yield return new("findings", "Vui lòng ghi kết quả thẩm định (tối đa 2000 ký tự).");
    }
}

public sealed record RequestSupplement(string Code, Caller Caller, string? IfMatch, bool English, RequestSupplementRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Items is not { Count: > 0 } items) { yield return new("items", "Liệt kê đầy đủ các nội dung cần bổ sung (ít nhất một)."); yield break; }
        if (items.Count > 30) yield return new("items", "Tối đa 30 nội dung.");
        for (var i = 0; i < items.Count; i++)
            if (string.IsNullOrWhiteSpace(items[i].Description) || items[i].Description!.Length > 500)
                yield return new($"items[{i}].description", "Mô tả nội dung cần bổ sung (tối đa 500 ký tự).");
        if (Body.OverrideReason?.Length > 1000) yield return new("overrideReason", "Lý do tối đa 1000 ký tự.");
    }
}

public sealed record SubmitSupplement(string Code, Caller Caller, string? TrackingSecret, string? IfMatch, bool English, SubmitSupplementRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 2000) yield return new("note", "Ghi chú tối đa 2000 ký tự.");
        if (Body.FormFields is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Undefined and not JsonValueKind.Null })
            yield return new("formFields", "Thông tin thủ tục phải là một đối tượng JSON.");
    }
}

public sealed record StartPosting(string Code, Caller Caller, string? IfMatch, bool English) : ICommand<DossierResponse>, IDossierCommand
{
    public string? TrackingSecret => null;
}

public sealed record ForwardToChair(string Code, Caller Caller, string? IfMatch, bool English, ForwardRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 2000) yield return new("note", "Ghi chú tối đa 2000 ký tự.");
    }
}

public sealed record Decide(string Code, Caller Caller, string? IfMatch, bool English, bool Approve, DecisionRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (!Approve && string.IsNullOrWhiteSpace(Body.Reasons)) yield return new("reasons", "Từ chối phải nêu rõ lý do.");
        if (Body.Reasons?.Length > 2000) yield return new("reasons", "Lý do tối đa 2000 ký tự.");
        if (Body.LegalBasis?.Length > 500) yield return new("legalBasis", "Căn cứ pháp lý tối đa 500 ký tự.");
    }
}

public sealed record ReturnResult(string Code, Caller Caller, string? IfMatch, bool English, ReturnResultRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

public sealed record Withdraw(string Code, Caller Caller, string? TrackingSecret, string? IfMatch, bool English, WithdrawRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Reason) || Body.Reason.Length > 500) yield return new("reason", "Vui lòng ghi lý do rút hồ sơ (tối đa 500 ký tự).");
    }
}

public sealed record Rate(string Code, Caller Caller, string? TrackingSecret, string? IfMatch, bool English, RatingRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Body.Score is not (1 or 2 or 3)) yield return new("score", "Mức đánh giá: 1 = không hài lòng, 2 = hài lòng, 3 = rất hài lòng.");
        if (Body.Comment?.Length > 1000) yield return new("comment", "Góp ý tối đa 1000 ký tự.");
    }
}

public sealed record AssignWard(string Code, Caller Caller, string? IfMatch, bool English, AssignWardRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.WardCode is not { Length: 5 } w || !w.All(char.IsAsciiDigit)) yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        if (string.IsNullOrWhiteSpace(Body.Note) || Body.Note.Length > 1000) yield return new("note", "Ghi rõ căn cứ xác định địa bàn (tối đa 1000 ký tự).");
    }
}

// ---- handlers ---------------------------------------------------------------------------------------

public sealed class LifecycleHandlers(DossierActionRunner runner, Db db, FormSchemas schemas)
    : ICommandHandler<ClaimDossier, DossierResponse>, ICommandHandler<AssignOfficer, DossierResponse>,
      ICommandHandler<RecordVerification, DossierResponse>, ICommandHandler<RequestSupplement, DossierResponse>,
      ICommandHandler<SubmitSupplement, DossierResponse>, ICommandHandler<StartPosting, DossierResponse>,
      ICommandHandler<ForwardToChair, DossierResponse>, ICommandHandler<Decide, DossierResponse>,
      ICommandHandler<ReturnResult, DossierResponse>, ICommandHandler<Withdraw, DossierResponse>,
      ICommandHandler<Rate, DossierResponse>, ICommandHandler<AssignWard, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(ClaimDossier cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Claim, c => Task.FromResult(new ActionPlan("Claimed", $"Cán bộ {c.Caller.Name} nhận xử lý hồ sơ.")
        {
            UpdateSql = Sql.SetOfficer,
            UpdateArgs = new { Officer = c.Caller.Id },
        }), ct);

    public async ValueTask<DossierResponse> Handle(AssignOfficer cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Assign, c => Task.FromResult(new ActionPlan("Assigned", $"Giao cho cán bộ {cmd.Body.OfficerId}. {cmd.Body.Note}".Trim())
        {
            UpdateSql = Sql.SetOfficer,
            UpdateArgs = new { Officer = cmd.Body.OfficerId },
        }), ct);

    public async ValueTask<DossierResponse> Handle(RecordVerification cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.RecordVerification, _ => Task.FromResult(new ActionPlan("Verified", cmd.Body.Findings)), ct);

    public async ValueTask<DossierResponse> Handle(RequestSupplement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.RequestSupplement, c =>
        {
            // The law's "once" (Decree 61/118: guide the applicant once, listing everything): a second request
            // is a provincial override with a recorded reason.
            if (c.Row.SupplementCount >= 1)
            {
                if (!c.Caller.IsProvincial)
                    throw ProblemException.Conflict("supplement-already-requested", "Đã yêu cầu bổ sung một lần",
                        "Chỉ được yêu cầu bổ sung một lần, liệt kê đầy đủ; lần tiếp theo cần cán bộ cấp tỉnh phê duyệt kèm lý do.");
                if (string.IsNullOrWhiteSpace(cmd.Body.OverrideReason))
                    throw ProblemException.Validation([new("overrideReason", "Yêu cầu bổ sung lần hai phải ghi lý do phê duyệt.")]);
            }
            var items = string.Join("; ", cmd.Body.Items!.Select(i => i.DocumentCode is null ? i.Description : $"{i.DocumentCode}: {i.Description}"));
            var remaining = Math.Max(0, c.Calendar.WorkingDaysBetween(c.Today, c.Row.AppointmentDate));
            var note = $"Phiếu yêu cầu bổ sung (Mẫu 02): {items}. Tạm dừng thời hạn, còn {remaining} ngày làm việc."
                       + (cmd.Body.OverrideReason is { } r ? $" Phê duyệt lần {c.Row.SupplementCount + 1}: {r}" : "");
            return Task.FromResult(new ActionPlan("SupplementRequested", note)
            {
                UpdateSql = Sql.PauseClock,
                UpdateArgs = new { Remaining = remaining },
                Notify = ["supplement-requested"],
                NotifyValues = new Dictionary<string, string> { ["items"] = items },
            });
        }, ct);

    public async ValueTask<DossierResponse> Handle(SubmitSupplement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.SubmitSupplement, async c =>
        {
            var formData = c.Row.FormData;
            if (cmd.Body.FormFields is { ValueKind: JsonValueKind.Object } form)
            {
                var errors = schemas.Validate(await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode), form);
                if (errors.Count > 0) throw ProblemException.Validation(errors);
                formData = new Sealed(form.GetRawText());
            }
            // The clock resumes with the working days that were left when it paused.
            var appointment = Appointment.Due(c.Now, c.Row.RemainingWorkingDays ?? 0, c.Calendar, OfficeHours.Close);
            return new ActionPlan("SupplementReceived", $"Đã bổ sung. {cmd.Body.Note} Hẹn trả kết quả mới: {Templates.Date(appointment)}.".Trim())
            {
                UpdateSql = Sql.ResumeClock,
                UpdateArgs = new { Appointment = appointment, FormData = formData },
            };
        }, ct);

    public async ValueTask<DossierResponse> Handle(StartPosting cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.StartPosting, async c =>
        {
            var definition = await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode);
            if (!definition.RequiresPublicPosting)
                throw ProblemException.Conflict("posting-not-required", "Thủ tục này không niêm yết công khai");
            if (c.Row.PostingDone) throw ProblemException.Conflict("posting-done", "Hồ sơ đã được niêm yết");
            var days = definition.Root.GetProperty("postingDays").GetInt32();
            var lastDay = c.Calendar.AddWorkingDays(c.Today, days);
            var endsAt = new DateTimeOffset(lastDay.ToDateTime(OfficeHours.Close), TimeSpan.FromHours(7));
            return new ActionPlan("PostingStarted", $"Niêm yết công khai {days} ngày làm việc, đến {OfficeHours.Close:HH\\:mm} ngày {Templates.Date(lastDay)}.")
            {
                UpdateSql = Sql.StartPosting,
                UpdateArgs = new { EndsAt = endsAt },
                Notify = ["posted"],
                NotifyValues = new Dictionary<string, string> { ["until"] = Templates.Date(lastDay) },
                Steps = [(WorkflowSteps.EndPosting, endsAt)],
            };
        }, ct);

    public async ValueTask<DossierResponse> Handle(ForwardToChair cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.ForwardToChair, async c =>
        {
            var definition = await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode);
            if (definition.RequiresPublicPosting && !c.Row.PostingDone)
                throw ProblemException.Conflict("posting-required", "Hồ sơ phải được niêm yết công khai trước khi trình",
                    "Thủ tục này yêu cầu niêm yết công khai; hãy niêm yết và chờ hết thời gian niêm yết.");
            return new ActionPlan("ForwardedToChair", cmd.Body.Note ?? "Trình Chủ tịch UBND xem xét, quyết định.");
        }, ct);

    public async ValueTask<DossierResponse> Handle(Decide cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, cmd.Approve ? DossierAction.Approve : DossierAction.Reject, async c =>
        {
            var definition = await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode);
            var ward = c.Row.HandlingWardCode ?? "25";
            var sequence = await c.Tx.ScalarAsync<long>(db.Dialect.NextDossierSequence, new { UnitCode = "QD-" + ward, ReceiptDay = new DateOnly(c.Today.Year, 1, 1) });
            var number = string.Create(CultureInfo.InvariantCulture, $"{sequence}/QĐ-UBND");
            var legalBasis = cmd.Body.LegalBasis ?? string.Join("; ", definition.Root.GetProperty("legalBasis").EnumerateArray().Select(b => b.GetProperty("vi").GetString()));
            BenefitAmount? benefit = null;
            if (cmd.Approve)
            {
                var form = JsonDocument.Parse(c.Row.FormData).RootElement.EnumerateObject()
                    .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
                benefit = BenefitCalculator.Compute(c.Row.ProcedureCode, form, c.Row.ApplicantBirthDate, c.Today);
            }
            var outcome = cmd.Approve ? DossierOutcome.Granted : DossierOutcome.Denied;
            // Decree 147/2025: the monthly benefit runs from the month in which the chairman signs.
            var effectiveMonth = benefit is { Monthly: true } ? c.Today.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null;
            var decision = new DecisionResponse(number, c.Today, outcome.ToString(), legalBasis, effectiveMonth,
                benefit?.Vnd, benefit?.Monthly, benefit?.Coefficient, benefit?.StandardLevelVnd, cmd.Body.Reasons);
            var summary = cmd.Approve
                ? $"Quyết định {number}: chấp thuận" + (benefit is null ? "." : $", {benefit.Vnd:#,0} đồng{(benefit.Monthly ? "/tháng từ tháng " + effectiveMonth : "")} ({benefit.Basis}).")
                : $"Văn bản {number}: không chấp thuận. Lý do: {cmd.Body.Reasons}";
            return new ActionPlan(cmd.Approve ? "Approved" : "Rejected", summary)
            {
                UpdateSql = Sql.Decide,
                UpdateArgs = new { Outcome = outcome.ToString(), Number = number, Date = c.Today, Json = JsonSerializer.Serialize(decision, JsonSerializerOptions.Web) },
                Notify = ["decided"],
                NotifyValues = new Dictionary<string, string>
                {
                    ["outcome"] = cmd.Approve ? (c.Row.Language == "en" ? "granted" : "chấp thuận") : (c.Row.Language == "en" ? "not granted" : "không chấp thuận"),
                    ["detail"] = summary,
                },
            };
        }, ct);

    public async ValueTask<DossierResponse> Handle(ReturnResult cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.ReturnResult, _ => Task.FromResult(new ActionPlan("ResultReturned", cmd.Body.Note ?? "Đã trả kết quả.")
        {
            UpdateSql = Sql.Complete,
            Notify = ["returned"],
        }), ct);

    public async ValueTask<DossierResponse> Handle(Withdraw cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Withdraw, _ => Task.FromResult(new ActionPlan("Withdrawn", cmd.Body.Reason)
        {
            UpdateSql = Sql.Complete,
            Notify = ["withdrawn"],
        }), ct);

    public async ValueTask<DossierResponse> Handle(Rate cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.Rate, c =>
        {
            if (c.Row.Rating is not null) throw ProblemException.Conflict("already-rated", "Hồ sơ đã được đánh giá");
            return Task.FromResult(new ActionPlan("Rated", $"Đánh giá {cmd.Body.Score}/3. {cmd.Body.Comment}".Trim())
            {
                UpdateSql = Sql.Rate,
                UpdateArgs = new { cmd.Body.Score },
            });
        }, ct);

    public async ValueTask<DossierResponse> Handle(AssignWard cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.AssignWard, async c =>
        {
            var exists = await c.Tx.ScalarAsync<long>(Sql.PhuThoWard, new { Code = cmd.Body.WardCode });
            if (exists == 0) throw ProblemException.Validation([new("wardCode", $"Mã {cmd.Body.WardCode} không phải xã/phường hiện hành của tỉnh Phú Thọ.")]);
            return new ActionPlan("WardAssigned", $"Tỉnh xác định địa bàn: {cmd.Body.WardCode}. {cmd.Body.Note}")
            {
                UpdateSql = Sql.AssignWard,
                UpdateArgs = new { Ward = cmd.Body.WardCode, Queue = "ward:" + cmd.Body.WardCode },
                Notify = ["received"],
                NotifyValues = new Dictionary<string, string> { ["ward"] = cmd.Body.WardCode!, ["appointment"] = Templates.Date(c.Row.AppointmentDate) },
            };
        }, ct);

    internal static class Sql
    {
        public const string PhuThoWard = """
            SELECT COUNT(*) FROM admin_unit WHERE era = 'current' AND code = @Code AND province_code = '25' AND unit_type IN ('ward', 'commune')
            """;
        public const string SetOfficer = """
            UPDATE dossier SET status = @Status, assigned_officer = @Officer, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string PauseClock = """
            UPDATE dossier SET status = @Status, supplement_count = supplement_count + 1, clock_paused_at = @Now,
                remaining_working_days = @Remaining, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string ResumeClock = """
            UPDATE dossier SET status = @Status, clock_paused_at = NULL, remaining_working_days = NULL, appointment_date = @Appointment,
                form_data = @FormData, at_risk_at = NULL, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string StartPosting = """
            UPDATE dossier SET status = @Status, posting_ends_at = @EndsAt, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string Decide = """
            UPDATE dossier SET status = @Status, outcome = @Outcome, decision_number = @Number, decision_date = @Date,
                decision_json = @Json, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string Complete = """
            UPDATE dossier SET status = @Status, completed_at = @Now, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string Rate = """
            UPDATE dossier SET status = @Status, rating = @Score, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string AssignWard = """
            UPDATE dossier SET status = @Status, handling_ward_code = @Ward, queue_name = @Queue, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
