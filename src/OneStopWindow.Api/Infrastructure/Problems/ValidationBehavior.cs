using Mediator;

namespace OneStopWindow.Api.Infrastructure.Problems;

/// <summary>Runs <see cref="IValidatable.Validate"/> for HTTP calls and jobs alike; nothing is written before it passes.</summary>
public sealed class ValidationBehavior<TMessage, TResponse> : MessagePreProcessor<TMessage, TResponse>
    where TMessage : IMessage
{
    protected override ValueTask Handle(TMessage message, CancellationToken cancellationToken)
    {
        if (message is IValidatable validatable)
        {
            var errors = validatable.Validate().ToList();
            if (errors.Count > 0) throw ProblemException.Validation(errors);
        }
        return default;
    }
}
