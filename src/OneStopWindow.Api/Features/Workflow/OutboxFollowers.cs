namespace OneStopWindow.Api.Features.Workflow;

/// <summary>
/// Work that follows the outbox (<c>integration_event</c>) with its own cursor instead of a step per event: the report
/// table and the webhook deliveries. A round reads the events after the cursor and moves it by compare-and-set in the
/// transaction of its effect, so two worker nodes never apply one event twice and a crash loses nothing. The
/// <see cref="WorkflowPump"/> runs every registered follower on worker nodes, next to the workflow's steps: the step
/// table and these cursors are one mechanism, the application database's transactional hand-off (decision record 0001).
/// </summary>
public abstract class OutboxFollower(string name)
{
    public string Name { get; } = name;

    /// <summary>How long the follower waits after a round that found nothing new.</summary>
    public abstract TimeSpan Interval { get; }

    /// <summary>One round in a fresh scope: catch up with the outbox and hand out what follows from it.</summary>
    public abstract Task RunRoundAsync(IServiceProvider scope, CancellationToken ct);
}
