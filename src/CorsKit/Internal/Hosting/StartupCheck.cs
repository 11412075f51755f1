using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CorsKit.Internal;

/// <summary>
/// Before the app starts, every policy is compiled (StartingAsync). Once the pipeline is built and the app has
/// started, checks what can only be seen then: every policy named by an endpoint exists, and endpoints with CorsKit
/// metadata are behind a UseCorsKit() that runs after routing (<see cref="PipelinePlacement"/>). A failure stops the
/// app at start-up with an exception that says the fix.
/// </summary>
internal sealed class StartupCheck : IHostedLifecycleService
{
    private readonly IServiceProvider _services;

    public StartupCheck(IServiceProvider services) => _services = services;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var endpoints = CollectEndpoints();
        var withMetadata = endpoints.Where(e => e.Metadata.GetMetadata<ICorsKitMetadata>() is not null).ToList();
        CheckPolicyNames(withMetadata);
        _services.GetRequiredService<PipelinePlacement>().CheckStarted(withMetadata.Count, Describe(withMetadata));
        return Task.CompletedTask;
    }

    private List<Endpoint> CollectEndpoints()
    {
        var endpoints = new List<Endpoint>();
        foreach (var source in EndpointMetadataPresence.Sources(_services)) endpoints.AddRange(source.Endpoints);
        return endpoints;
    }

    private void CheckPolicyNames(List<Endpoint> endpoints)
    {
        var store = _services.GetRequiredService<PolicyStore>();
        var errors = new List<CorsKitConfigurationError>();
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<ICorsKitMetadata>()!.PolicyName;
            if (name is null) continue;
            if (store.TryRequire(name, $"endpoint '{endpoint.DisplayName}'") is { } error) errors.Add(error);
        }

        if (errors.Count > 0) throw new CorsKitConfigurationException(errors);
    }

    private static string Describe(List<Endpoint> endpoints) =>
        string.Join(", ", endpoints.Take(3).Select(e => $"'{e.DisplayName}'"))
        + (endpoints.Count > 3 ? $" and {endpoints.Count - 3} more" : string.Empty);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Validates every policy before the app starts: resolving the store compiles them all and throws one
    /// <see cref="CorsKitConfigurationException"/> listing every error. (Not an IValidateOptions: options validators also
    /// run on reload, where a throw would escape into the configuration's change callback instead of being refused
    /// and logged.)
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = _services.GetRequiredService<PolicyStore>();
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
