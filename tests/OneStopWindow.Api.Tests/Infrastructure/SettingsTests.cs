using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>Every options section is validated when the host starts, and a bad value names its setting.</summary>
[Collection(ApiHost.Name)]
public sealed class SettingsTests(ApiFactory api)
{
    private static IEnumerable<Type> OptionsTypes() => typeof(Program).Assembly.GetTypes()
        .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal)
                    && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true });

    [Fact]
    public void Every_options_section_is_validated_at_start_up()
    {
        var types = OptionsTypes().ToList();
        Assert.True(types.Count >= 14, $"found {types.Count} options sections");
        foreach (var type in types)
        {
            var section = (string)type.GetField("Section")!.GetRawConstantValue()!;
            var validators = api.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(type)).ToList();
            var annotated = validators.SingleOrDefault(v => v!.GetType().GetGenericTypeDefinition() == typeof(AnnotatedSettings<>));
            Assert.True(annotated is not null, $"{type.Name} ({section}) is not registered with AddSettings");
            Assert.Equal(section, (string)annotated!.GetType().GetProperty("Section")!.GetValue(annotated)!);
        }
    }

    [Theory]
    [InlineData("Workflow:BatchSize", "0")]
    [InlineData("Webhooks:BreakDuration", "00:00:00.010")]
    [InlineData("Notifications:SmtpPort", "70000")]
    [InlineData("Imports:BatchSize", "-1")]
    [InlineData("PayerFiles:MaxRows", "0")]
    [InlineData("Sla:AtRiskWorkingDays", "0")]
    [InlineData("OfficeHours:Close", "25:00")]
    public void A_bad_setting_stops_the_start_and_names_the_setting(string key, string value)
    {
        using var factory = api.WithWebHostBuilder(b => { b.UseSetting(key, value); b.UseSetting("Jobs:Server", "false"); });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var messages = string.Join(" | ", Flatten(e).Select(x => x.Message));
        Assert.Contains(key, messages, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nat64_prefix_of_a_length_rfc_6052_does_not_define_stops_the_start()
    {
        using var factory = api.WithWebHostBuilder(b => { b.UseSetting("Webhooks:Nat64Prefixes:0", "64:ff9b::/80"); b.UseSetting("Jobs:Server", "false"); });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Webhooks:Nat64Prefixes", string.Join(" | ", Flatten(e).Select(x => x.Message)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "all")]
    [InlineData("worker", null, "worker")]
    [InlineData(null, "false", "api")]
    [InlineData("all", "false", "all")]
    public void The_node_role_is_resolved_once_without_rewriting_configuration(string? role, string? server, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (role is not null) settings["Role"] = role;
        if (server is not null) settings["Jobs:Server"] = server;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Assert.Equal(expected, NodeRole.From([], configuration).Name);
        Assert.Equal(server, configuration["Jobs:Server"]);
        Assert.Equal("api", NodeRole.From(["--role", "api"], configuration).Name);
        Assert.Throws<InvalidOperationException>(() => { _ = NodeRole.From(["--role", "everything"], configuration); });
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        if (e is AggregateException a) foreach (var inner in a.InnerExceptions.SelectMany(Flatten)) yield return inner;
        else if (e.InnerException is { } i) foreach (var inner in Flatten(i)) yield return inner;
    }
}
