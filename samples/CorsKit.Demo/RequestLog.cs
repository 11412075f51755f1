namespace CorsKit.Demo;

/// <summary>
/// One request as the API saw it, with the CORS answer it sent back. <paramref name="Credentials"/> names the
/// credentials the request carried (Authorization, Cookie); <paramref name="Reason"/> is CorsKit's X-CorsKit-Reason
/// header, sent in debug mode when it refuses a request.
/// </summary>
internal sealed record RequestLogEntry(
    long Seq, string Time, string Method, string Path, string? Origin, string? Credentials, int Status, string? AllowOrigin, string? Reason);

/// <summary>
/// The last requests the API received. The front ends run in the same process and show it to their page, because
/// CORS hides responses from script, not requests from the server: the refused page can still see that its simple GET
/// arrived and ran, and why CorsKit refused it.
/// </summary>
internal sealed partial class RequestLog(ILogger<RequestLog> logger)
{
    private const int Capacity = 200;
    private const string ReasonHeader = "X-CorsKit-Reason";
    private readonly Queue<RequestLogEntry> _entries = new();
    private readonly Lock _lock = new();
    private long _seq;

    /// <summary>Middleware: records each request when its response starts, after CorsKit has added its headers.</summary>
    public Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        // OnStarting callbacks run last-registered-first; this one is registered before CorsKit's, so it runs after
        // it and sees the final headers. Recording before the first byte is sent also means the entry exists by the
        // time the browser has the response.
        context.Response.OnStarting(() =>
        {
            Add(context);
            return Task.CompletedTask;
        });
        return next(context);
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    private void Add(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;

        RequestLogEntry entry;
        lock (_lock)
        {
            entry = new RequestLogEntry(++_seq, DateTime.Now.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                request.Method, request.Path.Value ?? "/", OrNull(request.Headers.Origin), Credentials(request.Headers),
                response.StatusCode, OrNull(response.Headers.AccessControlAllowOrigin), OrNull(response.Headers[ReasonHeader]));
            _entries.Enqueue(entry);
            if (_entries.Count > Capacity) _entries.Dequeue();
        }

        Log.Received(logger, entry.Method, entry.Path, entry.Origin ?? "(no Origin)", entry.Status, entry.AllowOrigin ?? "(none)");
    }

    // Only the names: the values are secrets, and the point is to show that a preflight carries none of them.
    private static string? Credentials(IHeaderDictionary headers) =>
        (headers.Authorization.Count != 0, headers.Cookie.Count != 0) switch
        {
            (true, true) => "Authorization, Cookie",
            (true, false) => "Authorization",
            (false, true) => "Cookie",
            _ => null,
        };

    private static string? OrNull(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values.ToString();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "ApiRequest", Level = LogLevel.Information,
            Message = "API answered {Method} {Path} from {Origin}: {Status}, Access-Control-Allow-Origin {AllowOrigin}")]
        public static partial void Received(ILogger logger, string method, string path, string origin, int status, string allowOrigin);
    }
}
