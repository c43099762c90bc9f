namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>
/// <c>--role api</c>: serves HTTP and hands work to the workers through the database (no Hangfire server);
/// <c>--role worker</c>: runs the Hangfire server, the recurring jobs and the workflow pump (steps and outbox followers),
/// and answers only the health probes; <c>--role all</c> (the default, the embedded run): both in one process.
/// The same executable and configuration everywhere; nothing one node needs lives in another's memory.
/// Resolved once at start-up and injected (a singleton); configuration is never rewritten with it.
/// </summary>
public sealed record NodeRole(string Name)
{
    public bool ServesApi => Name is "api" or "all";

    public bool RunsWorkers => Name is "worker" or "all";

    /// <summary><c>--role</c>, else the <c>Role</c> setting, else the older <c>Jobs:Server</c> (false: <c>api</c>), else <c>all</c>.</summary>
    public static NodeRole From(string[] args, IConfiguration configuration)
    {
        var index = Array.IndexOf(args, "--role");
        var name = index >= 0 && index + 1 < args.Length ? args[index + 1]
            : configuration["Role"] ?? (configuration.GetValue("Jobs:Server", true) ? "all" : "api");
        if (name is not ("api" or "worker" or "all"))
            throw new InvalidOperationException($"--role (or the setting Role) must be api, worker or all (got '{name}').");
        return new NodeRole(name);
    }
}
