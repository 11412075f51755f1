using CorsKit.Cli.Check;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CorsKit.Cli.Explain;

/// <summary>One request CorsKit would see: the preflight, or the request itself.</summary>
internal sealed record ExplainedStep(ExchangeKind Kind, CorsKitRequestFacts Facts, CorsKitExplanation Explanation);

/// <summary>CorsKit's answers to the requests a browser would send for script's fetch().</summary>
internal sealed class PolicyExplanation
{
    public required string Method { get; init; }

    public required string Origin { get; init; }

    public required bool Credentials { get; init; }

    /// <summary>True for a WebSocket handshake (new WebSocket()) rather than a fetch().</summary>
    public bool WebSocket { get; init; }

    /// <summary>Why a preflight comes first (empty when none does).</summary>
    public required IReadOnlyList<string> PreflightReasons { get; init; }

    /// <summary>The preflight, then the request, unless the preflight was refused (the browser stops there).</summary>
    public required IReadOnlyList<ExplainedStep> Steps { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public bool Allowed => Steps.All(s => s.Explanation.Allowed);

    public string PolicyName => Steps[^1].Explanation.PolicyName;

    /// <summary>
    /// Loads CorsKit from a configuration file exactly as an app does (<c>AddCorsKit(configuration.GetSection(section))</c>)
    /// and returns its explainer, or null with a sentence that says what is wrong with the file.
    /// </summary>
    public static ServiceProvider? Load(string path, string section, out ICorsKitExplainer? explainer, out string? error)
    {
        explainer = null;
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            error = $"No configuration file at {fullPath}.";
            return null;
        }

        IConfigurationSection corsKit;
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(fullPath, optional: false, reloadOnChange: false).Build();
            corsKit = configuration.GetSection(section);
        }
        catch (InvalidDataException ex)
        {
            error = $"{fullPath} is not valid JSON: {ex.InnerException?.Message ?? ex.Message}";
            return null;
        }

        if (!corsKit.Exists())
        {
            error = $"{fullPath} has no \"{section}\" section (choose another with --section).";
            return null;
        }

        var services = new ServiceCollection().AddLogging().AddCorsKit(corsKit).BuildServiceProvider();
        try
        {
            explainer = services.GetRequiredService<ICorsKitExplainer>();
            error = null;
            return services;
        }
        catch (Exception ex) when (ex is CorsKitConfigurationException or OptionsValidationException)
        {
            services.Dispose();
            error = $"The \"{section}\" section of {fullPath} is not a valid CorsKit configuration:{Environment.NewLine}{ex.Message}";
            return null;
        }
    }

    /// <summary>What CorsKit answers to the handshake of <c>new WebSocket(url)</c> on a page at <paramref name="origin"/>.</summary>
    /// <exception cref="ArgumentException">No policy is named <paramref name="policyName"/>.</exception>
    public static PolicyExplanation ExplainWebSocket(ICorsKitExplainer explainer, string? policyName, string origin, IReadOnlyList<string> warnings)
    {
        var handshake = new CorsKitRequestFacts { Origin = origin, IsWebSocket = true };
        return new PolicyExplanation
        {
            Method = "GET",
            Origin = origin,
            Credentials = false,
            WebSocket = true,
            PreflightReasons = [],
            Steps = [new ExplainedStep(ExchangeKind.WebSocket, handshake, explainer.Explain(policyName, handshake))],
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Explains what CorsKit answers when script at <paramref name="origin"/> fetches with these method, headers and
    /// credentials: the preflight the browser sends first (decided as the check engine decides it), then the request.
    /// </summary>
    /// <exception cref="ArgumentException">No policy is named <paramref name="policyName"/>.</exception>
    public static PolicyExplanation Explain(ICorsKitExplainer explainer, string? policyName, string origin, string method,
        IReadOnlyList<KeyValuePair<string, string>> headers, bool credentials, IReadOnlyList<string> warnings)
    {
        var unsafeNames = FetchRules.UnsafeHeaderNames(headers);
        var reasons = FetchRules.PreflightReasons(method, headers, unsafeNames);

        var steps = new List<ExplainedStep>();
        if (reasons.Count != 0)
        {
            var preflight = new CorsKitRequestFacts
            {
                Origin = origin, Method = method, IsPreflight = true, RequestHeaders = unsafeNames, Credentials = credentials,
            };
            steps.Add(new ExplainedStep(ExchangeKind.Preflight, preflight, explainer.Explain(policyName, preflight)));
        }

        if (steps.Count == 0 || steps[0].Explanation.Allowed)
        {
            var actual = new CorsKitRequestFacts { Origin = origin, Method = method, Credentials = credentials };
            steps.Add(new ExplainedStep(ExchangeKind.Actual, actual, explainer.Explain(policyName, actual)));
        }

        return new PolicyExplanation
        {
            Method = method,
            Origin = origin,
            Credentials = credentials,
            PreflightReasons = reasons,
            Steps = steps,
            Warnings = warnings,
        };
    }
}
