namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>
/// The folder holding OneStopWindow.sln, for the linked <c>ServiceProcess</c> (the Api.Tests copy of this class
/// lives in OpenApiDocumentTests.cs, which brings tests along, so it is not linked).
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "OneStopWindow.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("OneStopWindow.sln not found above " + AppContext.BaseDirectory);
    }
}
