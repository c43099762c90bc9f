using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Features.Payments;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Tests.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;
using Xunit.Abstractions;

namespace OneStopWindow.Api.Tests.Features.Payments;

/// <summary>
/// The continuity invariant of the payment lists (issue 19, "Proof"): over generated histories — approvals, adjustments,
/// owed and not-owed holds and their resumptions, stops, deaths, changes of residence — interleaved month by month with
/// list generation, regeneration and late approval of the wards' lists in random order, every month in which an
/// entitlement is active or owed is on exactly one live line of an approved list, at the entitlement's amount for that
/// month; no month before its start or after its end is; a month of a hold that is not owed (moved, death reported) is
/// paid only if it was already on an approved list when the hold was recorded. The register's steps run through the code
/// the API runs (<see cref="EntitlementRegister.RecordDecisionAsync"/>, <see cref="EntitlementTransitions.ApplyAsync"/>),
/// the lists through <see cref="PaymentListGenerator"/> and <see cref="ApprovePaymentListHandler"/> on a clock of the
/// simulated month (events on the 10th, the payer's results for the month's approved lists on the 15th — through the
/// export and results endpoints, a line not paid carried to a later list —, lists on the 20th), months after the real
/// clock; legacy records imported through the real import (merged communes: their ward; split ones: no ward until
/// re-verified), the switch between the allowance and the pension included, and no person paid twice for one month.
/// Fixed case count, printed seed (replay: OSW_PROPERTY_SEED=n).
/// </summary>
[Collection(ApiHost.Name)]
public sealed class PaymentContinuityPropertyTests(ApiFactory api, ITestOutputHelper output)
{
    private const int People = 36;
    private const int SimulatedMonths = 7;
    /// <summary>
    /// Three wards with the fewest entitlements of other tests (the suite shares one database), chosen when the test starts;
    /// the invariant is checked for this test's people only, other people on the lists are given a method so lists approve.
    /// </summary>
    private string[] Wards = [];

    private sealed class SimulatedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A not-owed hold as recorded: the months of that entitlement already on approved lines at that moment.</summary>
    private sealed record NotOwedHold(Guid EntitlementId, DateOnly From, HashSet<DateOnly> ListedBefore);

    [Fact]
    public async Task Every_active_or_owed_month_is_on_exactly_one_approved_line_at_its_amount_and_no_other_month_is()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("OSW_PROPERTY_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed} (replay: OSW_PROPERTY_SEED={seed})");
        var random = new Random(seed);
        var db = api.Services.GetRequiredService<Db>();
        var register = api.Services.GetRequiredService<EntitlementRegister>();
        var personalData = api.Services.GetRequiredService<PersonalData>();
        var clock = new SimulatedClock();
        var generator = new PaymentListGenerator(db, personalData, clock);
        var approver = new ApprovePaymentListHandler(db, api.Services.GetRequiredService<Api.Features.Entitlements.PaymentMethods.PayerAccounts>(), personalData, clock);
        using var province = api.As("provincial-officer");

        Wards = [.. (await db.QueryAsync<string>("""
            SELECT w.code FROM admin_unit w
            WHERE w.era = 'current' AND w.province_code = '25' AND w.unit_type IN ('ward', 'commune')
              AND NOT EXISTS (SELECT 1 FROM payment_list p WHERE p.ward_code = w.code)
              AND EXISTS (SELECT 1 FROM unit_succession u WHERE u.new_code = w.code AND LENGTH(u.old_code) = 5
                          AND (SELECT COUNT(*) FROM unit_succession v WHERE v.old_code = u.old_code) = 1)
            ORDER BY (SELECT COUNT(*) FROM entitlement e WHERE e.ward_code = w.code), w.code DESC
            """, null, CancellationToken.None)).Where(w => !ReservedWards.All.Contains(w)).Take(3)];
        Assert.Equal(3, Wards.Length);
        var anchor = await ADossier.Valid().SubmitAsync(api.CreateClient());
        var dossierId = await api.ScalarAsync<Guid>("SELECT id FROM dossier WHERE code = @Code", new { anchor.Code });
        var people = Enumerable.Range(0, People).Select(_ => RegisterTests.IdBornIn(1944)).ToList();
        var hashes = people.ToDictionary(p => p, personalData.Hash);
        var withMethod = new HashSet<string>();
        var notOwed = new List<NotOwedHold>();
        var taken = new Dictionary<string, int>();
        void Took(string what) => taken[what] = taken.GetValueOrDefault(what) + 1;

        // Legacy records of a third of the people, through the real import: from merged communes (their ward) and split ones
        // (no ward until re-verified). They are paid from the month they were imported, at the imported amount.
        var imported = await ImportAsync(people.Where((_, i) => i % 3 == 0).ToList(), random, seed);
        Took("imported " + imported.Count);

        var first = Months.First(DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime)).AddMonths(3);
        var last = first.AddMonths(SimulatedMonths - 1);
        var chair = new EntitlementActor(Roles.WardChair, "chair-payment-property");
        var officer = new EntitlementActor(Roles.WardOfficer, "officer-payment-property");

        for (var month = first; month <= last; month = month.AddMonths(1))
        {
            // The register's steps of the month (the 10th), each person in its own transaction.
            for (var i = 0; i < people.Count; i++)
            {
                var person = people[i];
                clock.Now = new DateTimeOffset(month.Year, month.Month, 10, 3, 0, 0, TimeSpan.Zero).AddMinutes(i);
                var op = await StepAsync(db, register, dossierId, hashes[person], month, random, chair, officer, notOwed, clock.Now);
                if (op is null) continue;
                Took(op);
                if (op == "grant" && withMethod.Add(person))
                {
                    var id = await api.ScalarAsync<string>(
                        "SELECT id FROM entitlement WHERE person_id_hash = @Hash AND status IN ('Active', 'Suspended')", new { Hash = hashes[person] });
                    using var put = await province.PutAsJsonAsync($"/api/v1/entitlements/{id}/payment-method",
                        new { method = "post-office-cash", postOfficePoint = "Bưu điện văn hóa xã Thanh Ba" });
                    Assert.True(put.IsSuccessStatusCode, $"seed {seed}: payment method {put.StatusCode}");
                }
            }

            // The payer's results (the 15th) for this month's approved lists: most paid, some failed, unclaimed or to a wrong account.
            foreach (var ward in Wards)
                if (await ReconcileAsync(ward, month, random) is { } results)
                    foreach (var (result, count) in results) taken[result] = taken.GetValueOrDefault(result) + count;

            // The lists (the 20th): wards in random order; next month's drafted, sometimes approved at once, sometimes later.
            clock.Now = new DateTimeOffset(month.Year, month.Month, 20, 5, 0, 0, TimeSpan.Zero);
            foreach (var ward in Wards.OrderBy(_ => random.Next()))
            {
                if (random.Next(5) > 0) Took((await DraftAsync(generator, ward, month.AddMonths(1))).ToString());
                if (random.Next(3) > 0) Took("approved " + await ApproveDraftsAsync(generator, approver, ward, upTo: month.AddMonths(1), clock));
            }
        }

        // Every entitlement still open is stopped with the last simulated month; then each ward's lists are settled.
        clock.Now = new DateTimeOffset(last.Year, last.Month, 25, 3, 0, 0, TimeSpan.Zero);
        foreach (var person in people)
        {
            var open = await db.QueryAsync<(string Benefit, string Ward)>(
                "SELECT benefit_code, ward_code FROM entitlement WHERE person_id_hash = @Hash AND status IN ('Active', 'Suspended')", new { Hash = hashes[person] },
                CancellationToken.None);
            foreach (var (benefit, ward) in open)
            {
                await using var tx = await db.BeginWriteAsync(CancellationToken.None);
                await register.RecordDecisionAsync(tx, Decision(dossierId, benefit, hashes[person], ward, new BenefitStopped(last, "Kết thúc mô phỏng."), chair),
                    clock.Now);
                await tx.CommitAsync();
            }
        }
        clock.Now = new DateTimeOffset(last.Year, last.Month, 28, 5, 0, 0, TimeSpan.Zero);
        // Next month's list may be approved already: the month after carries what the stops made due (owed months of a hold).
        foreach (var ward in Wards)
            for (var settle = last.AddMonths(1); settle <= last.AddMonths(2); settle = settle.AddMonths(1))
            {
                await DraftAsync(generator, ward, settle);
                await ApproveDraftsAsync(generator, approver, ward, upTo: settle, clock);
            }

        output.WriteLine(string.Join(", ", taken.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}")));
        foreach (var step in new[] { "grant", "adjust", "hold-owed", "hold-not-owed", "resume", "stop", "death", "move", "switch", "assign-ward", "Written", "paid",
                     "failed" })
            Assert.True(taken.GetValueOrDefault(step) > 0, $"seed {seed}: no {step} step was taken");
        Assert.True(taken.Where(t => t.Key.StartsWith("approved ", StringComparison.Ordinal)).Sum(t => int.Parse(t.Key[9..], CultureInfo.InvariantCulture)) > 0,
            $"seed {seed}: no list was approved");

        var checkedMonths = 0;
        foreach (var person in people)
            checkedMonths += await CheckAsync(db, personalData, hashes[person], notOwed, seed);
        output.WriteLine($"{checkedMonths} entitlement-months checked");
        Assert.True(checkedMonths > People, $"seed {seed}: only {checkedMonths} months checked");
    }

    /// <summary>One random step of the register for one person; null when nothing happened.</summary>
    private async Task<string?> StepAsync(Db db, EntitlementRegister register, Guid dossierId, string hash, DateOnly month, Random random,
        EntitlementActor chair, EntitlementActor officer, List<NotOwedHold> notOwed, DateTimeOffset now)
    {
        await using var tx = await db.BeginWriteAsync(CancellationToken.None);
        var open = (await EntitlementStore.OpenOfPersonAsync(tx, hash, ["BTXH-01", "BTXH-05"])).SingleOrDefault();
        var roll = random.Next(100);
        string? done;
        if (open is null)
        {
            if (roll >= 45) return null;
            var ward = Wards[random.Next(Wards.Length)];
            if (!await TryAsync(() => register.RecordDecisionAsync(tx, Decision(dossierId, "BTXH-01", hash, ward, Granted(month), chair), now))) return null;
            done = "grant";
        }
        else if (open.WardCode is null)
        {
            // A split commune's record: the re-verification names its ward (one of the candidates; here one of this test's wards).
            await EntitlementRegister.AssignImportedWardAsync(tx, open.BeneficiaryId!.Value, Wards[random.Next(Wards.Length)],
                new(Roles.ProvincialOfficer, "province-payment-property"), "Xác minh lại: đã xác định xã/phường chi trả.", now);
            done = "assign-ward";
        }
        else if (open.Status == nameof(EntitlementStatus.Suspended))
        {
            done = roll switch
            {
                < 40 => await ApplyAsync(tx, open, EntitlementAction.Resume, officer,
                    new EntitlementChange(Months.Format(month), open.SuspensionReason) { UpdateSql = ResumeEntitlementHandler.Sql.Resume }, now, "resume"),
                < 50 => await StopAsync(tx, register, dossierId, hash, open, month, chair, now),
                < 58 => await DeathAsync(tx, open, month, officer, now),
                < 68 => await MoveAsync(tx, register, dossierId, hash, open, month, random, chair, now),
                _ => null,
            };
        }
        else
        {
            done = roll switch
            {
                < 12 => await TryAsync(() => register.RecordDecisionAsync(tx, Decision(dossierId, open.BenefitCode, hash, open.WardCode!, Granted(month), chair), now))
                    ? "adjust" : null,
                < 24 => await HoldAsync(tx, open, "reverification", month, officer, now, notOwed),
                < 32 => await HoldAsync(tx, open, "moved", month, officer, now, notOwed),
                < 39 => await StopAsync(tx, register, dossierId, hash, open, month, chair, now),
                < 44 => await DeathAsync(tx, open, month, officer, now),
                < 52 => await MoveAsync(tx, register, dossierId, hash, open, month, random, chair, now),
                // The other of the social allowance and the social pension (only the higher is paid; Law on Social Insurance 2024 Art. 21).
                < 60 => await TryAsync(() => register.RecordDecisionAsync(tx,
                    Decision(dossierId, open.BenefitCode == "BTXH-01" ? "BTXH-05" : "BTXH-01", hash, open.WardCode!, Granted(month), chair), now)) ? "switch" : null,
                _ => null,
            };
        }
        if (done is not null) await tx.CommitAsync();
        return done;
    }

    private static async Task<string?> HoldAsync(DbWrite tx, EntitlementRow open, string reason, DateOnly month, EntitlementActor officer, DateTimeOffset now,
        List<NotOwedHold> notOwed)
    {
        var r = EntitlementRules.Suspension(reason)!;
        var listed = (await tx.QueryAsync<(string Month, long Amount, bool TopUp)>(Sql.ApprovedLineMonths, new { open.Id })).Select(l => l.Month);
        var done = await ApplyAsync(tx, open, EntitlementAction.Suspend, officer,
            new EntitlementChange(Months.Format(month), r.Code, r.Owed) { UpdateSql = SuspendEntitlementHandler.Sql.Suspend, UpdateArgs = new { Reason = r.Code } },
            now, r.Owed ? "hold-owed" : "hold-not-owed");
        if (done is not null && !r.Owed) notOwed.Add(new(open.Id, month, [.. listed.Select(m => Months.Parse(m)!.Value)]));
        return done;
    }

    private static async Task<string?> StopAsync(DbWrite tx, EntitlementRegister register, Guid dossierId, string hash, EntitlementRow open, DateOnly month,
        EntitlementActor chair, DateTimeOffset now)
    {
        await register.RecordDecisionAsync(tx, Decision(dossierId, open.BenefitCode, hash, open.WardCode!, new BenefitStopped(month, "Thôi hưởng."), chair), now);
        return "stop";
    }

    private static Task<string?> DeathAsync(DbWrite tx, EntitlementRow open, DateOnly month, EntitlementActor officer, DateTimeOffset now) =>
        ApplyAsync(tx, open, EntitlementAction.ReportDeath, officer, new EntitlementChange(Months.Format(month), "death", false)
        {
            UpdateSql = EntitlementRegister.Sql.SetEnd,
            UpdateArgs = new { End = Months.Format(month) },
        }, now, "death");

    private async Task<string?> MoveAsync(DbWrite tx, EntitlementRegister register, Guid dossierId, string hash, EntitlementRow open, DateOnly month,
        Random random, EntitlementActor chair, DateTimeOffset now)
    {
        if (open.BenefitCode != "BTXH-01") return null;
        var ward = Wards.Where(w => w != open.WardCode).ElementAt(random.Next(Wards.Length - 1));
        return await TryAsync(() => register.RecordDecisionAsync(tx, Decision(dossierId, "BTXH-02", hash, ward, Granted(month), chair), now)) ? "move" : null;
    }

    private static async Task<string?> ApplyAsync(DbWrite tx, EntitlementRow open, EntitlementAction action, EntitlementActor actor, EntitlementChange change,
        DateTimeOffset now, string name) =>
        await EntitlementTransitions.ApplyAsync(tx, open.Subject, action, actor, change, now) == EntitlementOutcome.Applied ? name : null;

    private static async Task<bool> TryAsync(Func<Task> act)
    {
        try
        {
            await act();
            return true;
        }
        catch (ProblemException e) when (e.Status == Microsoft.AspNetCore.Http.StatusCodes.Status422UnprocessableEntity)
        {
            return false;   // the register refuses (e.g. a last month paid before the start): nothing was written
        }
    }

    private static async Task<GenerationOutcome> DraftAsync(PaymentListGenerator generator, string ward, DateOnly month) =>
        (await generator.GenerateAsync(ward, month, new Dictionary<string, BenefitRules>(StringComparer.Ordinal), CancellationToken.None)).Outcome;

    /// <summary>Every Draft of the ward up to <paramref name="upTo"/>, redrafted (the register may have changed) and approved by the ward's chair.</summary>
    private async Task<int> ApproveDraftsAsync(PaymentListGenerator generator, ApprovePaymentListHandler approver, string ward, DateOnly upTo,
        SimulatedClock clock)
    {
        var approved = 0;
        var drafts = await api.Services.GetRequiredService<Db>().QueryAsync<(Guid Id, string Month)>(
            "SELECT id, month FROM payment_list WHERE ward_code = @Ward AND status = 'Draft' AND month <= @UpTo ORDER BY month", new { Ward = ward, UpTo = Months.Format(upTo) },
            CancellationToken.None);
        foreach (var (id, month) in drafts)
        {
            await DraftAsync(generator, ward, Months.Parse(month)!.Value);
            // Other tests' beneficiaries in this ward without a method: given one, as the ward would before approving.
            if (await api.ScalarAsync<long>("SELECT COUNT(*) FROM payment_line WHERE list_id = @Id AND method = 'unknown'", new { Id = id }) > 0)
            {
                foreach (var hash in await api.Services.GetRequiredService<Db>().QueryAsync<string>(
                             "SELECT DISTINCT e.person_id_hash FROM payment_line l JOIN entitlement e ON e.id = l.entitlement_id "
                             + "WHERE l.list_id = @Id AND l.method = 'unknown' AND e.person_id_hash IS NOT NULL",
                             new { Id = id }, CancellationToken.None))
                {
                    await using var tx = await api.Services.GetRequiredService<Db>().BeginWriteAsync(CancellationToken.None);
                    await tx.ExecuteAsync("""
                        INSERT INTO payment_method (id, person_id_hash, entitlement_id, method, post_office_point, version, created_at, updated_at)
                        SELECT @Id, @Hash, NULL, 'post-office-cash', 'Bưu điện xã', 1, @Now, @Now
                        WHERE NOT EXISTS (SELECT 1 FROM payment_method WHERE person_id_hash = @Hash)
                        """, new { Id = Guid.NewGuid(), Hash = hash, clock.Now });
                    await tx.CommitAsync();
                }
                await DraftAsync(generator, ward, Months.Parse(month)!.Value);
            }
            clock.Now = clock.Now.AddSeconds(1);   // the approval comes after the draft it approves
            var version = await api.ScalarAsync<long>("SELECT version FROM payment_list WHERE id = @Id", new { Id = id });
            var chair = new Caller("chair-payment-property-" + ward, Roles.WardChair, ward, null, "Chủ tịch");
            await approver.Handle(new ApprovePaymentList(id, chair, $"\"{version}\""), CancellationToken.None);
            approved++;
        }
        return approved;
    }

    /// <summary>
    /// The legacy records of <paramref name="people"/> through the real import (<c>POST /api/v1/imports</c>): two in three from a
    /// merged commune whose one successor is one of this test's wards, every third from a split commune (no ward until re-verified).
    /// </summary>
    /// <returns>Each person's ward after the import (null: split).</returns>
    private async Task<Dictionary<string, string?>> ImportAsync(List<string> people, Random random, int seed)
    {
        var db = api.Services.GetRequiredService<Db>();
        var merged = await db.QueryAsync<(string Old, string New)>("""
            SELECT u.old_code, u.new_code FROM unit_succession u
            WHERE u.new_code IN @Wards AND LENGTH(u.old_code) = 5 AND (SELECT COUNT(*) FROM unit_succession v WHERE v.old_code = u.old_code) = 1
            ORDER BY u.old_code
            """, new { Wards = Wards.ToList() }, CancellationToken.None);
        var (_, split) = await Beneficiaries.ImportTests.CommunesAsync(api.DatabasePath);
        var source = "payment-property-" + seed.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
        var csv = new System.Text.StringBuilder(BeneficiaryLists.Header + "\n");
        var expected = new Dictionary<string, string?>();
        for (var i = 0; i < people.Count; i++)
        {
            var isSplit = i % 3 == 1;   // a third: every run has split-commune records to re-verify
            var (commune, ward) = isSplit ? (split[random.Next(split.Count)], null) : merged[random.Next(merged.Count)] is var m ? (m.Old, m.New) : default;
            expected[people[i]] = ward;
            var start = new DateOnly(2024, 1, 1).AddMonths(random.Next(18));
            csv.Append(CultureInfo.InvariantCulture, $"{source}-{i},{people[i]},\"Đinh Thị Nga\",1944-06-01,{commune},\"Xóm Mường\",BTXH-01,")
                .Append(CultureInfo.InvariantCulture, $"elderly-poor-no-supporter,750000,{Months.Format(start)},\"12/QĐ-UBND\"\n");
        }
        var path = Path.Combine(api.Folder, source + ".csv");
        await File.WriteAllTextAsync(path, csv.ToString(), System.Text.Encoding.UTF8);
        using var province = api.As("provincial-officer");
        var done = await Beneficiaries.ImportTests.FinishedAsync(province, await Beneficiaries.ImportTests.UploadAsync(province, path, source), TimeSpan.FromSeconds(90));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var personalData = api.Services.GetRequiredService<PersonalData>();
        foreach (var (person, ward) in expected)
            Assert.Equal(ward, (await db.QueryAsync<string?>("SELECT ward_code FROM entitlement WHERE person_id_hash = @Hash", new { Hash = personalData.Hash(person) },
                CancellationToken.None)).Single());
        return expected;
    }

    /// <summary>
    /// The payer's results for the ward's approved list of <paramref name="month"/>, through the endpoint (export, fill, upload):
    /// each line paid (70 %), failed, unclaimed or to a wrong account. Null when the ward has no approved list of that month.
    /// </summary>
    private async Task<Dictionary<string, int>?> ReconcileAsync(string ward, DateOnly month, Random random)
    {
        var id = await api.Services.GetRequiredService<Db>().SingleOrDefaultAsync<Guid?>(
            "SELECT id FROM payment_list WHERE ward_code = @Ward AND month = @Month AND status = 'Approved'", new { Ward = ward, Month = Months.Format(month) },
            CancellationToken.None);
        if (id is null) return null;
        using var officer = api.As("ward-officer", ward);
        var lines = await ReconciliationTests.LinesAsync(officer, id.Value.ToString());
        var results = lines.Where(l => l.GetProperty("kind").GetString() != "held-duplicate").ToDictionary(l => l.GetProperty("id").GetGuid(),
            _ => random.Next(10) switch { < 7 => "paid", 7 => "failed", 8 => "unclaimed", _ => "wrong-account" });
        var file = ReconciliationTests.Fill(await ReconciliationTests.ExportAsync(officer, id.Value.ToString(), "csv"), results);
        var answer = await ReconciliationTests.UploadAsync(officer, id.Value.ToString(), file);
        Assert.Equal(0, answer.GetProperty("errors").GetInt32());
        return results.Values.GroupBy(r => r == "paid" ? "paid" : "failed").ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>The invariant for one person's entitlements, read back from the register and the ledger.</summary>
    private static async Task<int> CheckAsync(Db db, PersonalData personalData, string hash, List<NotOwedHold> notOwed, int seed)
    {
        var checkedMonths = 0;
        var rows = await db.QueryAsync<EntitlementRow>(EntitlementStore.Sql.Columns + " WHERE person_id_hash = @Hash", new { Hash = hash }, CancellationToken.None);
        var paidToPerson = new Dictionary<DateOnly, Guid>();
        foreach (var row in rows)
        {
            var rowsPaid = await db.QueryAsync<(string Month, long Amount, bool TopUp)>(Sql.ApprovedLineMonths + " AND m.top_up = 0", new { row.Id },
                CancellationToken.None);
            var paid = rowsPaid.GroupBy(p => Months.Parse(p.Month)!.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Amount).ToList());
            // What each month was paid in all: its one base row and any top-ups (an adjustment after its list was approved).
            var paidInAll = (await db.QueryAsync<(string Month, long Amount, bool TopUp)>(Sql.ApprovedLineMonths, new { row.Id }, CancellationToken.None))
                .GroupBy(p => Months.Parse(p.Month)!.Value).ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
            // A person is paid one monthly benefit a month: never the allowance and the pension, or two wards, for the same month.
            foreach (var m in paid.Keys)
                Assert.True(paidToPerson.TryAdd(m, row.Id), $"seed {seed}: {Months.Format(m)} paid on entitlement {row.Id} and on {paidToPerson.GetValueOrDefault(m)}");
            var history = await db.QueryAsync<(string Kind, string? Month, bool? Owed)>(
                "SELECT kind, month, owed FROM entitlement_event WHERE entitlement_id = @Id ORDER BY occurred_at, id", new { row.Id }, CancellationToken.None);
            // A legacy record is paid from the month it was imported (the former system paid the months before).
            var importedAt = history.Any(h => h.Kind == "Imported")
                ? await db.SingleOrDefaultAsync<DateTimeOffset>("SELECT occurred_at FROM entitlement_event WHERE entitlement_id = @Id AND kind = 'Imported'",
                    new { row.Id }, CancellationToken.None)
                : (DateTimeOffset?)null;
            var start = Domain.Payments.PaymentMonths.PayFrom(Months.Parse(row.StartMonth)!.Value,
                importedAt is { } at ? Months.First(Domain.Calendar.Appointment.DateInVietnam(at)) : null);
            var end = Months.Parse(row.EndMonth) ?? throw new InvalidOperationException($"seed {seed}: entitlement {row.Id} still open after the run");
            var (entitlement, _) = await EntitlementStore.DomainAsync(db, personalData, row, CancellationToken.None);
            var rules = await EntitlementStore.RulesAsync(db, row.BenefitCode, CancellationToken.None);
            var ledger = await db.QueryAsync<(string List, string Status, string Month, long Amount, bool TopUp, bool Released, int? Version, string? Result)>(
                Sql.Ledger, new { row.Id }, CancellationToken.None);
            var why = $"seed {seed} (replay: OSW_PROPERTY_SEED={seed}): entitlement {row.Id} {row.StartMonth}..{row.EndMonth} {row.Status} v{row.Version}; history "
                      + string.Join(" | ", history.Select(h => $"{h.Kind} {h.Month} owed={h.Owed}"))
                      + "; ledger " + string.Join(" | ", ledger.Select(l => $"list {l.List} {l.Status}: {l.Month} {l.Amount}{(l.TopUp ? " top-up" : "")}"
                                                                              + $"{(l.Released ? " released" : "")} v{l.Version} {l.Result}"));

            foreach (var m in paid.Keys)
                Assert.True(m >= start && m <= end, $"{why}: {Months.Format(m)} paid outside its months (from {Months.Format(start)})");
            var released = (await db.QueryAsync<string>(Sql.ReleasedMonths, new { row.Id }, CancellationToken.None)).Select(m => Months.Parse(m)!.Value).ToHashSet();
            // The not-owed holds, from the history: from the suspension's month until the resumption's (exclusive) or past the end.
            var holds = new List<(DateOnly From, DateOnly Until)>();
            DateOnly? heldFrom = null;
            foreach (var h in history)
                if (h.Kind == "Suspended" && h.Owed == false && heldFrom is null) heldFrom = Months.Parse(h.Month);
                else if (h.Kind == "Suspended" && heldFrom is null) heldFrom = null;
                else if (h.Kind == "Resumed" && heldFrom is { } from)
                {
                    holds.Add((from, Months.Parse(h.Month)!.Value));
                    heldFrom = null;
                }
            if (heldFrom is { } stillFrom) holds.Add((stillFrom, end.AddMonths(1)));

            for (var m = start; m <= end; m = m.AddMonths(1))
            {
                var month = m;
                var hold = holds.FirstOrDefault(h => h.From <= month && month < h.Until);
                // A month of a not-owed hold is paid only if it was on an approved list before the hold — and the payer paid it:
                // one the payer then failed to pay is released and, inside a hold that is not owed, never listed again.
                var lostByHold = hold != default && (!notOwed.Any(n => n.EntitlementId == row.Id && n.From == hold.From && n.ListedBefore.Contains(month))
                                                     || released.Contains(month));
                var times = paid.TryGetValue(m, out var amounts) ? amounts.Count : 0;
                Assert.True(times == (lostByHold ? 0 : 1), $"{why}: {Months.Format(m)} is on {times} approved lines, expected {(lostByHold ? 0 : 1)}");
                if (times == 1)
                {
                    var expected = EntitlementAmount.AmountFor(entitlement, m, rules)?.Vnd;
                    Assert.True(expected == paidInAll[m], $"{why}: {Months.Format(m)} paid {paidInAll[m]} in all ({amounts![0]} first), the rules say {expected}");
                }
                checkedMonths++;
            }
        }
        return checkedMonths;
    }

    private static BenefitGranted Granted(DateOnly month) => new(new BenefitAmount(1_000_000, true, 2.0m, 500_000, "2,0 × 500.000"), month);

    private static DecisionFacts Decision(Guid dossierId, string procedure, string hash, string ward, BenefitDecision decision, EntitlementActor chair) =>
        new(dossierId, procedure, hash, hash, "Hoàng Thị Nụ", ward, "9/QĐ-UBND", decision,
            new BenefitClaim(EntitlementRegister.BenefitOf(procedure), RequestType.Start, new(1944, 6, 1), ["elderly-poor-no-supporter"], 1, null, 0, null, null,
                null, null), chair);

    private static class Sql
    {
        public const string Ledger = """
            SELECT p.month, p.status, m.month, m.amount_vnd, m.top_up, m.released, l.entitlement_version, l.result
            FROM payment_line_month m JOIN payment_line l ON l.id = m.line_id JOIN payment_list p ON p.id = l.list_id
            WHERE m.entitlement_id = @Id ORDER BY p.month, m.month
            """;
        /// <summary>Months of the entitlement on a line the payer did not pay (failed, unclaimed, wrong account).</summary>
        public const string ReleasedMonths = "SELECT month FROM payment_line_month WHERE entitlement_id = @Id AND released = 1";
        public const string ApprovedLineMonths = """
            SELECT m.month, m.amount_vnd, m.top_up FROM payment_line_month m JOIN payment_line l ON l.id = m.line_id JOIN payment_list p ON p.id = l.list_id
            WHERE m.entitlement_id = @Id AND m.released = 0 AND p.status = 'Approved'
            """;
    }
}
