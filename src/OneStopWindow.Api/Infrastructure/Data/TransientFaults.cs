using Mediator;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>The database errors worth another try: the unit of work is re-run from its start.</summary>
public static class TransientFaults
{
    /// <summary>SQL Server / Azure SQL transient error numbers (reliability-anchors 2.1): deadlock victim, lock timeout,
    /// connection and failover errors, service busy and throttling.</summary>
    private static readonly HashSet<int> SqlServerNumbers =
    [
        1205, 1222, -2, 53, 121, 233, 10053, 10054, 10060, 64, 20, 4060, 4221, 40197, 40501, 40613, 40143, 40540,
        49918, 49919, 49920, 10928, 10929, 42108, 42109, 615, 926, 3960, 41301, 41302, 41305, 41325, 41839,
    ];

    public static bool IsTransient(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6,   // SQLITE_BUSY, SQLITE_LOCKED: another writer held the file too long
        SqlException s => s.Errors.Cast<SqlError>().Any(error => SqlServerNumbers.Contains(error.Number)),
        DatabaseBusyException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };
}

/// <summary>This process's writers waited longer than the busy timeout for their turn.</summary>
public sealed class DatabaseBusyException(string message) : TimeoutException(message);

/// <summary>
/// Re-runs a command or query whose unit of work met a transient database fault (3 retries, exponential backoff with
/// jitter, at most 2 s apart). Every handler opens, writes and commits inside itself, so a retry starts from a clean
/// state; a fault that outlasts the retries reaches the client as 503 with Retry-After (see ProblemExceptionHandler),
/// and the same Idempotency-Key makes the client's own retry safe.
/// </summary>
public sealed class TransientRetryBehavior<TMessage, TResponse>(TransientRetry retry) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken) =>
        retry.Pipeline.ExecuteAsync(static async (state, ct) => await state.next(state.message, ct), (next, message), cancellationToken);
}

/// <summary>The retry pipeline of <see cref="TransientRetryBehavior{TMessage, TResponse}"/>, built once per process (a singleton).</summary>
public sealed class TransientRetry(ILogger<TransientRetry> logger)
{
    public ResiliencePipeline Pipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientFaults.IsTransient),
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            OnRetry = args =>
            {
                logger.LogWarning("Transient database fault (attempt {Attempt}): {Error}; retrying", args.AttemptNumber + 1,
                    args.Outcome.Exception?.GetType().Name);
                return default;
            },
        })
        .Build();
}
