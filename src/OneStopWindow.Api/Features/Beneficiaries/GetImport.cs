using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed record GetImport(Guid Id) : IQuery<ImportResponse>;

public sealed class GetImportHandler(Db db, IOptions<ImportOptions> options, IHostEnvironment environment) : IQueryHandler<GetImport, ImportResponse>
{
    public async ValueTask<ImportResponse> Handle(GetImport query, CancellationToken ct) => await ImportStatements.LoadAsync(db, environment, options, query.Id, null, ct);
}
