using System.Diagnostics;
using System.Net;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>The executable's own token command, run as a newcomer runs it.</summary>
[Collection(ApiHost.Name)]
public sealed class TokenCommandTests(ApiFactory api)
{
    private static async Task<(int Exit, string Output)> RunAsync(string environment, params string[] args)
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "OneStopWindow.Api.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "token", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output.Trim());
    }

    [Fact]
    public async Task A_minted_ward_officer_token_opens_that_wards_queue()
    {
        var (exit, token) = await RunAsync("Development", "--role", "ward-officer", "--ward", "04795");
        Assert.Equal(0, exit);
        Assert.Equal(3, token.Split('.').Length);

        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var own = await client.GetAsync("/api/v1/wards/04795/dossiers");
        using var other = await client.GetAsync("/api/v1/wards/04828/dossiers");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task The_command_refuses_to_run_in_Production()
    {
        var (exit, output) = await RunAsync("Production", "--role", "administrator");
        Assert.Equal(2, exit);
        Assert.Contains("Production", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_refuses_to_run_in_Staging_too()
    {
        var (exit, output) = await RunAsync("Staging", "--role", "administrator");
        Assert.Equal(2, exit);
        Assert.Contains("Staging", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ward_staff_tokens_need_a_ward()
    {
        var (exit, _) = await RunAsync("Development", "--role", "ward-chair");
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_with_401()
    {
        var forged = Api.Infrastructure.Auth.TokenCommand.Mint(
            new Api.Infrastructure.Auth.AuthOptions { SigningKey = "an-attacker-key-that-is-long-enough-for-hmac-256" },
            "provincial-officer", null, null, "forger", null, TimeSpan.FromHours(1));
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);
        using var response = await client.GetAsync("/api/v1/escalations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
