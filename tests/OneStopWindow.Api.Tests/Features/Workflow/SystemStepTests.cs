using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Features.Dossiers.Actions;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Tests.Features.Workflow;

/// <summary>
/// The system's own steps go through the transition engine: a step that finds the dossier moved on (withdrawn, decided)
/// changes nothing, completes, and leaves a note for staff only.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class SystemStepTests(ApiFactory api)
{
    private const string Ward = "04795";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-steps");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-steps");

    private static string Status(JsonElement dossier) => dossier.GetProperty("status").GetString()!;

    private async Task<Receipt> ReceivedAsync(ADossier dossier)
    {
        var receipt = await dossier.LivingIn(Ward).SubmitAsync(anonymous);
        Assert.Equal("Received", Status(await receipt.AfterIntakeAsync(anonymous)));
        return receipt;
    }

    private Task<List<string>> StoredKindsAsync(string code) => EventKindsAsync(api.DatabasePath, code);

    internal static async Task<List<string>> EventKindsAsync(string databasePath, string code)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<string>(connection,
            // Papers are issued beside the workflow (after the event's commit), at any point: left out.
            "SELECT e.kind FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = @Code AND e.kind <> 'PaperIssued' ORDER BY e.occurred_at, e.id",
            new { Code = code })).ToList();
    }

    [Fact]
    public async Task A_dossier_withdrawn_during_posting_stays_withdrawn_when_the_posting_period_ends()
    {
        var r = await ReceivedAsync(ADossier.Valid().With("procedureCode", "BTXH-04")
            .With("formFields", JsonSerializer.SerializeToNode(LifecycleTests.ExampleForm("BTXH-04"))));
        await r.DoAsync(officer, "claim");
        Assert.Equal("PublicPosting", Status(await r.DoAsync(officer, "posting")));
        Assert.Equal("Withdrawn", Status(await r.DoAsync(anonymous, "withdrawal", new { reason = "Đã chuyển nơi ở." }, withSecret: true)));
        try
        {
            api.Clock.Advance(TimeSpan.FromDays(14));   // past the posting's working days: the end-of-posting step is due
            await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id WHERE d.code = @Code AND s.kind = 'EndPosting' AND s.status = 'done'",
                    new { r.Code }),
                done => done == 1, TimeSpan.FromSeconds(30), "the end-of-posting step to complete");
        }
        finally
        {
            api.Clock.Reset();
        }
        Assert.Equal("Withdrawn", Status(await r.StatusAsync(anonymous)));
        var kinds = await StoredKindsAsync(r.Code);
        Assert.DoesNotContain("PostingEnded", kinds);
        Assert.Equal(DossierTransitions.StepSkipped, kinds[^1]);
        Assert.DoesNotContain(DossierTransitions.StepSkipped, await r.AllEventKindsAsync(anonymous));   // a note for staff only
        Assert.Equal(0, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM integration_event WHERE dossier_code = @Code AND event_type = @Kind", new { r.Code, Kind = DossierTransitions.StepSkipped }));
    }

    [Fact]
    public async Task A_decided_dossier_gets_no_deadline_marks_and_the_engine_refuses_them()
    {
        var decided = await ReceivedAsync(ADossier.Valid());
        await decided.DoAsync(officer, "claim");
        await decided.DoAsync(officer, "forwarding", new { });
        Assert.Equal("ResultReady", Status(await decided.DoAsync(chair, "approval", new { })));
        var open = await ReceivedAsync(ADossier.Valid());   // the control: the watch ran, and marked this one
        try
        {
            api.Clock.Advance(TimeSpan.FromDays(30));
            api.Trigger("watch-deadlines");
            await Eventually.ReturnsAsync(() => StoredKindsAsync(open.Code), k => k.Contains("Escalated"), TimeSpan.FromSeconds(30), "the deadline watch");
        }
        finally
        {
            api.Clock.Reset();
        }
        var kinds = await StoredKindsAsync(decided.Code);
        Assert.DoesNotContain("AtRisk", kinds);
        Assert.DoesNotContain("Overdue", kinds);

        // The engine itself, asked for the mark on the decided dossier, refuses and writes nothing.
        var db = api.Services.GetRequiredService<Db>();
        var engine = api.Services.GetRequiredService<DossierTransitions>();
        var version = await api.ScalarAsync<long>("SELECT version FROM dossier WHERE code = @Code", new { decided.Code });
        await using (var tx = await db.BeginWriteAsync(CancellationToken.None))
        {
            var id = Guid.Parse(await tx.ScalarAsync<string>("SELECT id FROM dossier WHERE code = @Code", new { decided.Code }));
            var subject = new TransitionSubject(id, (int)version, DossierStatus.ResultReady, new(id, decided.Code, "vi", false));
            Assert.Equal(TransitionOutcome.NotFromThisStatus, await engine.ApplyAsync(tx, subject, DossierAction.MarkOverdue,
                TransitionActor.System("sla"), new ActionPlan("Overdue", "test"), DateTimeOffset.UtcNow));
            // A person may not take a system step either.
            Assert.Equal(TransitionOutcome.RoleForbidden, await engine.ApplyAsync(tx, subject with { State = DossierStatus.Received }, DossierAction.MarkOverdue,
                new TransitionActor(Roles.WardOfficer, "officer-steps"), new ActionPlan("Overdue", "test"), DateTimeOffset.UtcNow));
            await tx.CommitAsync();
        }
        Assert.Equal(version, await api.ScalarAsync<long>("SELECT version FROM dossier WHERE code = @Code", new { decided.Code }));
    }
}

/// <summary>The reported bug on the real executable: withdrawn on an API-only node before any worker ran, never revived.</summary>
public sealed class WithdrawBeforeIntakeTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-withdraw-").FullName;
    private string Db => Path.Combine(folder, "app.db");

    private Dictionary<string, string> Node(string role) => new()
    {
        ["Role"] = role,
        ["Database:ConnectionString"] = $"Data Source={Db}",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
    };

    [Fact]
    public async Task A_dossier_withdrawn_before_intake_stays_withdrawn_when_a_worker_starts()
    {
        await using var api = await ServiceProcess.StartAsync(folder, Node("api"));
        var receipt = await ADossier.Valid().SubmitAsync(api.Client);
        Assert.Equal("Withdrawn", (await receipt.DoAsync(api.Client, "withdrawal", new { reason = "Nộp nhầm." }, withSecret: true)).GetProperty("status").GetString());

        await using var worker = await ServiceProcess.StartAsync(folder, Node("worker"));
        await using (var connection = new SqliteConnection($"Data Source={Db}"))
        {
            await connection.OpenAsync();
            await Eventually.ReturnsAsync(() => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
                    "SELECT COUNT(*) FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id WHERE d.code = @Code AND s.kind = 'Intake' AND s.status = 'done'",
                    new { receipt.Code }),
                done => done == 1, TimeSpan.FromMinutes(1), "the intake step to complete");
        }
        Assert.Equal("Withdrawn", (await receipt.StatusAsync(api.Client)).GetProperty("status").GetString());
        Assert.Equal(["Submitted", "Withdrawn"], await receipt.EventKindsAsync(api.Client));   // the applicant is not told it was received
        Assert.Equal(["Submitted", "Withdrawn", DossierTransitions.StepSkipped], await SystemStepTests.EventKindsAsync(Db, receipt.Code));
        await using var check = new SqliteConnection($"Data Source={Db}");
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(check,
            "SELECT COUNT(*) FROM notification n JOIN dossier d ON d.id = n.dossier_id WHERE d.code = @Code AND n.kind = 'received'", new { receipt.Code }));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
