using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Workflow;

/// <summary>A workflow step whose handler throws is not lost and does not block others: it waits and is tried again.</summary>
[Collection(ApiHost.Name)]
public sealed class WorkflowPumpTests(ApiFactory api)
{
    [Fact]
    public async Task A_step_that_throws_stays_pending_with_its_attempt_counted_and_a_later_due_time()
    {
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());
        await receipt.AfterIntakeAsync(api.CreateClient());
        var stepId = Guid.NewGuid().ToString("D");
        // A notification step whose notification id is not a GUID: its handler throws a FormatException.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO workflow_step (id, dossier_id, kind, status, attempts, created_at, enqueued_at, completed_at, due_at)
                SELECT @Step, id, 'Notify:not-a-guid', 'pending', 0, @Now, NULL, NULL, NULL FROM dossier WHERE code = @Code
                """, new { Step = stepId, receipt.Code, Now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });
        }
        try
        {
            await Eventually.ReturnsAsync(() => api.ScalarAsync<long>("SELECT attempts FROM workflow_step WHERE id = @Step", new { Step = stepId }),
                attempts => attempts >= 1, TimeSpan.FromSeconds(20), "the failing step to be tried");
            Assert.Equal("pending", await api.ScalarAsync<string>("SELECT status FROM workflow_step WHERE id = @Step", new { Step = stepId }));
            Assert.Equal(1, await api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM workflow_step WHERE id = @Step AND due_at IS NOT NULL AND enqueued_at IS NULL AND claim IS NULL", new { Step = stepId }));
            // Other work goes on meanwhile.
            var next = await ADossier.Valid().SubmitAsync(api.CreateClient());
            Assert.Equal("Received", (await next.AfterIntakeAsync(api.CreateClient())).GetProperty("status").GetString());
        }
        finally
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}");
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM workflow_step WHERE id = @Step", new { Step = stepId });
        }
    }
}
