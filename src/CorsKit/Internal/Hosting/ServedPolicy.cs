using Microsoft.AspNetCore.Http;

namespace CorsKit.Internal;

/// <summary>
/// A policy as one app serves it in one generation: the policy (data), the generation's settings, and the callback
/// that answers an actual request when its response starts, bound to this app's <see cref="ActualResponder"/>. Built
/// with the generation, so the request path allocates nothing to find them.
/// </summary>
internal sealed class ServedPolicy
{
    private readonly ActualResponder _responder;

    public ServedPolicy(CorsKitPolicy policy, GenerationSettings settings, ActualResponder responder)
    {
        Policy = policy;
        Settings = settings;
        _responder = responder;
        ResponseStarting = OnResponseStarting;
    }

    public CorsKitPolicy Policy { get; }

    public GenerationSettings Settings { get; }

    /// <summary><c>Response.OnStarting</c> callback (state: the HttpContext) that writes the headers, logs and counts.</summary>
    public Func<object, Task> ResponseStarting { get; }

    private Task OnResponseStarting(object state)
    {
        var context = (HttpContext)state;
        _responder.AtResponseStart(context, this, context.Request.Headers.Origin, originVerdict: null);
        return Task.CompletedTask;
    }
}
