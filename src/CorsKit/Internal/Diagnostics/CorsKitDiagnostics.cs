using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Logs and metrics for every decision. One per app; attached to each policy the app uses so the Response.OnStarting
/// callback (which only gets the HttpContext) can report without allocating.
/// </summary>
internal sealed partial class CorsKitDiagnostics
{
    public const string MeterName = "CorsKit";
    public const string RequestsCounterName = "corskit.requests";

    private static readonly string[] ReasonTags = Enum.GetValues<CorsKitReason>().Select(ToSnakeCase).ToArray();

    private readonly ILogger _logger;
    private readonly Counter<long> _requests;
    private readonly PolicyStore _store;

    public CorsKitDiagnostics(ILoggerFactory loggerFactory, IMeterFactory meterFactory, PolicyStore store)
    {
        _logger = loggerFactory.CreateLogger("CorsKit");
        _store = store;
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(RequestsCounterName, "{request}",
            "Requests seen by CorsKit, by kind (preflight, actual, not_cors), outcome (allowed, refused, none), reason and policy.");
    }

    public ILogger Logger => _logger;

    public bool DebugMode => _store.Current.Settings.DebugMode;

    private LogLevel RefusalLevel => _store.Current.Settings.RefusalLogLevel;

    public static string ReasonTag(CorsKitReason reason) => ReasonTags[(int)reason];

    public void Preflight(CorsKitPolicy? policy, CorsKitReason reason, StringValues origin, StringValues method, StringValues requestHeaders)
    {
        Count("preflight", reason, policy);
        var name = policy?.Name ?? "(none)";
        switch (reason)
        {
            case CorsKitReason.Allowed:
                Log.PreflightAllowed(_logger, new LoggedValue(origin), new LoggedValue(method), new LoggedValue(requestHeaders), name);
                break;
            case CorsKitReason.OriginNotAllowed or CorsKitReason.OriginNull or CorsKitReason.ResolverFailed:
                Log.PreflightOriginRefused(_logger, RefusalLevel, new LoggedValue(origin), name, reason);
                break;
            case CorsKitReason.MethodNotAllowed:
                Log.PreflightMethodRefused(_logger, RefusalLevel, new LoggedValue(method), new AllowedList(policy, methods: true), new LoggedValue(origin), name);
                break;
            case CorsKitReason.HeaderNotAllowed:
                Log.PreflightHeadersRefused(_logger, RefusalLevel, new RefusedHeaders(policy, requestHeaders), new AllowedList(policy, methods: false), new LoggedValue(origin), name);
                break;
            case CorsKitReason.EndpointDisabled:
                Log.PreflightDisabled(_logger, RefusalLevel, new LoggedValue(origin));
                break;
            default:
                Log.PreflightMalformed(_logger, RefusalLevel, reason, new Problem(reason, policy, origin, method, requestHeaders), name);
                break;
        }
    }

    public void Actual(CorsKitPolicy policy, CorsKitReason reason, StringValues origin)
    {
        Count(origin.Count == 0 ? "not_cors" : "actual", reason, policy);
        if (reason == CorsKitReason.Allowed)
        {
            if (origin.Count != 0) Log.ActualAllowed(_logger, new LoggedValue(origin), policy.Name);
        }
        else if (reason != CorsKitReason.NotCors)
        {
            Log.ActualRefused(_logger, RefusalLevel, new LoggedValue(origin), reason, new Problem(reason, policy, origin, default, default), policy.Name);
        }
    }

    public void Skipped(CorsKitReason reason, string kind, StringValues origin, string path)
    {
        Count(kind, reason, null);
        if (reason == CorsKitReason.NoPolicy && origin.Count != 0) Log.NoPolicy(_logger, path);
        else if (reason == CorsKitReason.EndpointDisabled && origin.Count != 0) Log.ActualDisabled(_logger, RefusalLevel, path);
    }

    private void Count(string kind, CorsKitReason reason, CorsKitPolicy? policy)
    {
        if (!_requests.Enabled) return;
        var outcome = reason switch
        {
            CorsKitReason.Allowed => "allowed",
            CorsKitReason.NotCors or CorsKitReason.NoPolicy => "none",
            _ => "refused",
        };
        var tags = new TagList
        {
            { "corskit.kind", kind },
            { "corskit.outcome", outcome },
            { "corskit.reason", ReasonTag(reason) },
            { "corskit.policy", policy?.Name ?? string.Empty },
        };
        _requests.Add(1, tags);
    }

    /// <summary>A policy's allowed methods or headers, formatted only if the line is written.</summary>
    private readonly struct AllowedList(CorsKitPolicy? policy, bool methods)
    {
        public override string ToString()
        {
            if (policy is null) return string.Empty;
            if (methods) return "GET, HEAD, POST" + (policy.Methods.Count == 0 ? string.Empty : ", " + string.Join(", ", policy.Methods));
            return policy.RequestHeaders.Count == 0 ? "(none)" : string.Join(", ", policy.RequestHeaders);
        }
    }

    private static string ToSnakeCase(CorsKitReason reason)
    {
        var text = reason.ToString();
        var builder = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(text[i]));
        }
        return builder.ToString();
    }

    /// <summary>The rule or limit a malformed request broke, computed only if the line is written.</summary>
    private readonly struct Problem(CorsKitReason reason, CorsKitPolicy? policy, StringValues origin, StringValues method, StringValues requestHeaders)
    {
        public override string ToString() => reason switch
        {
            CorsKitReason.OriginMalformed => ReasonText.OriginProblem(origin),
            CorsKitReason.MethodMalformed => ReasonText.MethodProblem(method),
            CorsKitReason.HeadersMalformed => ReasonText.HeadersProblem(requestHeaders),
            _ => ReasonText.Describe(reason, policy, origin, method, requestHeaders),
        };
    }

    private readonly struct RefusedHeaders(CorsKitPolicy? policy, StringValues requestHeaders)
    {
        public override string ToString() => policy is null ? string.Empty : string.Join(", ", policy.RequestHeaderRules.ListRefused(requestHeaders));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "PreflightAllowed", Level = LogLevel.Debug,
            Message = "Preflight from {Origin} for {Method} with headers [{RequestHeaders}] allowed by policy '{Policy}'.")]
        public static partial void PreflightAllowed(ILogger logger, LoggedValue origin, LoggedValue method, LoggedValue requestHeaders, string policy);

        [LoggerMessage(EventId = 2, EventName = "PreflightOriginRefused",
            Message = "Preflight refused: origin {Origin} is not allowed by policy '{Policy}' ({Reason}).")]
        public static partial void PreflightOriginRefused(ILogger logger, LogLevel level, LoggedValue origin, string policy, CorsKitReason reason);

        [LoggerMessage(EventId = 3, EventName = "PreflightMethodRefused",
            Message = "Preflight refused: method {Method} is not allowed (allowed: {AllowedMethods}); origin {Origin}, policy '{Policy}'.")]
        public static partial void PreflightMethodRefused(ILogger logger, LogLevel level, LoggedValue method, AllowedList allowedMethods, LoggedValue origin, string policy);

        [LoggerMessage(EventId = 4, EventName = "PreflightHeadersRefused",
            Message = "Preflight refused: request header(s) {Headers} not allowed (allowed: {AllowedHeaders}); origin {Origin}, policy '{Policy}'.")]
        public static partial void PreflightHeadersRefused(ILogger logger, LogLevel level, RefusedHeaders headers, AllowedList allowedHeaders, LoggedValue origin, string policy);

        [LoggerMessage(EventId = 5, EventName = "PreflightMalformed",
            Message = "Preflight refused as malformed ({Reason}): {Problem}; policy '{Policy}'.")]
        public static partial void PreflightMalformed(ILogger logger, LogLevel level, CorsKitReason reason, Problem problem, string policy);

        [LoggerMessage(EventId = 6, EventName = "PreflightDisabled",
            Message = "Preflight from {Origin} refused: CorsKit is disabled for this endpoint.")]
        public static partial void PreflightDisabled(ILogger logger, LogLevel level, LoggedValue origin);

        [LoggerMessage(EventId = 7, EventName = "ActualAllowed", Level = LogLevel.Debug,
            Message = "CORS request from {Origin} allowed by policy '{Policy}'.")]
        public static partial void ActualAllowed(ILogger logger, LoggedValue origin, string policy);

        [LoggerMessage(EventId = 8, EventName = "ActualRefused",
            Message = "CORS request from {Origin} gets no CORS headers ({Reason}): {Problem}; policy '{Policy}'.")]
        public static partial void ActualRefused(ILogger logger, LogLevel level, LoggedValue origin, CorsKitReason reason, Problem problem, string policy);

        [LoggerMessage(EventId = 9, EventName = "NoPolicy", Level = LogLevel.Debug,
            Message = "No CorsKit policy applies to {Path}: no endpoint policy, no policy named in UseCorsKit(name), no default policy.")]
        public static partial void NoPolicy(ILogger logger, string path);

        [LoggerMessage(EventId = 13, EventName = "ActualDisabled",
            Message = "CORS request to {Path} gets no CORS headers: CorsKit is disabled for this endpoint.")]
        public static partial void ActualDisabled(ILogger logger, LogLevel level, string path);
    }
}
