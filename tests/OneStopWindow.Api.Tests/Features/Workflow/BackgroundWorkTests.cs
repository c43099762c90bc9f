using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Workflow;

/// <summary>
/// The background work a worker node does, listed: the workflow's step kinds and the outbox followers (the step table's
/// mechanism, run by the one hosted service of ours, <see cref="WorkflowPump"/>) and Hangfire's recurring jobs.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class BackgroundWorkTests(ApiFactory api)
{
    [Fact]
    public void Every_step_kind_and_recurring_job_is_registered()
    {
        Assert.Equal(["EndPosting", "Intake", "Notify:", "Paper:", "Registry:"], api.Services.GetRequiredService<StepKinds>().All.Select(k => k.Name));
        Assert.Equal(["reports", "webhooks"], api.Services.GetServices<OutboxFollower>().Select(f => f.Name).Order());
        // No timer or start-up service of our own runs beside the two mechanisms (Hangfire's own server aside), except the
        // access log's write buffer, which every node needs for its reads and which does no work of its own.
        var ours = api.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
            .Select(s => s.GetType()).Where(t => t.Namespace?.StartsWith("OneStopWindow", StringComparison.Ordinal) == true);
        Assert.Equal([typeof(OneStopWindow.Api.Infrastructure.AccessLog.AccessLogWriter), typeof(WorkflowPump)], ours.OrderBy(t => t.Name));
        using var connection = api.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Equal(["announce-amount-changes", "calendar-upkeep", "check-beneficiaries-with-registry", "generate-payment-lists", "hold-unverified-entitlements", "purge-access-log",
            "purge-receipts", "resume-imports", "sweep-documents", "watch-deadlines"], connection.GetRecurringJobs().Select(j => j.Id).Order());
    }

    [Fact]
    public async Task Every_step_kind_the_service_writes_has_a_handler()
    {
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());
        await receipt.AfterIntakeAsync(api.CreateClient());
        var kinds = api.Services.GetRequiredService<StepKinds>();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}");
        var stored = (await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT DISTINCT kind FROM workflow_step")).ToList();
        Assert.Contains("Intake", stored);
        Assert.All(stored, k => Assert.True(kinds.Resolve(k) is not null, $"no handler for step kind '{k}'"));
        Assert.Null(kinds.Resolve("Registry:"));   // a prefixed kind needs its argument
        Assert.Null(kinds.Resolve("Unknown"));
    }

    [Fact]
    public void Overlapping_step_kinds_stop_the_start()
    {
        Assert.Throws<InvalidOperationException>(() => new StepKinds([new IntakeStep(), new IntakeStep()]));
        Assert.Throws<InvalidOperationException>(() => new StepKinds([new RegistryCheckStep(), new RegistryWithLongerName()]));
    }

    private sealed class RegistryWithLongerName() : StepKind("Registry:population", takesArgument: false)
    {
        public override Task RunAsync(StepRun run) => Task.CompletedTask;
    }
}
