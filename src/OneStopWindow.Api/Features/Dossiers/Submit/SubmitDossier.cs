using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mediator;
using OneStopWindow.Api.Features.AdministrativeUnits;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Infrastructure.Text;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Submit;

/// <summary>The applicant as on their identity card.</summary>
/// <param name="FullName">Full name with diacritics, as on the identity card.</param>
/// <param name="DateOfBirth">yyyy-MM-dd.</param>
/// <param name="IdNumber">12-digit personal identification number (số định danh cá nhân).</param>
/// <param name="Phone">Vietnamese number: 0912345678, +84912345678 or 84912345678.</param>
/// <param name="Email">Optional e-mail for notifications.</param>
public sealed record ApplicantRequest(string? FullName, DateOnly? DateOfBirth, string? IdNumber, string? Phone, string? Email);

/// <summary>Where the applicant lives. An address written before 1 Jul 2025 may be given with its old commune code.</summary>
/// <param name="Era">`current` (a ward/commune of Phú Thọ since 1 Jul 2025, default) or `pre2025` (a former commune, resolved through the official mapping).</param>
/// <param name="UnitCode">5-digit commune-level code of that era.</param>
/// <param name="Detail">House number, street, village (thôn/xóm/tổ dân phố) as the applicant writes it.</param>
public sealed record ResidenceRequest(string? Era, string? UnitCode, string? Detail);

/// <param name="ProcedureCode">Catalogue code, e.g. `BTXH-01`.</param>
/// <param name="Applicant">The person the dossier is for.</param>
/// <param name="Residence">The applicant's residence; it decides the handling ward.</param>
/// <param name="Channel">`online` (default), `counter` or `postal`. The last two are recorded by staff of the receiving ward (their own
/// ward only), provincial officers, or an integration client with the `dossiers:counter` scope; anyone else gets 403.</param>
/// <param name="ReceivingUnitCode">For `counter`: the current code of the ward where it was filed. Omitted: the provincial portal (`25`).</param>
/// <param name="FormFields">The procedure's own fields; must satisfy the procedure's `formSchema`.</param>
public sealed record SubmitDossierRequest(
    string? ProcedureCode, ApplicantRequest? Applicant, ResidenceRequest? Residence, string? Channel,
    string? ReceivingUnitCode, JsonElement? FormFields);

/// <summary>The receipt (Form 01): keep the dossier code and the tracking secret; the secret is not shown again.</summary>
public sealed record DossierReceiptResponse(
    string Code, string ProcedureCode, string Status, int NationalStatusCode, string StatusLabel, string Channel,
    DateTimeOffset ReceivedAt, DateOnly AppointmentDate, int ProcessingDays, string? TrackingSecret, IReadOnlyList<string> MissingDocuments)
{
    /// <summary>
    /// The receipt's PDF (Form 01) under the dossier: 202 with Retry-After until rendered (well under a second), then the
    /// PDF, with the same access as the dossier.
    /// </summary>
    public string? ReceiptPaper { get; init; }
}

public sealed record SubmitDossierResult(DossierReceiptResponse Receipt, bool Replayed);

/// <param name="Caller">A citizen who files while signed in owns the dossier; staff file at the counter for someone else.</param>
/// <param name="ExternalReference">Integration clients only: the client's own reference, unique per client for ever.</param>
public sealed partial record SubmitDossier(SubmitDossierRequest Request, string? IdempotencyKey, Caller Caller, bool English,
    string? ExternalReference = null)
    : ICommand<SubmitDossierResult>, IValidatable
{
    public static readonly string[] Channels = ["online", "counter", "postal"];

    /// <summary>Idempotency keys are scoped to the caller; anonymous submissions share one scope.</summary>
    public string Scope => Caller.Client is { } c ? "client:" + c.Id.ToString("D") : Caller.Role == "anonymous" ? "anonymous" : Caller.Role + ":" + Caller.Id;

    /// <summary>What makes a retry a retry: a client's external reference, anyone else's Idempotency-Key.</summary>
    public string? RetryKey => Caller.Client is not null ? ExternalReference : IdempotencyKey;

    /// <summary>Idempotency keys are kept 7 days; a client's external reference maps to its dossier for ever.</summary>
    public DateTimeOffset RetrySince(DateTimeOffset now) => Caller.Client is not null ? DateTimeOffset.MinValue : now - SubmitDossierHandler.IdempotencyRetention;

    public IEnumerable<FieldError> Validate()
    {
        var r = Request;
        if (IdempotencyKey is not null && !KeyFormat().IsMatch(IdempotencyKey))
            yield return new("Idempotency-Key", "Khóa Idempotency-Key gồm 16–64 ký tự chữ, số, '-' hoặc '_' (nên dùng UUID).");
        if (Caller.Client is not null && (ExternalReference is null || !ReferenceFormat().IsMatch(ExternalReference)))
            yield return new("externalReference", "Mã tham chiếu của hệ thống gửi gồm 1–64 ký tự chữ, số hoặc . _ : / -");
        if (string.IsNullOrWhiteSpace(r.ProcedureCode)) yield return new("procedureCode", "Vui lòng chọn thủ tục.");
        else if (r.ProcedureCode.Length > 32) yield return new("procedureCode", "Mã thủ tục không hợp lệ.");
        if (r.Channel is not null && !Channels.Contains(r.Channel))
            yield return new("channel", "Kênh nộp phải là 'online', 'counter' hoặc 'postal'.");
        if (r.ReceivingUnitCode is not null && !UnitCodeFormat().IsMatch(r.ReceivingUnitCode))
            yield return new("receivingUnitCode", "Mã đơn vị tiếp nhận gồm 5 chữ số.");

        if (r.Applicant is not { } a) yield return new("applicant", "Vui lòng nhập thông tin người nộp hồ sơ.");
        else
        {
            if (string.IsNullOrWhiteSpace(a.FullName)) yield return new("applicant.fullName", "Vui lòng nhập họ và tên.");
            else if (a.FullName.Trim().Length > 100 || a.FullName.Any(char.IsControl) || a.FullName.Any(char.IsDigit))
                yield return new("applicant.fullName", "Họ và tên tối đa 100 ký tự, không chứa chữ số hoặc ký tự điều khiển.");
            if (a.DateOfBirth is not { } dob) yield return new("applicant.dateOfBirth", "Vui lòng nhập ngày sinh (yyyy-MM-dd).");
            else if (dob.Year < 1900 || dob > DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)))
                yield return new("applicant.dateOfBirth", "Ngày sinh không hợp lệ.");
            if (PersonalIdNumber.Validate(a.IdNumber, a.DateOfBirth) is { } idError) yield return new("applicant.idNumber", idError);
            if (!PhoneNumber.TryNormalize(a.Phone, out _))
                yield return new("applicant.phone", "Số điện thoại không hợp lệ (ví dụ 0912345678 hoặc +84912345678).");
            if (a.Email is not null && (a.Email.Length > 254 || !MailAddress.TryCreate(a.Email, out _)))
                yield return new("applicant.email", "Địa chỉ e-mail không hợp lệ.");
        }

        if (r.Residence is not { } res) yield return new("residence", "Vui lòng nhập nơi cư trú.");
        else
        {
            foreach (var e in Eras.Check(res.Era)) yield return e with { Field = "residence.era" };
            if (res.UnitCode is null || !UnitCodeFormat().IsMatch(res.UnitCode))
                yield return new("residence.unitCode", "Mã xã/phường gồm 5 chữ số (ví dụ 04795).");
            if (res.Detail is { Length: > 300 }) yield return new("residence.detail", "Địa chỉ chi tiết tối đa 300 ký tự.");
        }

        if (r.FormFields is not { ValueKind: JsonValueKind.Object })
            yield return new("formFields", "Vui lòng điền các thông tin riêng của thủ tục (một đối tượng JSON).");
    }

    /// <summary>SHA-256 of the canonical request: same key + same fingerprint = a retry.</summary>
    public string Fingerprint() =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(Request, JsonSerializerOptions.Web)));

    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$")]
    private static partial Regex KeyFormat();

    [GeneratedRegex("^[A-Za-z0-9._:/-]{1,64}$")]
    private static partial Regex ReferenceFormat();

    [GeneratedRegex("^[0-9]{5}$")]
    private static partial Regex UnitCodeFormat();
}

public sealed class SubmitDossierHandler(
    Db db, FormSchemas schemas, WorkingCalendarProvider calendars, WorkflowSignal workflow, TimeProvider clock, PersonalData personalData,
    OfficeHours hours)
    : ICommandHandler<SubmitDossier, SubmitDossierResult>
{
    /// <summary>Receipts are handed back on retry for this long (published in the API description).</summary>
    public static readonly TimeSpan IdempotencyRetention = TimeSpan.FromDays(7);

    /// <summary>The provincial portal receives online and postal dossiers.</summary>
    public const string ProvincialPortalUnit = "25";

    public async ValueTask<SubmitDossierResult> Handle(SubmitDossier cmd, CancellationToken ct)
    {
        var r = cmd.Request;
        var fingerprint = cmd.Fingerprint();
        if (cmd.RetryKey is not null && await ReplayAsync(cmd, fingerprint, ct) is { } replay) return replay;

        var procedure = await ProcedureDefinition.LoadAsync(db, r.ProcedureCode!.Trim().ToUpperInvariant(), ct)
            ?? throw ProblemException.Validation([new("procedureCode", $"Không có thủ tục mã '{r.ProcedureCode}' trong danh mục.")]);
        if (cmd.Caller.Client is { } client) await CheckClientRestrictionsAsync(client, procedure.Code, r.Residence!, ct);
        var formErrors = schemas.Validate(procedure, r.FormFields!.Value);
        var era = r.Residence!.Era ?? Eras.Current;
        var channel = r.Channel ?? "online";
        if (AssistedChannels.Contains(channel))
        {
            CheckAssistedChannel(cmd.Caller, channel, r.ReceivingUnitCode);
            if (r.ReceivingUnitCode is null && cmd.Caller.IsWardStaff)
            {
                r = r with { ReceivingUnitCode = cmd.Caller.WardCode };   // received at the officer's own ward
                cmd = cmd with { Request = r };
            }
        }
        var unitErrors = await CheckUnitsAsync(era, r.Residence.UnitCode!, r.ReceivingUnitCode, ct);
        if (formErrors.Count + unitErrors.Count > 0) throw ProblemException.Validation(formErrors.Concat(unitErrors));

        try
        {
            return await InsertAsync(cmd, procedure, era, channel, fingerprint, ct);
        }
        catch (System.Data.Common.DbException e) when (DbErrors.IsUniqueViolation(e) && cmd.RetryKey is not null)
        {
            // A concurrent request with the same key got there first: answer as its retry. If its commit is still under way
            // (same commit group), the transient error makes the retry behaviour run this again a moment later.
            return await ReplayAsync(cmd, fingerprint, ct)
                ?? throw new DatabaseBusyException("A concurrent request with the same key is being committed: " + e.GetType().Name);
        }
    }

    private async Task<SubmitDossierResult> InsertAsync(
        SubmitDossier cmd, ProcedureDefinition procedure, string era, string channel, string fingerprint, CancellationToken ct)
    {
        var r = cmd.Request;
        var now = clock.GetUtcNow();
        var calendar = await calendars.GetAsync(ct);
        var receiptDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Appointment.VietnamTime).DateTime);
        var appointment = Appointment.Due(now, procedure.ProcessingDays, calendar, hours.Close);
        var receivingUnit = r.ReceivingUnitCode ?? ProvincialPortalUnit;
        var secret = TrackingSecret.Create();
        PhoneNumber.TryNormalize(r.Applicant!.Phone, out var phone);
        var dossierId = Guid.CreateVersion7();
        var stepId = Guid.CreateVersion7();

        var beneficiary = BeneficiaryColumns.Of(r.FormFields!.Value, r.Applicant.DateOfBirth!.Value, receiptDate, personalData);

        await using var tx = await db.BeginWriteAsync(ct);
        var sequence = await tx.ScalarAsync<long>(db.Dialect.NextDossierSequence, new { UnitCode = receivingUnit, ReceiptDay = receiptDate });
        var code = DossierCode.Format(receivingUnit, receiptDate, sequence);
        await tx.ExecuteAsync(Sql.InsertDossier, new
        {
            Id = dossierId,
            Code = code,
            ProcedureCode = procedure.Code,
            Status = nameof(DossierStatus.Submitted),
            Channel = channel,
            ReceivedUnitCode = receivingUnit,
            ApplicantName = r.Applicant.FullName!.Trim().Normalize(NormalizationForm.FormC),
            ApplicantBirthDate = r.Applicant.DateOfBirth!.Value,
            ApplicantIdNumber = personalData.Seal(r.Applicant.IdNumber!),
            ApplicantIdHash = personalData.Hash(r.Applicant.IdNumber!),
            ApplicantPhone = phone,
            ApplicantEmail = r.Applicant.Email,
            ResidenceEra = era,
            ResidenceCode = r.Residence!.UnitCode!,
            ResidenceDetail = r.Residence.Detail?.Trim().Normalize(NormalizationForm.FormC),
            FormData = personalData.Seal(r.FormFields!.Value.GetRawText()),
            TrackingSecretHash = TrackingSecret.Hash(secret),
            ReceivedAt = now,
            AppointmentDate = appointment,
            CalendarVersion = calendar.Version,
            procedure.ProcessingDays,
            Now = now,
            OwnerIdHash = cmd.Caller.Role == Domain.Dossiers.Roles.Citizen ? cmd.Caller.IdHash : null,
            ApplicantSearch = SearchText.Fold(r.Applicant.FullName),
            Language = cmd.English ? "en" : "vi",
            ClientId = cmd.Caller.Client?.Id,
            cmd.ExternalReference,
            beneficiary.BeneficiaryIdHash,
            beneficiary.BeneficiaryAdult,
            beneficiary.BeneficiaryIsOther,
        });
        var via = cmd.Caller.Client is { } c ? $" qua hệ thống tích hợp '{c.Name}' (mã tham chiếu {cmd.ExternalReference})" : "";
        var submitted = await Timeline.AppendAsync(tx, new(dossierId, "Submitted", nameof(DossierStatus.Submitted), cmd.Caller.Id,
            cmd.Caller.Role == "anonymous" ? "applicant" : cmd.Caller.Role, now, string.Create(CultureInfo.InvariantCulture,
                $"Nộp qua kênh {channel}{via}; hẹn trả kết quả {appointment:dd/MM/yyyy} ({procedure.ProcessingDays} ngày làm việc).")));
        await tx.ExecuteAsync(WorkflowSql.InsertStep, new { Id = stepId, DossierId = dossierId, Kind = WorkflowSteps.Intake, Now = now, DueAt = (DateTimeOffset?)null });
        // Form 01, rendered after the commit; its link is in the 201 (it answers 202 until ready).
        var papers = await PaperQueue.QueueAsync(tx, personalData, dossierId, "Submitted", submitted, now, new PaperFacts
        {
            Appointment = appointment,
            ProcessingDays = procedure.ProcessingDays,
            ReceivingUnitCode = receivingUnit,
            ActorRole = cmd.Caller.Role == "anonymous" ? "applicant" : cmd.Caller.Role,
            Items = procedure.RequiredUploads,
        });

        var receipt = new DossierReceiptResponse(code, procedure.Code, nameof(DossierStatus.Submitted), DossierStatus.Submitted.NationalCode(),
            DossierStatus.Submitted.Label(english: cmd.English), channel, now, appointment, procedure.ProcessingDays, secret,
            procedure.RequiredUploads)
        { ReceiptPaper = papers.Select(p => PaperQueue.Href(code, p.Id)).FirstOrDefault() };
        if (cmd.RetryKey is not null)
        {
            await tx.ExecuteAsync(Sql.DeleteExpiredIdempotency, new { cmd.Scope, Key = cmd.RetryKey, Since = cmd.RetrySince(now) });
            await tx.ExecuteAsync(Sql.InsertIdempotency, new
            {
                cmd.Scope,
                Key = cmd.RetryKey,
                Fingerprint = fingerprint,
                DossierId = dossierId,
                // Sealed like other personal data. A client's mapping is kept for ever, so it keeps no secret at all.
                ResponseBody = personalData.Seal(JsonSerializer.Serialize(cmd.Caller.Client is null ? receipt : receipt with { TrackingSecret = null }, JsonSerializerOptions.Web)),
                Now = now,
            });
        }
        await tx.CommitAsync();

        workflow.StepsWritten();   // the step row is the hand-off; this only wakes a worker in this process
        return new(receipt, Replayed: false);
    }

    /// <summary>Same key + same body → the stored receipt; same key + different body → 422.</summary>
    private async Task<SubmitDossierResult?> ReplayAsync(SubmitDossier cmd, string fingerprint, CancellationToken ct)
    {
        var row = await db.SingleOrDefaultAsync<IdempotencyRow>(Sql.LoadIdempotency,
            new { cmd.Scope, Key = cmd.RetryKey, Since = cmd.RetrySince(clock.GetUtcNow()) }, ct);
        if (row is null) return null;
        if (row.Fingerprint != fingerprint && cmd.Caller.Client is not null)
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "external-reference-reused",
                "Mã tham chiếu đã được dùng cho một hồ sơ khác",
                $"Mã tham chiếu '{cmd.ExternalReference}' của hệ thống này đã gắn với một hồ sơ có nội dung khác.");
        if (row.Fingerprint != fingerprint)
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
                "Khóa Idempotency-Key đã được dùng cho một hồ sơ khác",
                "Khóa này đã dùng với nội dung khác. Hãy tạo khóa mới cho mỗi hồ sơ mới; chỉ dùng lại khóa khi gửi lại đúng nội dung cũ.");
        return new(JsonSerializer.Deserialize<DossierReceiptResponse>(personalData.Open(row.ResponseBody), JsonSerializerOptions.Web)!, Replayed: true);
    }

    /// <summary>Channels where staff receive the papers; the "online share" indicator counts on them being true.</summary>
    public static readonly string[] AssistedChannels = ["counter", "postal"];

    /// <summary>
    /// A counter or postal filing is recorded by staff of the receiving ward (their own ward only), a provincial officer,
    /// or an integration client holding the <c>dossiers:counter</c> scope (the one-stop counter software); anyone else
    /// files online.
    /// </summary>
    private static void CheckAssistedChannel(Caller caller, string channel, string? receivingUnitCode)
    {
        if (caller.IsProvincial || (caller.Client is { } client && client.Has(Scopes.SubmitAtCounter))) return;
        if (caller.IsWardStaff && (receivingUnitCode is null || receivingUnitCode == caller.WardCode)) return;
        throw ProblemException.Forbidden(caller.IsWardStaff
            ? $"Cán bộ chỉ ghi nhận hồ sơ nộp tại quầy hoặc qua bưu chính của xã/phường mình ({caller.WardCode})."
            : $"Kênh '{channel}' dành cho cán bộ tiếp nhận tại xã/phường; người dân nộp trực tuyến (channel = 'online').");
    }

    /// <summary>A restricted client may file only its procedures, for residents of its wards (an old address: all successors).</summary>
    private async Task CheckClientRestrictionsAsync(ClientAccess client, string procedureCode, ResidenceRequest residence, CancellationToken ct)
    {
        if (!client.AllowsProcedure(procedureCode))
            throw ProblemException.Forbidden($"Hệ thống này không được phép nộp hồ sơ thủ tục {procedureCode}.");
        if (client.Wards is null) return;
        var wards = (residence.Era ?? Eras.Current) == Eras.Current
            ? [residence.UnitCode!]
            : await db.QueryAsync<string>(Sql.Successors, new { Code = residence.UnitCode }, ct);
        if (wards.Count == 0 || wards.Any(w => !client.Wards.Contains(w)))
            throw ProblemException.Forbidden($"Hệ thống này chỉ được nộp hồ sơ của cư dân các xã/phường: {string.Join(", ", client.Wards.Order())}.");
    }

    private async Task<List<FieldError>> CheckUnitsAsync(string era, string unitCode, string? receivingUnit, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        // A current-era residence must be one of Phú Thọ's wards/communes. A pre-2025 code is only
        // format-checked here: intake resolves it through the mapping, and an unknown one goes to re-verification.
        if (era == Eras.Current && !await PhuThoWards.ExistsAsync(db, unitCode, ct))
            errors.Add(new("residence.unitCode", $"Mã {unitCode} không phải xã/phường hiện hành của tỉnh Phú Thọ. Nếu là mã trước 01/07/2025, hãy chọn era = 'pre2025'."));
        if (receivingUnit is not null && !await PhuThoWards.ExistsAsync(db, receivingUnit, ct))
            errors.Add(new("receivingUnitCode", $"Mã {receivingUnit} không phải xã/phường hiện hành của tỉnh Phú Thọ."));
        return errors;
    }

    private sealed record IdempotencyRow
    {
        public string Fingerprint { get; init; } = "";
        public Sealed ResponseBody { get; init; }
    }

    internal static class Sql
    {
        public const string Successors = "SELECT new_code FROM unit_succession WHERE old_code = @Code";
        public const string LoadIdempotency = """
            SELECT fingerprint, response_body FROM idempotency_record
            WHERE scope = @Scope AND idem_key = @Key AND created_at >= @Since
            """;
        public const string DeleteExpiredIdempotency = """
            DELETE FROM idempotency_record WHERE scope = @Scope AND idem_key = @Key AND created_at < @Since
            """;
        public const string InsertIdempotency = """
            INSERT INTO idempotency_record (scope, idem_key, fingerprint, dossier_id, response_body, created_at)
            VALUES (@Scope, @Key, @Fingerprint, @DossierId, @ResponseBody, @Now)
            """;
        public const string InsertDossier = """
            INSERT INTO dossier (id, code, procedure_code, status, channel, received_unit_code, applicant_name, applicant_birth_date,
                applicant_id_number, applicant_phone, applicant_email, residence_era, residence_code, residence_detail,
                form_data, tracking_secret_hash, received_at, appointment_date, processing_days, version, updated_at,
                owner_id_hash, applicant_id_hash, applicant_search, language, client_id, external_reference, beneficiary_id_hash, beneficiary_adult, beneficiary_is_other,
                calendar_version)
            VALUES (@Id, @Code, @ProcedureCode, @Status, @Channel, @ReceivedUnitCode, @ApplicantName, @ApplicantBirthDate,
                @ApplicantIdNumber, @ApplicantPhone, @ApplicantEmail, @ResidenceEra, @ResidenceCode, @ResidenceDetail,
                @FormData, @TrackingSecretHash, @ReceivedAt, @AppointmentDate, @ProcessingDays, 1, @Now,
                @OwnerIdHash, @ApplicantIdHash, @ApplicantSearch, @Language, @ClientId, @ExternalReference, @BeneficiaryIdHash, @BeneficiaryAdult, @BeneficiaryIsOther,
                @CalendarVersion)
            """;
    }
}

/// <summary>
/// Receipts kept for retries are personal data: an anonymous or citizen retry record is deleted once the 7-day retry
/// window has passed (hourly). A client's external-reference mapping is kept for ever (it holds no secret).
/// </summary>
public sealed class PurgeReceiptsJob(Db db, TimeProvider clock)
{
    public const string RecurringId = "purge-receipts";

    [Hangfire.AutomaticRetry(Attempts = 0)]
    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task<int> Run(CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var purged = await tx.ExecuteAsync(Sql.Purge, new { Since = clock.GetUtcNow() - SubmitDossierHandler.IdempotencyRetention });
        await tx.CommitAsync();
        return purged;
    }

    internal static class Sql
    {
        public const string Purge = "DELETE FROM idempotency_record WHERE scope NOT LIKE 'client:%' AND created_at < @Since";
    }
}

public sealed class ReceiptRetentionSchedule : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(Hangfire.IRecurringJobManager recurring, Hangfire.IBackgroundJobClient jobs) =>
        Hangfire.RecurringJobManagerExtensions.AddOrUpdate<PurgeReceiptsJob>(recurring, PurgeReceiptsJob.RecurringId, j => j.Run(CancellationToken.None), Hangfire.Cron.Hourly());
}
