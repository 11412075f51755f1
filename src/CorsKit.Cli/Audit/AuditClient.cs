using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CorsKit.Cli.Check;

namespace CorsKit.Cli.Audit;

/// <summary>How much the audit may ask of the server.</summary>
internal sealed record AuditLimits
{
    /// <summary>
    /// The default budget. A full audit takes at most 19 requests for one trusted origin and 10 more for each further
    /// one (21 and 2 more with a WebSocket), so 40 covers three trusted origins.
    /// </summary>
    public const int DefaultMaxRequests = 40;

    public const double DefaultRate = 10;

    public int MaxRequests { get; init; } = DefaultMaxRequests;

    /// <summary>Requests started per second, at most.</summary>
    public double Rate { get; init; } = DefaultRate;

    /// <summary>Requests in flight at once; the audit talks to one host, so this is per host.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>The time allowed for one request.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>The server could not be reached or did not answer in time: the audit stops.</summary>
internal sealed class AuditNetworkException(string message) : Exception(message);

/// <summary>
/// Sends the audit's requests within its limits: a budget, a rate, and a number in flight. A request past the budget
/// is not sent (null), so the check that needed it is reported as not done rather than guessed.
/// </summary>
internal sealed class AuditClient(HttpMessageInvoker invoker, AuditLimits limits) : IDisposable
{
    /// <summary>The tool's version, as the User-Agent and the SARIF driver give it.</summary>
    internal static readonly string ToolVersion =
        typeof(AuditClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static readonly string UserAgent = "corskit/" + ToolVersion;

    private readonly SemaphoreSlim _slots = new(limits.Concurrency, limits.Concurrency);
    private readonly Lock _rateLock = new();
    private readonly long _interval = (long)(Stopwatch.Frequency / limits.Rate);
    private long _nextStart;
    private int _reserved;
    private int _sent;

    public AuditLimits Limits => limits;

    /// <summary>Requests actually sent.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Whether a request was refused for the budget.</summary>
    public bool BudgetExhausted => Volatile.Read(ref _reserved) > limits.MaxRequests;

    /// <summary>
    /// Sends one request (browser-like headers plus <paramref name="headers"/>), or returns null when the budget is spent.
    /// The budget is taken before the first await, so requests started in a row take it in that order.
    /// </summary>
    public async Task<HttpExchange?> SendAsync(ExchangeKind kind, string method, Uri url, IEnumerable<KeyValuePair<string, string>> headers,
        CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _reserved) > limits.MaxRequests) return null;

        List<KeyValuePair<string, string>> sent = [new("Accept", "*/*"), .. headers, new("User-Agent", UserAgent)];
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WaitForTurnAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limits.Timeout);
            using var message = new HttpRequestMessage(new HttpMethod(method), url);
            foreach (var (name, value) in sent) message.Headers.TryAddWithoutValidation(name, value);

            using var response = await invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            // The body is never read: only the status and the headers are evidence.
            var received = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
                .SelectMany(header => header.Value.Select(value => new KeyValuePair<string, string>(header.Key, value)))
                .ToList();
            return new HttpExchange(kind, method, url, sent, (int)response.StatusCode, response.ReasonPhrase, received);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuditNetworkException(string.Create(CultureInfo.InvariantCulture,
                $"No answer from {url.AbsoluteUri} within {limits.Timeout.TotalSeconds:0.###} s (--timeout)."));
        }
        catch (HttpRequestException ex)
        {
            throw new AuditNetworkException($"Could not reach {url.AbsoluteUri}: {ex.Message}");
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Spaces the starts of requests by the rate, whatever the number in flight.</summary>
    private async Task WaitForTurnAsync(CancellationToken cancellationToken)
    {
        long now, start;
        lock (_rateLock)
        {
            now = Stopwatch.GetTimestamp();
            start = Math.Max(now, _nextStart);
            _nextStart = start + _interval;
        }
        if (start > now) await Task.Delay(Stopwatch.GetElapsedTime(now, start), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _slots.Dispose();
}
