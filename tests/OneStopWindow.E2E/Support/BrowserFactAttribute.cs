namespace OneStopWindow.E2E.Support;

/// <summary>
/// A fact that needs a Chromium binary: <c>CHROMIUM_PATH</c>, else <c>/usr/bin/chromium</c> (Debian's package).
/// Without one it is skipped with the reason, unless <c>ONESTOPWINDOW_REQUIRE_BROWSER=1</c> (CI), where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(Browser.ChromiumPath) && !Browser.Required)
            Skip = $"No Chromium at {Browser.ChromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH; "
                + "set ONESTOPWINDOW_REQUIRE_BROWSER=1 to fail instead of skipping.";
    }
}

public static class Browser
{
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable("ONESTOPWINDOW_REQUIRE_BROWSER") == "1";
}
