namespace OneStopWindow.Domain.Applicants;

/// <summary>A person's full name as views that do not need it whole show it (one mask for every such view).</summary>
public static class PersonName
{
    /// <summary>"Nguyễn Văn An" → "N. V. An": enough to recognise one's own record, not to identify someone else.</summary>
    public static string Mask(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts.Select((p, i) => i == parts.Length - 1 ? p : p[..1] + "."));
    }
}
