using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OneStopWindow.Api.Tests.Infrastructure;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// The real executable in its own process on 127.0.0.1, for what an in-process host cannot show:
/// kill -9, restart, several processes on one database.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServiceProcess(Process process, Uri address)
    {
        this.process = process;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    private static string Dll => Path.Combine(RepositoryRoot.Path, "src", "OneStopWindow.Api", "bin", BuildConfiguration, "net10.0", "OneStopWindow.Api.dll");

    /// <summary>Runs one of the executable's operator commands (migrate, probe, token) and returns its exit code.</summary>
    public static async Task<int> RunCommandAsync(string folder, IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Dll, .. args]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the executable");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await Task.WhenAll(output, errors);
        return process.ExitCode;
    }

    public Uri Address => Client.BaseAddress!;

    /// <summary>
    /// SIGSTOP (<paramref name="frozen"/>) or SIGCONT: a frozen process runs nothing — no commit can land while the test
    /// looks at the database — and is then killed or let go on.
    /// </summary>
    public void Freeze(bool frozen)
    {
        using var signal = Process.Start(new ProcessStartInfo("kill", [frozen ? "-STOP" : "-CONT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not run kill");
        signal.WaitForExit();
        if (signal.ExitCode != 0) throw new InvalidOperationException($"kill {(frozen ? "-STOP" : "-CONT")} exited with {signal.ExitCode}");
    }

    public static async Task<ServiceProcess> StartAsync(string folder, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Dll;
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Edge__PerIpPerMinute"] = "10000000";   // tests poll from 127.0.0.1; a test that wants limits sets them
        info.Environment["Edge__PerClientPerMinute"] = "10000000";
        info.Environment["Edge__PerUserPerMinute"] = "10000000";
        info.Environment["Objections__PerDossierPerDay"] = "10000";
        info.Environment["Objections__PerAddressPerDay"] = "10000";
        foreach (var (key, value) in settings) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the service");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await Eventually.ReturnsAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"service exited with {process.ExitCode}");
            try { return (await service.Client.GetAsync("/health/ready")).StatusCode; }
            catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; }
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the service to be ready");
        return service;
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful requeue, exactly like a power cut of the process.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
        Client.Dispose();
        await Task.CompletedTask;
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
