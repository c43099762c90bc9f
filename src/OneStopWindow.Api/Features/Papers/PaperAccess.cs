using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>
/// A client whose key lacks <c>documents:read</c> is told so (403) before any dossier is looked up: it is a fact about
/// the key, and says nothing about whether a dossier exists. Everything else is the dossier's own check (DossierAccess).
/// </summary>
public static class PaperAccess
{
    public static void RequireScope(Caller caller)
    {
        if (caller.Client is { } client && !client.Has(Scopes.ReadDocuments))
            throw ProblemException.Forbidden($"Khóa của hệ thống này không có quyền '{Scopes.ReadDocuments}' để đọc giấy tờ của hồ sơ.");
    }
}
