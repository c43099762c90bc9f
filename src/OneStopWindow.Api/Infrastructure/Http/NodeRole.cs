namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>
/// <c>--role api</c>: serves HTTP and hands work to the workers through the database (no Hangfire server);
/// <c>--role worker</c>: runs the Hangfire server, the recurring jobs, the webhook relay and the report projector, and
/// answers only the health probes; <c>--role all</c> (the default, the embedded run): both in one process.
/// The same executable and configuration everywhere; nothing one node needs lives in another's memory.
/// </summary>
public sealed record NodeRole(string Name)
{
    public bool ServesApi => Name is "api" or "all";

    public bool RunsWorkers => Name is "worker" or "all";

    public static NodeRole Apply(string[] args, ConfigurationManager configuration)
    {
        var index = Array.IndexOf(args, "--role");
        var name = index >= 0 && index + 1 < args.Length ? args[index + 1] : configuration["Role"] ?? "all";
        if (name is not ("api" or "worker" or "all"))
            throw new InvalidOperationException($"--role must be api, worker or all (got '{name}').");
        var role = new NodeRole(name);
        if (index >= 0 || configuration["Role"] is not null) configuration["Jobs:Server"] = role.RunsWorkers ? "true" : "false";
        return role;
    }
}
