using System.Globalization;
using System.Text;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Applicants;

namespace OneStopWindow.Api.Features.Beneficiaries;

/// <summary>
/// Applies one batch of rows in one transaction. Per row, in this order:
/// unreadable or invalid → <c>rejected</c> with the reason; the same source record already imported → <c>unchanged</c>
/// (different content → rejected); the same identity number with another name or birth date → re-verification
/// (conflicting identity); the same person already holding this benefit from another list → re-verification
/// (duplicate, entitlement held so it is not paid twice); the old commune split among several wards or unknown →
/// re-verification (provincial queue, candidate wards listed); otherwise the one successor ward → <c>mapped</c>.
/// Every imported record keeps its entitlement while it waits (except a held duplicate), so no payment stops.
/// </summary>
public sealed class RowApplier(ImportRow import, IReadOnlyDictionary<string, List<string>> successors, IReadOnlySet<string> benefits, TimeProvider clock,
    PersonalData personalData, Entitlements.EntitlementRegister register)
{
    public int LastRow { get; private set; }

    public async Task ApplyAsync(Db db, IReadOnlyList<(int Number, BeneficiaryRecord? Record, string? ParseError)> rows, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var counts = new Dictionary<string, int> { ["mapped"] = 0, ["reverification"] = 0, ["rejected"] = 0, ["unchanged"] = 0 };
        await using var tx = await db.BeginWriteAsync(ct);
        foreach (var (number, record, parseError) in rows)
        {
            var (outcome, reason, beneficiaryId) = parseError is not null ? ("rejected", parseError, (Guid?)null) : await ApplyAsync(tx, record!, number, now);
            counts[outcome]++;
            await tx.ExecuteAsync(Sql.InsertRow, new { ImportId = import.Id, Number = number, Outcome = outcome, Reason = reason, BeneficiaryId = beneficiaryId });
        }
        await tx.ExecuteAsync(Sql.Progress, new
        {
            import.Id,
            RowsDone = rows[^1].Number,
            Mapped = counts["mapped"],
            Reverification = counts["reverification"],
            Rejected = counts["rejected"],
            Unchanged = counts["unchanged"],
            Now = now,
        });
        await tx.CommitAsync();
        LastRow = rows[^1].Number;
    }

    private async Task<(string Outcome, string? Reason, Guid? BeneficiaryId)> ApplyAsync(DbWrite tx, BeneficiaryRecord r, int number, DateTimeOffset now)
    {
        if (Check(r) is { } invalid) return ("rejected", invalid, null);
        var name = Name(r.FullName!);
        var birth = DateOnly.ParseExact(r.DateOfBirth!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var amount = long.Parse(r.MonthlyAmountVnd!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        var benefit = r.BenefitCode!.Trim().ToUpperInvariant();

        var existing = await tx.SingleOrDefaultAsync<Existing>(Sql.BySourceRecord, new { import.SourceSystem, RecordId = r.SourceRecordId!.Trim() });
        if (existing is not null)
            return personalData.Open(existing.IdNumber) == r.IdNumber && existing.FullName == name && existing.BirthDate == birth && existing.BenefitCode == benefit
                   && existing.MonthlyAmountVnd == amount
                ? ("unchanged", "Đã nhập trước đó (cùng hệ thống nguồn và mã bản ghi).", existing.Id)
                : ("rejected", "Mã bản ghi này đã được nhập với nội dung khác; cần đối soát với hệ thống nguồn.", existing.Id);

        var person = await tx.QueryAsync<Existing>(Sql.ByPerson, new { IdHash = personalData.Hash(r.IdNumber!) });
        // Already paid under a decision of a new ward (no legacy record of it): the legacy record would pay the same months twice.
        // So is a legacy allowance of someone paid the social pension (or the reverse): only the higher of the two (Law on Social Insurance 2024 Art. 21).
        var paid = (await Entitlements.EntitlementStore.OpenOfPersonAsync(tx, personalData.Hash(r.IdNumber!),
                Entitlements.EntitlementRegister.ExclusiveWith(Entitlements.EntitlementRegister.BenefitOf(benefit))))
            .FirstOrDefault(e => e.BeneficiaryId is null);
        var wards = successors.GetValueOrDefault(r.OldCommuneCode!) ?? [];
        var ward = wards.Count == 1 ? wards[0] : null;
        (string Code, string Text, Guid? Other)? issue =
            person.FirstOrDefault(p => p.FullName != name || p.BirthDate != birth) is { } other
                ? ("conflicting-identity", $"Cùng số định danh nhưng khác họ tên hoặc ngày sinh với bản ghi {other.SourceSystem}/{other.SourceRecordId}.", other.Id)
            : person.FirstOrDefault(p => p.BenefitCode == benefit && p.MergedInto is null) is { } twin
                ? ("duplicate-person", $"Đã có bản ghi hưởng {benefit} của người này ({twin.SourceSystem}/{twin.SourceRecordId}); cần hợp nhất.", twin.Id)
            : paid is not null
                ? ("duplicate-person", $"Người này đang hưởng {paid.BenefitCode} theo quyết định của xã/phường {paid.WardCode}; bản ghi cũ tạm giữ để không chi trùng.", null)
            : wards.Count > 1
                ? ("split", $"Xã cũ {r.OldCommuneCode} được chia cho {wards.Count} xã/phường mới; cần xác định theo thôn/xóm.", null)
            : wards.Count == 0
                ? ("unknown-code", $"Không có mã xã cũ {r.OldCommuneCode} trong danh mục trước 01/07/2025.", null)
            : null;

        var id = Guid.CreateVersion7();
        await tx.ExecuteAsync(Sql.InsertBeneficiary, new
        {
            Id = id,
            import.SourceSystem,
            RecordId = r.SourceRecordId!.Trim(),
            IdNumber = personalData.Seal(r.IdNumber!),
            IdHash = personalData.Hash(r.IdNumber!),
            FullName = name,
            BirthDate = birth,
            OldCommune = r.OldCommuneCode,
            Address = r.AddressDetail?.Trim(),
            Ward = ward,
            Benefit = benefit,
            Group = r.BeneficiaryGroup?.Trim(),
            Amount = amount,
            StartMonth = r.StartMonth!.Trim(),
            Decision = r.DecisionNumber?.Trim(),
            // A duplicate is held so the person is not paid twice; everyone else keeps being paid while re-verified.
            Entitlement = issue?.Code == "duplicate-person" ? "held-duplicate" : "continues",
            ImportId = import.Id,
            Now = now,
        });
        // A record still paid enters the benefit register at its imported amount, in the same transaction (issue 18).
        if (issue?.Code != "duplicate-person")
            await register.ImportAsync(tx, new(id, personalData.Hash(r.IdNumber!), name, benefit, ward, r.StartMonth!.Trim(), amount, r.BeneficiaryGroup?.Trim(), birth,
                r.DecisionNumber?.Trim()), now);
        if (issue is not { } i) return ("mapped", $"Xã cũ {r.OldCommuneCode} → {ward}.", id);
        // Identity questions go to the ward that knows the person; geography questions to the province.
        await ReverificationQueue.OpenAsync(tx, "beneficiary", id, i.Code, i.Text, wards, i.Other,
            i.Code is "conflicting-identity" or "duplicate-person" ? ward : null, now);
        return ("reverification", i.Text, id);
    }

    private string? Check(BeneficiaryRecord r)
    {
        if (string.IsNullOrWhiteSpace(r.SourceRecordId) || r.SourceRecordId.Trim().Length > 100) return "Thiếu mã bản ghi nguồn (sourceRecordId).";
        if (string.IsNullOrWhiteSpace(r.FullName) || r.FullName.Trim().Length > 100 || r.FullName.Any(char.IsDigit)) return "Họ tên trống hoặc không hợp lệ.";
        if (!DateOnly.TryParseExact(r.DateOfBirth?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) || birth.Year < 1900)
            return "Ngày sinh không hợp lệ (yyyy-MM-dd).";
        if (PersonalIdNumber.Validate(r.IdNumber, birth) is { } idError) return "Số định danh: " + idError;
        if (r.OldCommuneCode is not { Length: 5 } code || !code.All(char.IsAsciiDigit)) return "Mã xã cũ phải gồm 5 chữ số.";
        if (r.BenefitCode is null || !benefits.Contains(r.BenefitCode.Trim().ToUpperInvariant()))
            return $"Mã chế độ '{(r.BenefitCode?.Length > 32 ? r.BenefitCode[..32] + "…" : r.BenefitCode)}' không có trong danh mục thủ tục.";
        if (r.AddressDetail?.Trim().Length > 300) return "Địa chỉ chi tiết tối đa 300 ký tự.";
        if (r.BeneficiaryGroup?.Trim().Length > 100) return "Nhóm đối tượng tối đa 100 ký tự.";
        if (r.DecisionNumber?.Trim().Length > 100) return "Số quyết định tối đa 100 ký tự.";
        if (!long.TryParse(r.MonthlyAmountVnd?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 100_000_000)
            return "Số tiền hằng tháng phải là số nguyên đồng, không âm.";
        if (!DateOnly.TryParseExact(r.StartMonth?.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return "Tháng bắt đầu hưởng không hợp lệ (yyyy-MM).";
        return null;
    }

    private static string Name(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private sealed record Existing
    {
        public Guid Id { get; init; }
        public string SourceSystem { get; init; } = "";
        public string SourceRecordId { get; init; } = "";
        public Sealed IdNumber { get; init; } = new("");
        public string FullName { get; init; } = "";
        public DateOnly BirthDate { get; init; }
        public string BenefitCode { get; init; } = "";
        public long MonthlyAmountVnd { get; init; }
        public Guid? MergedInto { get; init; }
    }

    internal static class Sql
    {
        private const string Columns = """
            SELECT id, source_system, source_record_id, id_number, full_name, birth_date, benefit_code, monthly_amount_vnd, merged_into FROM beneficiary
            """;
        public const string BySourceRecord = Columns + " WHERE source_system = @SourceSystem AND source_record_id = @RecordId";
        public const string ByPerson = Columns + " WHERE id_hash = @IdHash";
        public const string InsertBeneficiary = """
            INSERT INTO beneficiary (id, source_system, source_record_id, id_number, id_hash, full_name, birth_date, old_commune_code, address_detail, ward_code,
                benefit_code, beneficiary_group, monthly_amount_vnd, start_month, decision_number, entitlement, merged_into, import_id, created_at, updated_at)
            VALUES (@Id, @SourceSystem, @RecordId, @IdNumber, @IdHash, @FullName, @BirthDate, @OldCommune, @Address, @Ward,
                @Benefit, @Group, @Amount, @StartMonth, @Decision, @Entitlement, NULL, @ImportId, @Now, @Now)
            """;
        public const string InsertRow = """
            INSERT INTO import_row (import_id, row_number, outcome, reason, beneficiary_id) VALUES (@ImportId, @Number, @Outcome, @Reason, @BeneficiaryId)
            """;
        public const string Progress = """
            UPDATE beneficiary_import SET status = 'running', rows_done = @RowsDone, mapped = mapped + @Mapped, reverification = reverification + @Reverification,
                rejected = rejected + @Rejected, unchanged = unchanged + @Unchanged, heartbeat_at = @Now
            WHERE id = @Id AND rows_done < @RowsDone
            """;
    }
}
