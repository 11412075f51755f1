using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The log event of every decision (category <c>CorsKit</c>). One per app; refusals are written at the level the
/// serving generation's settings name. Values from the request are escaped and formatted only if a line is written.
/// </summary>
internal sealed partial class DecisionLog
{
    private readonly ILogger _logger;

    public DecisionLog(ILoggerFactory loggerFactory) => _logger = loggerFactory.CreateLogger("CorsKit");

    public ILogger Logger => _logger;

    public void Preflight(in PreflightAnswer answer, LogLevel refusalLevel)
    {
        if (!_logger.IsEnabled(answer.Reason == CorsKitReason.Allowed ? LogLevel.Debug : refusalLevel)) return;
        var policy = answer.Policy;
        var name = policy.Name;
        switch (answer.Reason)
        {
            case CorsKitReason.Allowed:
                Log.PreflightAllowed(
                    _logger, new LoggedValue(answer.Origin), new LoggedValue(answer.Method), new LoggedValue(answer.RequestHeaders), name);
                break;
            case CorsKitReason.OriginNotAllowed or CorsKitReason.OriginNull or CorsKitReason.ResolverFailed:
                Log.PreflightOriginRefused(_logger, refusalLevel, new LoggedValue(answer.Origin), name, answer.Reason);
                break;
            case CorsKitReason.MethodNotAllowed:
                var allowedMethods = new AllowedList(policy, methods: true);
                var method = new LoggedValue(answer.Method);
                Log.PreflightMethodRefused(_logger, refusalLevel, method, allowedMethods, new LoggedValue(answer.Origin), name);
                break;
            case CorsKitReason.HeaderNotAllowed:
                Log.PreflightHeadersRefused(
                    _logger, refusalLevel, new RefusedHeaders(policy, answer.RequestHeaders), new AllowedList(policy, methods: false),
                    new LoggedValue(answer.Origin), name);
                break;
            default:
                var problem = new Problem(answer.Reason, policy, answer.Origin, answer.Method, answer.RequestHeaders);
                Log.PreflightMalformed(_logger, refusalLevel, answer.Reason, problem, name);
                break;
        }
    }

    public void PreflightDisabled(StringValues origin, LogLevel refusalLevel) =>
        Log.PreflightDisabled(_logger, refusalLevel, new LoggedValue(origin));

    public void Actual(in ActualAnswer answer, LogLevel refusalLevel)
    {
        // Checked first: the values each event takes are built only when a line will be written.
        if (!_logger.IsEnabled(answer.Reason == CorsKitReason.Allowed ? LogLevel.Debug : refusalLevel)) return;
        if (answer.Reason == CorsKitReason.Allowed)
        {
            if (answer.Origin.Count != 0) Log.ActualAllowed(_logger, new LoggedValue(answer.Origin), answer.Policy.Name);
        }
        else if (answer.Reason != CorsKitReason.NotCors)
        {
            Log.ActualRefused(_logger, refusalLevel, new LoggedValue(answer.Origin), answer.Reason,
                new Problem(answer.Reason, answer.Policy, answer.Origin, default, default), answer.Policy.Name);
        }
    }

    public void WebSocket(in WebSocketAnswer answer, LogLevel refusalLevel)
    {
        if (!_logger.IsEnabled(answer.Reason == CorsKitReason.Allowed ? LogLevel.Debug : refusalLevel)) return;
        if (answer.Reason == CorsKitReason.Allowed)
        {
            Log.WebSocketAllowed(_logger, new LoggedValue(answer.Origin), answer.PolicyName);
            return;
        }

        Log.WebSocketRefused(_logger, refusalLevel, new LoggedValue(answer.Origin), answer.Reason,
            new Problem(answer.Reason, answer.Policy, answer.Origin, default, default), answer.PolicyName);
    }

    /// <summary>A request no policy governs (<see cref="CorsKitReason.NoPolicy"/>) or whose endpoint disables CorsKit.</summary>
    public void Ungoverned(CorsKitReason reason, StringValues origin, string path, LogLevel refusalLevel)
    {
        if (origin.Count == 0) return;
        if (reason == CorsKitReason.NoPolicy) Log.NoPolicy(_logger, path);
        else Log.ActualDisabled(_logger, refusalLevel, path);
    }

    /// <summary>A policy's allowed methods or headers, formatted only if the line is written.</summary>
    private readonly struct AllowedList(CorsKitPolicy policy, bool methods)
    {
        public override string ToString()
        {
            if (methods) return "GET, HEAD, POST" + (policy.Methods.Count == 0 ? string.Empty : ", " + string.Join(", ", policy.Methods));
            return policy.RequestHeaders.Count == 0 ? "(none)" : string.Join(", ", policy.RequestHeaders);
        }
    }

    /// <summary>The rule or limit a malformed request broke, computed only if the line is written.</summary>
    private readonly struct Problem(
        CorsKitReason reason, CorsKitPolicy? policy, StringValues origin, StringValues method, StringValues requestHeaders)
    {
        public override string ToString() => reason switch
        {
            CorsKitReason.OriginMalformed => ReasonText.OriginProblem(origin),
            CorsKitReason.MethodMalformed => ReasonText.MethodProblem(method),
            CorsKitReason.HeadersMalformed => ReasonText.HeadersProblem(requestHeaders),
            _ => ReasonText.Describe(reason, policy, origin, method, requestHeaders),
        };
    }

    private readonly struct RefusedHeaders(CorsKitPolicy policy, StringValues requestHeaders)
    {
        public override string ToString() => string.Join(", ", policy.RequestHeaderRules.ListRefused(requestHeaders));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "PreflightAllowed", Level = LogLevel.Debug,
            Message = "Preflight from {Origin} for {Method} with headers [{RequestHeaders}] allowed by policy '{Policy}'.")]
        public static partial void PreflightAllowed(
            ILogger logger, LoggedValue origin, LoggedValue method, LoggedValue requestHeaders, string policy);

        [LoggerMessage(EventId = 2, EventName = "PreflightOriginRefused",
            Message = "Preflight refused: origin {Origin} is not allowed by policy '{Policy}' ({Reason}).")]
        public static partial void PreflightOriginRefused(ILogger logger, LogLevel level, LoggedValue origin, string policy, CorsKitReason reason);

        [LoggerMessage(EventId = 3, EventName = "PreflightMethodRefused",
            Message = "Preflight refused: method {Method} is not allowed (allowed: {AllowedMethods}); origin {Origin}, policy '{Policy}'.")]
        public static partial void PreflightMethodRefused(
            ILogger logger, LogLevel level, LoggedValue method, AllowedList allowedMethods, LoggedValue origin, string policy);

        [LoggerMessage(EventId = 4, EventName = "PreflightHeadersRefused",
            Message = "Preflight refused: request header(s) {Headers} not allowed (allowed: {AllowedHeaders}); origin {Origin}, policy '{Policy}'.")]
        public static partial void PreflightHeadersRefused(
            ILogger logger, LogLevel level, RefusedHeaders headers, AllowedList allowedHeaders, LoggedValue origin, string policy);

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
        public static partial void ActualRefused(
            ILogger logger, LogLevel level, LoggedValue origin, CorsKitReason reason, Problem problem, string policy);

        [LoggerMessage(EventId = 9, EventName = "NoPolicy", Level = LogLevel.Debug,
            Message = "No CorsKit policy applies to {Path}: no endpoint policy, no policy named in UseCorsKit(name), no default policy.")]
        public static partial void NoPolicy(ILogger logger, string path);

        [LoggerMessage(EventId = 13, EventName = "ActualDisabled",
            Message = "CORS request to {Path} gets no CORS headers: CorsKit is disabled for this endpoint.")]
        public static partial void ActualDisabled(ILogger logger, LogLevel level, string path);

        [LoggerMessage(EventId = 16, EventName = "WebSocketAllowed", Level = LogLevel.Debug,
            Message = "WebSocket handshake from {Origin} allowed by policy '{Policy}'.")]
        public static partial void WebSocketAllowed(ILogger logger, LoggedValue origin, string policy);

        [LoggerMessage(EventId = 17, EventName = "WebSocketRefused",
            Message = "WebSocket handshake from {Origin} refused with 403 ({Reason}): {Problem}; policy '{Policy}'.")]
        public static partial void WebSocketRefused(
            ILogger logger, LogLevel level, LoggedValue origin, CorsKitReason reason, Problem problem, string policy);
    }
}
