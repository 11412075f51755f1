namespace CorsKit.Demo;

/// <summary>One request as the API saw it, with the CORS answer it sent back.</summary>
internal sealed record RequestLogEntry(long Seq, string Time, string Method, string Path, string? Origin, int Status, string? AllowOrigin);

/// <summary>
/// The last requests the API received. The front ends run in the same process and show it to their page, because
/// CORS hides responses from script, not requests from the server: the refused page can still see that its simple GET
/// arrived and ran.
/// </summary>
internal sealed partial class RequestLog(ILogger<RequestLog> logger)
{
    private const int Capacity = 200;
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
        var origin = request.Headers.Origin.Count == 0 ? null : request.Headers.Origin.ToString();
        var allowOrigin = context.Response.Headers.AccessControlAllowOrigin.Count == 0
            ? null
            : context.Response.Headers.AccessControlAllowOrigin.ToString();

        RequestLogEntry entry;
        lock (_lock)
        {
            entry = new RequestLogEntry(++_seq, DateTime.Now.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                request.Method, request.Path.Value ?? "/", origin, context.Response.StatusCode, allowOrigin);
            _entries.Enqueue(entry);
            if (_entries.Count > Capacity) _entries.Dequeue();
        }

        Log.Received(logger, entry.Method, entry.Path, entry.Origin ?? "(no Origin)", entry.Status, entry.AllowOrigin ?? "(none)");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "ApiRequest", Level = LogLevel.Information,
            Message = "API answered {Method} {Path} from {Origin}: {Status}, Access-Control-Allow-Origin {AllowOrigin}")]
        public static partial void Received(ILogger logger, string method, string path, string origin, int status, string allowOrigin);
    }
}
