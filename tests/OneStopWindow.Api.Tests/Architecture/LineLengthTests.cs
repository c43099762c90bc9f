namespace OneStopWindow.Api.Tests.Architecture;

/// <summary>
/// No C# line under src/ or tests/ is longer than <see cref="MaxLength"/> characters. Editors wrap and guide at 160
/// (<c>max_line_length</c> in .editorconfig); dotnet format has no rule that wraps or reports long lines, so the hard
/// limit is checked here.
/// </summary>
public sealed class LineLengthTests
{
    private const int MaxLength = 200;

    [Fact]
    public void No_source_line_is_longer_than_200_characters()
    {
        var root = RepositoryRoot();
        var offenders = new List<string>();
        foreach (var folder in new[] { "src", "tests" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(Path.GetRelativePath(root, f)))
                .Order(StringComparer.Ordinal))
            {
                var number = 0;
                foreach (var line in File.ReadLines(file))
                {
                    number++;
                    if (line.Length > MaxLength)
                        offenders.Add($"{Path.GetRelativePath(root, file).Replace('\\', '/')}:{number}:{line.Length}");
                }
            }
        Assert.True(offenders.Count == 0,
            $"Lines longer than {MaxLength} characters (file:line:length) — wrap them:{Environment.NewLine}{string.Join(Environment.NewLine, offenders)}");
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(segment => segment is "bin" or "obj");

    /// <summary>The folder holding OneStopWindow.sln, found by walking up from the test assembly's directory.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OneStopWindow.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"OneStopWindow.sln not found above {AppContext.BaseDirectory}");
    }
}
