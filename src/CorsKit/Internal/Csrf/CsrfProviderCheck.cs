using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// At start-up on ASP.NET Core 11: warns when an <see cref="ICorsPolicyProvider"/> registered after <c>AddCorsKit</c>
/// replaced CorsKit's, because the CSRF protection then never learns CorsKit's origins.
/// </summary>
internal sealed partial class CsrfProviderCheck : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public CsrfProviderCheck(IServiceProvider services, DecisionLog log)
    {
        _services = services;
        _logger = log.Logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = _services.CreateScope();
        var provider = scope.ServiceProvider.GetService<ICorsPolicyProvider>();
        if (provider is not null and not CorsKitCsrfPolicyProvider)
        {
            Log.ProviderReplaced(_logger, provider.GetType().FullName ?? provider.GetType().Name);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 302, EventName = "CsrfProviderReplaced", Level = LogLevel.Warning,
            Message = "The ICorsPolicyProvider is {Provider}, registered after AddCorsKit(), so ASP.NET Core's automatic CSRF protection never "
                + "learns the origins CorsKit allows and answers their cross-site form posts with 400. Register it before AddCorsKit(): CorsKit "
                + "then wraps it and leaves its answers to everything but the CSRF protection unchanged.")]
        public static partial void ProviderReplaced(ILogger logger, string provider);
    }
}
