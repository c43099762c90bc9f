using System.Net.Http.Json;
using CsCheck;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>
/// Random interleavings of every action by every role, with the system's own steps (intake racing the first actions, the
/// end of posting when time passes, the deadline watch), against the real service on SQLite: every status change
/// stored on a timeline is one the transition table allows. A fixed number of cases; CsCheck prints the seed of a
/// failing case, and OSW_PROPERTY_SEED replays it.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class TransitionPropertyTests(ApiFactory api, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Ward = "04795";

    private sealed record Op(string Name, Func<Receipt, Task<int>> Run);

    private List<Op> Ops()
    {
        var callers = new (string Role, HttpClient Client, bool Secret)[]
        {
            ("applicant", api.CreateClient(), true),
            (Roles.WardOfficer, api.As(Roles.WardOfficer, Ward, subject: "officer-prop"), false),
            (Roles.WardChair, api.As(Roles.WardChair, Ward, subject: "chair-prop"), false),
            (Roles.ProvincialOfficer, api.As(Roles.ProvincialOfficer, subject: "province-prop"), false),
        };
        var actions = new (string Route, object? Body)[]
        {
            ("claim", null), ("assignment", new { officerId = "officer-prop" }), ("verification", new { findings = "Khớp." }),
            ("supplement-request", new { items = new[] { new { description = "Giấy xác nhận khuyết tật." } } }),
            ("supplement", new { note = "Đã bổ sung." }), ("posting", null), ("forwarding", new { }), ("approval", new { }),
            ("rejection", new { reasons = "Không đủ điều kiện." }), ("result-return", new { }), ("ward-assignment", new { wardCode = Ward }),
            ("withdrawal", new { reason = "Nộp nhầm." }), ("rating", new { score = 3 }),
            ("delay-notice", new { reason = "Chờ xác minh cư trú.", newAppointmentDate = OneStopWindow.Api.Features.Dossiers.Actions.ActionExamples.DelayNoticeExampleDate }),
            ("reception-refusal", new { reason = "outside-competence", explanation = "Không thuộc thẩm quyền của xã." }),
        };
        // The role each action is meant for: its operation is listed six times, so random cases also get far down the lifecycle.
        var meantFor = new Dictionary<string, string>
        {
            ["claim"] = Roles.WardOfficer,
            ["assignment"] = Roles.WardOfficer,
            ["verification"] = Roles.WardOfficer,
            ["supplement-request"] = Roles.WardOfficer,
            ["posting"] = Roles.WardOfficer,
            ["forwarding"] = Roles.WardOfficer,
            ["result-return"] = Roles.WardOfficer,
            ["delay-notice"] = Roles.WardOfficer,
            ["approval"] = Roles.WardChair,
            ["rejection"] = Roles.WardChair,
            ["supplement"] = "applicant",
            ["withdrawal"] = "applicant",
            ["rating"] = "applicant",
            ["ward-assignment"] = Roles.ProvincialOfficer,
            ["reception-refusal"] = Roles.WardOfficer,
        };
        var ops = new List<Op>();
        foreach (var (role, client, secret) in callers)
            foreach (var (route, body) in actions)
            {
                var op = new Op($"{role} {route}", async r =>
                {
                    using var response = await r.ActAsync(client, route, body, withSecret: secret);
                    return (int)response.StatusCode;
                });
                for (var i = meantFor[route] == role ? 6 : 1; i > 0; i--) ops.Add(op);
            }
        ops.Add(new("anyone objects", async r =>
        {
            using var response = await api.CreateClient().PostAsJsonAsync($"/api/v1/dossiers/{r.Code}/objections", new { authorName = "Tổ dân phố", content = "Đề nghị xem lại." });
            return (int)response.StatusCode;
        }));
        ops.Add(new("time passes (end of posting)", async r =>
        {
            api.Clock.Advance(TimeSpan.FromDays(14));
            await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id WHERE d.code = @Code AND s.kind = 'EndPosting' AND s.status <> 'done'",
                    new { r.Code }), left => left == 0, TimeSpan.FromSeconds(30), "a due end of posting to run");
            return 200;
        }));
        ops.Add(new("deadline watch", r =>
        {
            api.Trigger("watch-deadlines");
            return Task.FromResult(200);
        }));
        return ops;
    }

    [Fact]
    public async Task Random_interleavings_only_ever_produce_status_changes_the_table_allows()
    {
        var ops = Ops();
        var cases = 0;
        var reached = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var gen = from posted in Gen.Bool
                  from withdrawAtOnce in Gen.Int[0, 3]
                  from picks in Gen.Int[0, ops.Count - 1].Array[8, 20]
                  select (posted, withdrawAtOnce == 0, picks);
        await gen.SampleAsync(async c =>
        {
            var (posted, withdrawAtOnce, picks) = c;
            Interlocked.Increment(ref cases);
            var dossier = ADossier.Valid().LivingIn(Ward);
            if (posted) dossier.With("procedureCode", "BTXH-04").With("formFields", System.Text.Json.JsonSerializer.SerializeToNode(LifecycleTests.ExampleForm("BTXH-04")));
            var receipt = await dossier.SubmitAsync(api.CreateClient());   // intake races the first picks
            try
            {
                if (withdrawAtOnce)   // with the version of the receipt, no read first: often before intake has run
                    (await receipt.ActAsync(api.CreateClient(), "withdrawal", new { reason = "Nộp nhầm." }, etag: "\"1\"", withSecret: true)).Dispose();
                foreach (var pick in picks)
                {
                    var status = await ops[pick].Run(receipt);
                    Assert.True(status < 500, $"{ops[pick].Name} answered {status}");
                }
                await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                        "SELECT COUNT(*) FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id WHERE d.code = @Code AND s.status <> 'done' AND s.kind = 'Intake'",
                        new { receipt.Code }), left => left == 0, TimeSpan.FromSeconds(30), "intake to have run");
            }
            finally
            {
                api.Clock.Reset();
            }
            var changes = await StoredChangesAsync(receipt.Code);
            foreach (var status in changes.Select(c => c.StatusAfter).Distinct()) reached.AddOrUpdate(status, 1, (_, n) => n + 1);
            AssertOnlyTableMoves(changes, string.Join(" → ", picks.Select(p => ops[p].Name))
                + "; stored: " + string.Join(" | ", changes.Select(x => $"{x.OccurredAt} {x.Kind} {x.StatusAfter} {x.ActorRole}")));
        }, seed: Environment.GetEnvironmentVariable("OSW_PROPERTY_SEED"), iter: 80, threads: 1);
        output.WriteLine($"{cases} cases of 8-20 steps over {ops.Distinct().Count()} operations; cases reaching each status: "
            + string.Join(", ", reached.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));
    }

    private sealed record Change(string Kind, string StatusAfter, string ActorRole, string OccurredAt);

    /// <summary>In commit order (SQLite's rowid): the test's clock jumps back between cases, a real one does not.</summary>
    private async Task<List<Change>> StoredChangesAsync(string code)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<Change>(connection, """
            SELECT e.kind AS Kind, e.status_after AS StatusAfter, e.actor_role AS ActorRole, e.occurred_at AS OccurredAt FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id
            WHERE d.code = @Code ORDER BY e.rowid
            """, new { Code = code })).ToList();
    }

    /// <summary>Registry answers, a skipped step's note and a paper's issue are recorded beside the lifecycle: they never change the status.</summary>
    private static readonly HashSet<string> Beside = ["RegistryChecked", OneStopWindow.Api.Features.Dossiers.DossierTransitions.StepSkipped,
        OneStopWindow.Domain.Papers.PaperRules.IssuedEvent];

    private static void AssertOnlyTableMoves(List<Change> changes, string picks)
    {
        Assert.Equal("Submitted", changes[0].StatusAfter);
        var status = DossierStatus.Submitted;
        foreach (var c in changes.Skip(1))
        {
            var next = Enum.Parse<DossierStatus>(c.StatusAfter);
            if (Beside.Contains(c.Kind))
            {
                Assert.True(next == status, $"{c.Kind} changed {status} to {next} after: {picks}");
                continue;
            }
            var allowed = DossierRules.Table.Any(t => t.From.Contains(status) && (t.To ?? status) == next && t.Roles.Contains(c.ActorRole));
            Assert.True(allowed, $"{c.Kind} by {c.ActorRole}: {status} → {next} is not in the table; after: {picks}");
            if (status is DossierStatus.Returned or DossierStatus.Withdrawn or DossierStatus.RefusedAtReception) Assert.Equal(status, next);   // nothing leaves the end
            if (status == DossierStatus.ResultReady && next != status)
                Assert.True(next == DossierStatus.Returned && c.Kind == "ResultReturned", $"ResultReady left by {c.Kind} after: {picks}");
            status = next;
        }
    }
}
