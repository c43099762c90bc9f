using NetArchTest.Rules;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Tests.Architecture;

/// <summary>
/// The shape of the code, checked on the compiled assemblies: the Domain stands on the BCL alone, Infrastructure knows
/// no feature, and the feature areas depend on each other without cycles — except the cycles listed in
/// <see cref="AllowedCycleEdges"/>, a list that may only shrink: the test fails when a listed edge is gone (remove it)
/// as well as when a new one closes a cycle.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Features = "OneStopWindow.Api.Features";

    /// <summary>Feature dependencies that close a cycle today ("From → To"), each to be removed as the slices come apart.</summary>
    private static readonly string[] AllowedCycleEdges =
    [
        // The transition engine queues the citizen's notifications (NotificationQueue, Templates.Date), and the
        // notification slice queues its send step and reads access through the dossier core. To break: an interface for
        // the notification outbox owned by the dossier core, implemented by the notification slice.
        "Dossiers → Notifications",
        "Notifications → Dossiers",
    ];

    [Fact]
    public void The_domain_references_only_the_base_class_library()
    {
        var references = typeof(Deadline).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"OneStopWindow.Domain references {name}"));
        var result = Types.InAssembly(typeof(Deadline).Assembly).ShouldNot().HaveDependencyOnAny("OneStopWindow.Api", "Microsoft.AspNetCore", "Dapper", "Hangfire").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    [Fact]
    public void Infrastructure_references_no_feature()
    {
        var result = Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespace("OneStopWindow.Api.Infrastructure")
            .ShouldNot().HaveDependencyOnAny(Features).GetResult();
        Assert.True(result.IsSuccessful, "Infrastructure types that use a feature: " + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    [Fact]
    public void Feature_areas_form_no_cycle_beyond_the_allow_list()
    {
        var areas = typeof(Program).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(Features + ".", StringComparison.Ordinal))
            .Select(n => n[(Features.Length + 1)..].Split('.')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var edges = new HashSet<(string From, string To)>();
        foreach (var from in areas)
            foreach (var to in areas.Where(a => a != from))
            {
                var users = Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespace($"{Features}.{from}")
                    .And().HaveDependencyOnAny($"{Features}.{to}").GetTypes();
                if (users.Any()) edges.Add((from, to));
            }

        // An edge is in a cycle when its target reaches its source.
        bool Reaches(string start, string goal)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>([start]);
            while (stack.TryPop(out var a))
            {
                if (a == goal) return true;
                if (!seen.Add(a)) continue;
                foreach (var e in edges.Where(e => e.From == a)) stack.Push(e.To);
            }
            return false;
        }
        var inCycles = edges.Where(e => Reaches(e.To, e.From)).Select(e => $"{e.From} → {e.To}").Order(StringComparer.Ordinal).ToList();
        var allowed = AllowedCycleEdges.Order(StringComparer.Ordinal).ToList();
        Assert.True(allowed.SequenceEqual(inCycles),
            $"New edges in cycles: [{string.Join(", ", inCycles.Except(allowed).Select(e => $"\"{e}\""))}]; " +
            $"allowed edges no longer in a cycle (remove them from the list): [{string.Join(", ", allowed.Except(inCycles))}]");
    }
}
