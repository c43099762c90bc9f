namespace OneStopWindow.Domain.Applicants;

/// <summary>A person's name as those who may not read it unmasked see it (the dossier's applicant, an entitlement's beneficiary).</summary>
public static class PersonName
{
    /// <summary>"Nguyễn Văn An" → "N. V. An": enough to recognise one's own dossier, not to identify someone else.</summary>
    public static string Mask(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', parts.Select((p, i) => i == parts.Length - 1 ? p : p[..1] + "."));
    }
}
